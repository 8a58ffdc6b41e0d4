"""What the crisis capability says, in English and German (du and Sie): chat texts and the trail's words."""

from __future__ import annotations

TEXTS = {
    "crisis.desc": {"en": "report a crisis to comms (shitstorm, leak, accident, press inquiry)",
                    "de": "eine Krise an die Kommunikation melden (Shitstorm, Leak, Unfall, Presseanfrage)"},
    "crisis.usage": {"en": "crisis WHAT HAPPENED [LINK]", "de": "krise WAS PASSIERT IST [LINK]"},
    "crisis.empty": {
        "en": "What happened? Write *crisis* and one sentence, for example: _crisis A video of our truck accident is going "
              "viral on TikTok https://…_ The link and the platform help; a severity is proposed for you.",
        "de": {"du": "Was ist passiert? Schreib *krise* und einen Satz, zum Beispiel: _krise Ein Video von unserem LKW-Unfall "
                     "geht auf TikTok viral https://…_ Link und Plattform helfen; eine Dringlichkeit schlage ich vor.",
               "sie": "Was ist passiert? Schreiben Sie *krise* und einen Satz, zum Beispiel: _krise Ein Video von unserem "
                      "LKW-Unfall geht auf TikTok viral https://…_ Link und Plattform helfen; eine Dringlichkeit schlage ich vor."},
    },
    "crisis.receipt_title": {"en": "Report {ref} received: comms is being alerted now",
                             "de": "Meldung {ref} ist eingegangen: die Kommunikation wird jetzt alarmiert"},
    "crisis.receipt_title_alerted": {"en": "Report {ref} received: comms has been alerted",
                                     "de": "Meldung {ref} ist eingegangen: die Kommunikation ist alarmiert"},
    "crisis.receipt_title_unreached": {"en": "Report {ref} received, but nobody in comms could be reached yet",
                                       "de": "Meldung {ref} ist eingegangen, aber noch war niemand aus der Kommunikation erreichbar"},
    "crisis.receipt_title_elsewhere": {"en": "Report {ref} received: the bot connected to Slack or Teams alerts comms",
                                       "de": "Meldung {ref} ist eingegangen: der mit Slack oder Teams verbundene Bot alarmiert die Kommunikation"},
    "crisis.receipt_unreached": {
        "en": "I keep trying the next people in the escalation plan. If it is urgent, call them directly: {people}.",
        "de": {"du": "Ich versuche es weiter bei den Nächsten im Eskalationsplan. Wenn es eilt, ruf sie direkt an: {people}.",
               "sie": "Ich versuche es weiter bei den Nächsten im Eskalationsplan. Wenn es eilt, rufen Sie sie direkt an: {people}."},
    },
    "crisis.cut": {
        "en": "The text was long: comms has its first {kept} characters ({cut} more were not kept). "
              "The link or a screenshot tells them the rest.",
        "de": "Der Text war lang: Die Kommunikation hat die ersten {kept} Zeichen ({cut} weitere nicht). "
              "Was fehlt, sieht sie über den Link oder einen Screenshot.",
    },
    "crisis.receipt": {
        "en": "Thank you, that was exactly right. Until comms gets back to you:\n"
              "• *do not engage*: no replies, no likes, no arguing\n"
              "• *do not delete* anything, not your posts and not your screenshots: they may be needed\n"
              "• *do not comment* or share it, not even to defend us\n"
              "Your reference: *{ref}*.",
        "de": {"du": "Danke, genau richtig so. Bis sich die Kommunikation bei dir meldet:\n"
                     "• *nicht einsteigen*: nicht antworten, nicht liken, nicht diskutieren\n"
                     "• *nichts löschen*, weder deine Beiträge noch Screenshots: sie können gebraucht werden\n"
                     "• *nicht kommentieren* oder teilen, auch nicht, um uns zu verteidigen\n"
                     "Deine Referenz: *{ref}*.",
               "sie": "Danke, genau richtig so. Bis sich die Kommunikation bei Ihnen meldet:\n"
                      "• *nicht einsteigen*: nicht antworten, nicht liken, nicht diskutieren\n"
                      "• *nichts löschen*, weder Ihre Beiträge noch Screenshots: sie können gebraucht werden\n"
                      "• *nicht kommentieren* oder teilen, auch nicht, um uns zu verteidigen\n"
                      "Ihre Referenz: *{ref}*."},
    },
    "crisis.receipt_context": {
        "en": "Add details any time: crisis add {ref} TEXT OR LINK. Change the severity with the buttons.",
        "de": {"du": "Details kannst du jederzeit ergänzen: krise ergänzen {ref} TEXT ODER LINK. Die Dringlichkeit änderst du mit den Knöpfen.",
               "sie": "Details können Sie jederzeit ergänzen: krise ergänzen {ref} TEXT ODER LINK. Die Dringlichkeit ändern Sie mit den Knöpfen."},
    },
    "crisis.unreadable": {
        "en": "I can't open {names}, but it is stored with the report for comms. One sentence about what happened helps: crisis add {ref} …",
        "de": {"du": "{names} kann ich nicht öffnen, es ist aber für die Kommunikation bei der Meldung gespeichert. Ein Satz dazu, was passiert ist, hilft: krise ergänzen {ref} …",
               "sie": "{names} kann ich nicht öffnen, es ist aber für die Kommunikation bei der Meldung gespeichert. Ein Satz dazu, was passiert ist, hilft: krise ergänzen {ref} …"},
    },
    "crisis.no_text": {"en": "(no description)", "de": "(keine Beschreibung)"},
    "crisis.severity": {"en": "Severity", "de": "Dringlichkeit"},
    "crisis.severity_proposed": {"en": "{severity} (proposed; change it below)", "de": "{severity} (Vorschlag; unten änderbar)"},
    "crisis.where": {"en": "Where", "de": "Wo"},
    "crisis.links": {"en": "Links", "de": "Links"},
    "crisis.attachments": {"en": "Attachments", "de": "Anhänge"},
    "crisis.message": {"en": "Reported message", "de": "Gemeldete Nachricht"},
    "crisis.reported_by": {"en": "Reported by", "de": "Gemeldet von"},
    "crisis.reported_at": {"en": "Reported at", "de": "Gemeldet um"},
    "crisis.escalation": {"en": "Escalation", "de": "Eskalation"},
    "crisis.escalation_value": {"en": "level {level} of {levels}, round {round} of {rounds}",
                                "de": "Stufe {level} von {levels}, Runde {round} von {rounds}"},
    "crisis.sev.low": {"en": "low", "de": "niedrig"},
    "crisis.sev.medium": {"en": "medium", "de": "mittel"},
    "crisis.sev.high": {"en": "high", "de": "hoch"},
    "crisis.sev.critical": {"en": "critical", "de": "kritisch"},
    "crisis.add_button": {"en": "Add details", "de": "Details ergänzen"},
    "crisis.add_how": {
        "en": "Write *crisis add {ref}* and the details or links, for example: crisis add {ref} now also on Instagram https://…",
        "de": {"du": "Schreib *krise ergänzen {ref}* und die Details oder Links, zum Beispiel: krise ergänzen {ref} jetzt auch auf Instagram https://…",
               "sie": "Schreiben Sie *krise ergänzen {ref}* und die Details oder Links, zum Beispiel: krise ergänzen {ref} jetzt auch auf Instagram https://…"},
    },
    "crisis.added": {"en": "Added to {ref}. Thank you.", "de": "Zu {ref} ergänzt. Danke."},
    "crisis.severity_set": {"en": "Severity of {ref} is now *{severity}*.", "de": "Die Dringlichkeit von {ref} ist jetzt *{severity}*."},
    "crisis.unknown_ref": {
        "en": "I know no crisis report “{ref}”. References look like K-2026-0042.",
        "de": "Eine Krisenmeldung „{ref}“ kenne ich nicht. Referenzen sehen so aus: K-2026-0042.",
    },
    "crisis.need_ref": {
        "en": "Which report? Write it with its reference, for example: crisis {verb} K-2026-0042",
        "de": "Welche Meldung? Bitte mit Referenz, zum Beispiel: krise {verb} K-2026-0042",
    },
    "crisis.refused": {
        "en": "Only the people in the crisis escalation policy can {what}. You are not one of them; if you think you should be, ask the comms lead.",
        "de": {"du": "Nur die Personen der Krisen-Eskalation können {what}. Du gehörst nicht dazu; wenn du meinst, du solltest, frag die Kommunikationsleitung.",
               "sie": "Nur die Personen der Krisen-Eskalation können {what}. Sie gehören nicht dazu; wenn Sie meinen, Sie sollten, wenden Sie sich an die Kommunikationsleitung."},
    },
    "crisis.what_hold": {"en": "hold or release posting", "de": "das Posten anhalten oder freigeben"},
    "crisis.not_on_rota": {
        "en": "Only the people on the crisis rota see crisis reports, and you are not on it. "
              "To report a crisis, write *crisis* and what happened.",
        "de": {"du": "Nur wer im Krisen-Bereitschaftsplan steht, sieht Krisenmeldungen, und du stehst nicht darin. "
                     "Um eine Krise zu melden, schreib *krise* und was passiert ist.",
               "sie": "Nur wer im Krisen-Bereitschaftsplan steht, sieht Krisenmeldungen, und Sie stehen nicht darin. "
                      "Um eine Krise zu melden, schreiben Sie *krise* und was passiert ist."},
    },
    "crisis.yours_title": {"en": "Your report {ref}: {status}",
                           "de": {"du": "Deine Meldung {ref}: {status}", "sie": "Ihre Meldung {ref}: {status}"}},
    "crisis.alert_title": {"en": "🚨 Crisis report {ref}: severity {severity}", "de": "🚨 Krisenmeldung {ref}: Dringlichkeit {severity}"},
    "crisis.alert_context": {
        "en": "Acknowledge to stop the escalation; otherwise it goes to the next level in {minutes} min.",
        "de": {"du": "Übernimm die Meldung, um die Eskalation zu stoppen; sonst geht sie in {minutes} Min. an die nächste Stufe.",
               "sie": "Übernehmen Sie die Meldung, um die Eskalation zu stoppen; sonst geht sie in {minutes} Min. an die nächste Stufe."},
    },
    "crisis.alert_context_last": {
        "en": "This is the last alert: nobody else will be alerted after you. Please acknowledge it, or hand it over.",
        "de": {"du": "Das ist die letzte Alarmierung: Nach dir wird niemand mehr alarmiert. Bitte übernimm die Meldung oder übergib sie.",
               "sie": "Das ist die letzte Alarmierung: Nach Ihnen wird niemand mehr alarmiert. Bitte übernehmen Sie die Meldung oder übergeben Sie sie."},
    },
    "crisis.alert_how": {
        "en": "Acknowledge with the button in the bot's message in Slack or Teams, or write to the bot: crisis ack {ref}",
        "de": {"du": "Übernimm die Meldung mit dem Knopf in der Nachricht des Bots in Slack oder Teams, oder schreib dem Bot: krise übernehmen {ref}",
               "sie": "Übernehmen Sie die Meldung mit dem Knopf in der Nachricht des Bots in Slack oder Teams, oder schreiben Sie dem Bot: krise übernehmen {ref}"},
    },
    "crisis.trail": {"en": "Trail", "de": "Protokoll"},
    "crisis.help.list.usage": {"en": "crisis list", "de": "krise liste"},
    "crisis.help.list.desc": {"en": "the latest crisis reports (the crisis rota)", "de": "die letzten Krisenmeldungen (der Krisendienst)"},
    "crisis.help.show.usage": {"en": "crisis show REF", "de": "krise zeigen REF"},
    "crisis.help.show.desc": {"en": "a report with its trail", "de": "eine Meldung mit ihrem Protokoll"},
    "crisis.help.ack.usage": {"en": "crisis ack REF", "de": "krise übernehmen REF"},
    "crisis.help.ack.desc": {"en": "take a report: the escalation stops", "de": "eine Meldung übernehmen: die Eskalation stoppt"},
    "crisis.help.resolve.usage": {"en": "crisis resolve REF WHAT WAS DONE", "de": "krise erledigt REF WAS GETAN WURDE"},
    "crisis.help.resolve.desc": {"en": "close a report with a note", "de": "eine Meldung mit Notiz abschließen"},
    "crisis.help.hold.usage": {"en": "crisis hold KEYWORDS -- NOTE", "de": "krise stopp STICHWÖRTER -- NOTIZ"},
    "crisis.help.hold.desc": {"en": "hold posting on a topic: answers say no, all nudges pause",
                              "de": "Posten zu einem Thema anhalten: Antworten sagen nein, alle Erinnerungen pausieren"},
    "crisis.help.lift.usage": {"en": "crisis lift [KEYWORD|all]", "de": "krise aufheben [STICHWORT|alle]"},
    "crisis.help.lift.desc": {"en": "end a posting hold", "de": "einen Posting-Stopp beenden"},
    "crisis.ack_button": {"en": "Acknowledge", "de": "Übernehmen"},
    "crisis.resolve_button": {"en": "Resolve", "de": "Abschließen"},
    "crisis.handover_button": {"en": "Hand over", "de": "Übergeben"},
    "crisis.acked": {
        "en": "You have {ref}. The escalation has stopped and the reporter is told. When it is over: crisis resolve {ref} WHAT WAS DONE",
        "de": {"du": "Du hast {ref} übernommen. Die Eskalation ist gestoppt, die meldende Person ist informiert. Wenn es vorbei ist: krise erledigt {ref} WAS GETAN WURDE",
               "sie": "Sie haben {ref} übernommen. Die Eskalation ist gestoppt, die meldende Person ist informiert. Wenn es vorbei ist: krise erledigt {ref} WAS GETAN WURDE"},
    },
    "crisis.already_yours": {"en": "You have {ref} already.", "de": {"du": "{ref} liegt schon bei dir.", "sie": "{ref} liegt schon bei Ihnen."}},
    "crisis.taken_by": {"en": "{ref} was taken by {name} at {time}.", "de": "{ref} hat {name} um {time} übernommen."},
    "crisis.already_resolved": {
        "en": "{ref} is already resolved ({time}, by {name}); nothing to acknowledge. Note: {note}",
        "de": "{ref} ist bereits abgeschlossen ({time}, von {name}); da gibt es nichts mehr zu übernehmen. Notiz: {note}",
    },
    "crisis.reporter_taken": {
        "en": "Your crisis report {ref} was taken by {name} at {time}. They may contact you; until then: do not engage, do not delete, do not comment.",
        "de": {"du": "Deine Krisenmeldung {ref} hat {name} um {time} übernommen. {name} meldet sich eventuell bei dir; bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren.",
               "sie": "Ihre Krisenmeldung {ref} hat {name} um {time} übernommen. {name} meldet sich eventuell bei Ihnen; bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren."},
    },
    "crisis.severity_notice": {
        "en": "{ref}: {name} changed the severity from {sev_from} to {sev_to}.",
        "de": "{ref}: {name} hat die Schwere von {sev_from} auf {sev_to} geändert.",
    },
    "crisis.reporter_unanswered": {
        "en": "Nobody in comms has acknowledged your crisis report {ref} yet, although everyone in the "
              "escalation plan was alerted. If it is urgent, call them directly: {people}. Until then: "
              "do not engage, do not delete, do not comment.",
        "de": {"du": "Deine Krisenmeldung {ref} hat noch niemand aus der Kommunikation übernommen, obwohl alle "
                     "im Eskalationsplan alarmiert wurden. Wenn es eilt, ruf sie direkt an: {people}. Bis dahin: "
                     "nicht einsteigen, nichts löschen, nicht kommentieren.",
               "sie": "Ihre Krisenmeldung {ref} hat noch niemand aus der Kommunikation übernommen, obwohl alle "
                      "im Eskalationsplan alarmiert wurden. Wenn es eilt, rufen Sie sie direkt an: {people}. "
                      "Bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren."},
    },
    "crisis.resolve_ask": {
        "en": "What was done? Write *crisis resolve {ref}* and a note, for example: crisis resolve {ref} statement published, comments answered by comms",
        "de": {"du": "Was wurde getan? Schreib *krise erledigt {ref}* und eine Notiz, zum Beispiel: krise erledigt {ref} Stellungnahme veröffentlicht, Kommentare von der Kommunikation beantwortet",
               "sie": "Was wurde getan? Schreiben Sie *krise erledigt {ref}* und eine Notiz, zum Beispiel: krise erledigt {ref} Stellungnahme veröffentlicht, Kommentare von der Kommunikation beantwortet"},
    },
    "crisis.resolve_without": {"en": "Resolve without a note", "de": "Ohne Notiz abschließen"},
    "crisis.resolved": {"en": "{ref} is resolved. The trail keeps your note.", "de": "{ref} ist abgeschlossen. Die Notiz steht im Protokoll."},
    "crisis.reporter_resolved": {
        "en": "Your crisis report {ref} is resolved. Thank you for reporting it so quickly.",
        "de": {"du": "Deine Krisenmeldung {ref} ist abgeschlossen. Danke, dass du sie so schnell gemeldet hast.",
               "sie": "Ihre Krisenmeldung {ref} ist abgeschlossen. Danke, dass Sie sie so schnell gemeldet haben."},
    },
    "crisis.handover_pick": {"en": "Hand {ref} over to whom?", "de": "An wen soll {ref} gehen?"},
    "crisis.handover_nobody": {
        "en": "There is nobody else in the crisis policy to hand {ref} over to.",
        "de": "In der Krisen-Eskalation gibt es niemanden sonst, an den {ref} gehen könnte.",
    },
    "crisis.handover_not_in_policy": {
        "en": "{email} is not in the crisis policy; hand over to one of: {people}.",
        "de": {"du": "{email} gehört nicht zur Krisen-Eskalation; übergib an eine dieser Personen: {people}.",
               "sie": "{email} gehört nicht zur Krisen-Eskalation; übergeben Sie an eine dieser Personen: {people}."},
    },
    "crisis.handover_failed": {
        "en": "I couldn't reach {name} ({error}); {ref} stays with you.",
        "de": {"du": "{name} habe ich nicht erreicht ({error}); {ref} bleibt bei dir.",
               "sie": "{name} habe ich nicht erreicht ({error}); {ref} bleibt bei Ihnen."},
    },
    "crisis.handed_over": {"en": "{ref} is now with {name}; they have been told.",
                           "de": "{ref} liegt jetzt bei {name}; die Übergabe ist zugestellt."},
    "crisis.handover_title": {"en": "{name} handed crisis report {ref} over to you",
                              "de": {"du": "{name} hat dir die Krisenmeldung {ref} übergeben",
                                     "sie": "{name} hat Ihnen die Krisenmeldung {ref} übergeben"}},
    "crisis.taken_notice": {"en": "{ref} is taken by {name}; no need to act.",
                            "de": {"du": "{ref} hat {name} übernommen; du musst nichts tun.",
                                   "sie": "{ref} hat {name} übernommen; Sie müssen nichts tun."}},
    "crisis.details_notice": {"en": "New details on {ref}: {text}", "de": "Neue Details zu {ref}: {text}"},
    "crisis.hold_usage": {
        "en": "Write *crisis hold KEYWORDS -- NOTE*, for example: crisis hold recall, Werk Leipzig -- Please don't post about the recall until Friday.",
        "de": {"du": "Schreib *krise stopp STICHWÖRTER -- NOTIZ*, zum Beispiel: krise stopp Rückruf, Werk Leipzig -- Bitte bis Freitag nichts zum Rückruf posten.",
               "sie": "Schreiben Sie *krise stopp STICHWÖRTER -- NOTIZ*, zum Beispiel: krise stopp Rückruf, Werk Leipzig -- Bitte bis Freitag nichts zum Rückruf posten."},
    },
    "crisis.hold_default_note": {
        "en": "Please hold back on this topic for now; comms will tell you when it's over.",
        "de": {"du": "Bitte halte dich zu diesem Thema vorerst zurück; die Kommunikation sagt Bescheid, wenn es vorbei ist.",
               "sie": "Bitte halten Sie sich zu diesem Thema vorerst zurück; die Kommunikation sagt Bescheid, wenn es vorbei ist."},
    },
    "crisis.hold_set": {
        "en": "Posting is on hold for: {keywords}. Members asking about it get “no” with your note, and every weekly nudge and thank-you pauses until the hold is lifted. "
              "I'm telling all {members} members now and will send you a summary. *crisis lift* ends the hold.",
        "de": {"du": "Posten ist angehalten für: {keywords}. Wer dazu fragt, bekommt „nein“ mit deiner Notiz, und alle wöchentlichen Erinnerungen und Dankesnachrichten pausieren, bis der Stopp aufgehoben ist. "
                     "Ich informiere jetzt alle {members} Mitglieder und schicke dir eine Zusammenfassung. *krise aufheben* hebt es auf.",
               "sie": "Posten ist angehalten für: {keywords}. Wer dazu fragt, bekommt „nein“ mit Ihrer Notiz, und alle wöchentlichen Erinnerungen und Dankesnachrichten pausieren, bis der Stopp aufgehoben ist. "
                      "Ich informiere jetzt alle {members} Mitglieder und schicke Ihnen eine Zusammenfassung. *krise aufheben* hebt es auf."},
    },
    "crisis.hold_none": {"en": "No posting hold is active.", "de": "Es ist kein Posting-Stopp aktiv."},
    "crisis.hold_which": {
        "en": "Several holds are active: {holds}. Write *crisis lift KEYWORD* or *crisis lift all*.",
        "de": {"du": "Mehrere Stopps sind aktiv: {holds}. Schreib *krise aufheben STICHWORT* oder *krise aufheben alle*.",
               "sie": "Mehrere Stopps sind aktiv: {holds}. Schreiben Sie *krise aufheben STICHWORT* oder *krise aufheben alle*."},
    },
    "crisis.lifted": {
        "en": "The hold on {keywords} is lifted; I'm telling the members now.",
        "de": "Der Stopp zu {keywords} ist aufgehoben; ich informiere jetzt die Mitglieder.",
    },
    "crisis.hold_notice_title": {"en": "Please hold back on: {keywords}", "de": "Bitte zurückhalten bei: {keywords}"},
    "crisis.hold_notice": {
        "en": "{note}\nUntil comms lifts this: don't post, comment on or share anything about it.",
        "de": {"du": "{note}\nBis die Kommunikation das aufhebt: nichts dazu posten, kommentieren oder teilen.",
               "sie": "{note}\nBis die Kommunikation das aufhebt: nichts dazu posten, kommentieren oder teilen."},
    },
    "crisis.lift_notice": {
        "en": "The hold on {keywords} is lifted: you may post about it again, within the usual guidelines.",
        "de": {"du": "Der Stopp zu {keywords} ist aufgehoben: du darfst wieder darüber posten, im Rahmen der üblichen Richtlinien.",
               "sie": "Der Stopp zu {keywords} ist aufgehoben: Sie dürfen wieder darüber posten, im Rahmen der üblichen Richtlinien."},
    },
    "crisis.hold_summary": {
        "en": "{what} on {keywords}: {notified} members told, {failed} not reachable (in the trail: ambassador crisis list).",
        "de": "{what} zu {keywords}: {notified} Mitglieder informiert, {failed} nicht erreichbar (im Protokoll: ambassador crisis list).",
    },
    "crisis.hold_word": {"en": "Hold", "de": "Stopp"},
    "crisis.lift_word": {"en": "Lift", "de": "Aufhebung"},
    "crisis.list_title": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    "crisis.list_none": {"en": "No crisis reports.", "de": "Keine Krisenmeldungen."},
    "crisis.mydata": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    "crisis.mydata_none": {"en": "none", "de": "keine"},
    "crisis.status.open": {"en": "open", "de": "offen"},
    "crisis.status.acknowledged": {"en": "acknowledged", "de": "übernommen"},
    "crisis.status.resolved": {"en": "resolved", "de": "abgeschlossen"},
}
# The trail in words, in the reader's language (the command line reads it in English).
TRAIL_TEXTS: dict[str, dict[str, str]] = {
    "crisis.ev.by": {"en": " by {actor}", "de": " von {actor}"},
    "crisis.ev.where": {"en": "level {level}, round {round}", "de": "Stufe {level}, Runde {round}"},
    "crisis.ev.attachments": {"en": ", attachments: {names}", "de": ", Anhänge: {names}"},
    "crisis.ev.reported": {"en": "reported{by} via {source}; severity {severity} proposed; {policy} policy; {chars} characters, {links} links{atts}",
                           "de": "gemeldet{by} über {source}; Dringlichkeit {severity} vorgeschlagen; Regelung {policy}; {chars} Zeichen, {links} Links{atts}"},
    "crisis.ev.alerted": {"en": "alerted {where}: {target}{person} via {via} ({platform})",
                          "de": "alarmiert {where}: {target}{person} über {via} ({platform})"},
    "crisis.ev.delivery_failed": {"en": "delivery failed{what}{by}: {head}{target} via {via}: {error}",
                                  "de": "Zustellung fehlgeschlagen{what}{by}: {head}{target} über {via}: {error}"},
    "crisis.ev.resending": {"en": "outcome unknown (process stopped while sending): sending again {where}: {target} via {via}",
                            "de": "Ausgang unbekannt (Prozess beim Senden gestoppt): erneut gesendet {where}: {target} über {via}"},
    "crisis.ev.unreached_now": {"en": "nobody reached at {where} ({targets} targets): next level alerted at once",
                                "de": "niemand erreicht auf {where} ({targets} Ziele): nächste Stufe sofort alarmiert"},
    "crisis.ev.unreached_later": {"en": "nobody reached at {where} ({targets} targets): next round after the timeout",
                                  "de": "niemand erreicht auf {where} ({targets} Ziele): nächste Runde nach Ablauf der Frist"},
    "crisis.ev.exhausted": {"en": "escalation ended: {rounds} rounds over {levels} levels without acknowledgement",
                            "de": "Eskalation beendet: {rounds} Runden über {levels} Stufen ohne Übernahme"},
    "crisis.ev.acknowledged": {"en": "acknowledged{by}", "de": "übernommen{by}"},
    "crisis.ev.handed_over": {"en": "handed over{by} to {to}", "de": "übergeben{by} an {to}"},
    "crisis.ev.resolved": {"en": "resolved{by}; note: {note}", "de": "abgeschlossen{by}; Notiz: {note}"},
    "crisis.ev.resolved_bare": {"en": "resolved{by}; no note", "de": "abgeschlossen{by}; keine Notiz"},
    "crisis.ev.severity_changed": {"en": "severity changed{by} from {old} to {new}", "de": "Dringlichkeit geändert{by} von {old} auf {new}"},
    "crisis.ev.details_added": {"en": "details added{by}: {chars} characters, {links} links",
                                "de": "Details ergänzt{by}: {chars} Zeichen, {links} Links"},
    "crisis.ev.reporter_told": {"en": "reporter told ({what})", "de": "meldende Person informiert ({what})"},
    "crisis.ev.hold_set": {"en": "posting hold set{by} on {keywords}: {note}", "de": "Posting-Stopp gesetzt{by} zu {keywords}: {note}"},
    "crisis.ev.hold_lifted": {"en": "posting hold lifted{by} on {keywords}", "de": "Posting-Stopp aufgehoben{by} zu {keywords}"},
    "crisis.ev.hold_notice_failed": {"en": "member {pseudonym} not told ({what}): {error}",
                                     "de": "Mitglied {pseudonym} nicht informiert ({what}): {error}"},
    "crisis.ev.hold_told": {"en": "members told of the {what}: {notified} reached, {failed} not",
                            "de": "Mitglieder informiert ({what}): {notified} erreicht, {failed} nicht"},
}
