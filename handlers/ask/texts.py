"""What the ask capability says, in English and German (du and Sie)."""

from __future__ import annotations

TEXTS = {
    "ask.desc": {
        "en": "ask whether you may post something, or check a draft",
        "de": {
            "du": "fragen, ob du etwas posten darfst, oder einen Entwurf prüfen",
            "sie": "fragen, ob Sie etwas posten dürfen, oder einen Entwurf prüfen",
        },
    },
    "ask.usage": {"en": "ask <question or draft>", "de": "frage <Frage oder Entwurf>"},
    "rules.desc": {"en": "browse the posting guidelines", "de": "die Richtlinien fürs Posten ansehen"},
    "rules.usage": {"en": "rules [topic]", "de": "regeln [thema]"},
    "ask.title.go": {
        "en": "✅ Go: you may post this",
        "de": {"du": "✅ Go: Das darfst du posten", "sie": "✅ Go: Das dürfen Sie posten"},
    },
    "ask.title.check": {
        "en": "⚠️ Check first: don't post this yet",
        "de": {
            "du": "⚠️ Erst klären: Poste das noch nicht",
            "sie": "⚠️ Erst klären: Posten Sie das noch nicht",
        },
    },
    "ask.title.no": {
        "en": "⛔ No: don't post this",
        "de": {"du": "⛔ Nein: Poste das nicht", "sie": "⛔ Nein: Posten Sie das nicht"},
    },
    "ask.title.outside": {"en": "ℹ️ Not a question about posting", "de": "ℹ️ Keine Frage zum Posten"},
    "ask.context_outside": {
        "en": "I answer questions about posting. Was this helpful?",
        "de": "Ich beantworte Fragen zum Posten. War das hilfreich?",
    },
    "ask.next": {"en": "Next step", "de": "Nächster Schritt"},
    "ask.context": {
        "en": "Answered from {company}'s guidelines. Was this helpful?",
        "de": "Beantwortet nach den Richtlinien von {company}. War das hilfreich?",
    },
    "ask.context_no_match": {
        "en": "Questions without a fitting guideline help the comms team improve the guidelines. Was this helpful?",
        "de": "Fragen ohne passende Richtlinie helfen der Kommunikation, die Richtlinien zu verbessern. War das hilfreich?",
    },
    "ask.yes": {"en": "Helpful", "de": "Hilfreich"},
    "ask.no": {"en": "Not helpful", "de": "Nicht hilfreich"},
    "ask.thanks": {
        "en": "Thanks for the feedback!",
        "de": {"du": "Danke für deine Rückmeldung!", "sie": "Danke für Ihre Rückmeldung!"},
    },
    "ask.thanks_unhelpful": {
        "en": "Thanks for telling me. Shall I pass your question to the comms team? You'll get their answer here. Or ask {comms_lead} directly.",
        "de": {
            "du": "Danke für den Hinweis. Soll ich deine Frage an die Kommunikation weitergeben? Die Antwort bekommst du dann hier. Oder frag direkt {comms_lead}.",
            "sie": "Danke für den Hinweis. Soll ich Ihre Frage an die Kommunikation weitergeben? Die Antwort bekommen Sie dann hier. Oder wenden Sie sich direkt an {comms_lead}.",
        },
    },
    "ask.empty": {
        "en": "What would you like to post? Write *ask* followed by your question or the text of your draft.",
        "de": {
            "du": "Was möchtest du posten? Schreib *frage* und dahinter deine Frage oder den Text deines Entwurfs.",
            "sie": "Was möchten Sie posten? Schreiben Sie *frage* und dahinter Ihre Frage oder den Text Ihres Entwurfs.",
        },
    },
    "ask.kb_broken": {
        "en": "I can't read the guidelines right now, so I can't answer. Please ask the comms team ({comms_lead}) directly.",
        "de": {
            "du": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte frag direkt bei der Kommunikation ({comms_lead}) nach.",
            "sie": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte wenden Sie sich direkt an die Kommunikation ({comms_lead}).",
        },
    },
    "ask.kb_reload_failed": {
        "en": "For the comms lead: the guideline files have {count} problem(s), so the previous version is still in use. First: {problem}",
        "de": "Für die Kommunikationsleitung: Die Richtlinien-Dateien haben {count} Problem(e), daher ist noch die vorige Fassung in Gebrauch. Erstes: {problem}",
    },
    "ask.comms_team": {"en": "the comms team", "de": "die Kommunikation"},
    "rules.title": {"en": "Posting guidelines", "de": "Richtlinien fürs Posten"},
    "rules.intro": {
        "en": "{count} guidelines in {topics} topics. Write *rules* and a topic to see them, for example *rules privacy*.",
        "de": {
            "du": "{count} Richtlinien in {topics} Themen. Schreib *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
            "sie": "{count} Richtlinien in {topics} Themen. Schreiben Sie *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
        },
    },
    "rules.topic_count": {
        "en": "{count} guidelines · rules {topic}",
        "de": "{count} Richtlinien · regeln {topic}",
    },
    "rules.topic_title": {"en": "Guidelines: {name}", "de": "Richtlinien: {name}"},
    "rules.unknown": {
        "en": "I don't know the topic “{topic}”. Write *rules* to see all topics.",
        "de": {
            "du": "Das Thema „{topic}“ kenne ich nicht. Schreib *regeln*, um alle Themen zu sehen.",
            "sie": "Das Thema „{topic}“ kenne ich nicht. Schreiben Sie *regeln*, um alle Themen zu sehen.",
        },
    },
    "rules.verdict.go": {"en": "✅ go", "de": "✅ go"},
    "rules.verdict.check": {"en": "⚠️ check first", "de": "⚠️ erst klären"},
    "rules.verdict.no": {"en": "⛔ no", "de": "⛔ nein"},
    "ask.context_llm": {
        "en": "Composed with a language model from {company}'s guidelines and checked against them. Was this helpful?",
        "de": "Mit einem Sprachmodell aus den Richtlinien von {company} formuliert und an ihnen geprüft. War das hilfreich?",
    },
    "ask.already_noted": {
        "en": "You already told me, thanks. It counts once.",
        "de": {
            "du": "Das hast du mir schon gesagt, danke. Es zählt einmal.",
            "sie": "Das haben Sie mir schon gesagt, danke. Es zählt einmal.",
        },
    },
    "ask.pass": {"en": "Pass to the comms team", "de": "An die Kommunikation geben"},
    "ask.report_crisis": {"en": "Report to comms", "de": "An die Kommunikation melden"},
    "ask.passed": {
        "en": "Passed on to the comms team as {ref}. You'll get their answer here from me. Until then, please don't post it.",
        "de": {
            "du": "An die Kommunikation weitergegeben als {ref}. Die Antwort bekommst du hier von mir. Bis dahin poste es bitte nicht.",
            "sie": "An die Kommunikation weitergegeben als {ref}. Die Antwort bekommen Sie hier von mir. Bis dahin posten Sie es bitte nicht.",
        },
    },
    "ask.pass_already": {
        "en": "This question is already with the comms team ({ref}); you'll get the answer here.",
        "de": {
            "du": "Diese Frage liegt schon bei der Kommunikation ({ref}); die Antwort bekommst du hier.",
            "sie": "Diese Frage liegt schon bei der Kommunikation ({ref}); die Antwort bekommen Sie hier.",
        },
    },
    "ask.pass_unavailable": {
        "en": "I can't pass questions on right now. Please ask the comms team ({comms_lead}) directly.",
        "de": {
            "du": "Ich kann Fragen gerade nicht weitergeben. Bitte frag direkt bei der Kommunikation ({comms_lead}) nach.",
            "sie": "Ich kann Fragen gerade nicht weitergeben. Bitte wenden Sie sich direkt an die Kommunikation ({comms_lead}).",
        },
    },
    "ask.pass_nothing": {
        "en": "That button no longer carries your question. Please ask again and pass it on from the new answer.",
        "de": {
            "du": "Dieser Knopf enthält deine Frage nicht mehr. Bitte stell sie noch einmal und gib sie aus der neuen Antwort weiter.",
            "sie": "Dieser Knopf enthält Ihre Frage nicht mehr. Bitte stellen Sie sie noch einmal und geben Sie sie aus der neuen Antwort weiter.",
        },
    },
    "ask.guard_failed": {
        "en": "I couldn't check whether posting is on hold for this topic right now, so please clear it first.",
        "de": {
            "du": "Ich konnte gerade nicht prüfen, ob das Posten zu diesem Thema angehalten ist; kläre es daher bitte vorher.",
            "sie": "Ich konnte gerade nicht prüfen, ob das Posten zu diesem Thema angehalten ist; klären Sie es daher bitte vorher.",
        },
    },
    "ask.guard_step": {
        "en": "Don't post about this until the comms team says so; ask {comms_lead} if you're unsure.",
        "de": {
            "du": "Poste dazu nichts, bis die Kommunikation es freigibt; frag {comms_lead}, wenn du unsicher bist.",
            "sie": "Posten Sie dazu nichts, bis die Kommunikation es freigibt; wenden Sie sich an {comms_lead}, wenn Sie unsicher sind.",
        },
    },
    "gaps.desc": {
        "en": "questions passed to the comms team, to answer",
        "de": "an die Kommunikation weitergegebene Fragen, zum Beantworten",
    },
    "gaps.usage": {"en": "kb gaps · answer GAP-ID text", "de": "kb lücken · antwort GAP-ID Text"},
    "gaps.title": {
        "en": "Open questions for the comms team ({count})",
        "de": "Offene Fragen an die Kommunikation ({count})",
    },
    "gaps.none": {
        "en": "No open questions: every question passed on has been answered.",
        "de": "Keine offenen Fragen: Jede weitergegebene Frage ist beantwortet.",
    },
    "gaps.line": {
        "en": "{ref} · {date} · {language} · {reason}",
        "de": "{ref} · {date} · {language} · {reason}",
    },
    "gaps.more": {
        "en": "… and {count} more (ambassador kb gaps lists all).",
        "de": "… und {count} weitere (ambassador kb gaps listet alle).",
    },
    "gaps.reason.no_match": {"en": "no guideline fitted", "de": "keine Richtlinie passte"},
    "gaps.reason.unhelpful": {"en": "answer not helpful", "de": "Antwort nicht hilfreich"},
    "gaps.how": {
        "en": "Answer with: answer {ref} your answer. When a guideline covers it now: answer {ref} rule:<guideline id>. The asker gets your answer from me; their name isn't shown to you.",
        "de": {
            "du": "Antworte mit: antwort {ref} deine Antwort. Wenn eine Richtlinie es jetzt abdeckt: antwort {ref} rule:<Richtlinien-ID>. Die fragende Person bekommt deine Antwort von mir; ihr Name wird dir nicht gezeigt.",
            "sie": "Antworten Sie mit: antwort {ref} Ihre Antwort. Wenn eine Richtlinie es jetzt abdeckt: antwort {ref} rule:<Richtlinien-ID>. Die fragende Person bekommt Ihre Antwort von mir; ihr Name wird Ihnen nicht gezeigt.",
        },
    },
    "gaps.lead_title": {
        "en": "Question for the comms team: {ref}",
        "de": "Frage an die Kommunikation: {ref}",
    },
    "gaps.reason": {"en": "Why it came", "de": "Warum sie kommt"},
    "gaps.language": {"en": "Asked in", "de": "Gefragt auf"},
    "gaps.bot_answer": {"en": "The bot had answered", "de": "Der Bot hatte geantwortet"},
    "gaps.lang.de": {"en": "German", "de": "Deutsch"},
    "gaps.lang.en": {"en": "English", "de": "Englisch"},
    "gaps.answer_usage": {
        "en": "Write your answer after the number, for example: answer {ref} Yes, that's fine once the press release is out.",
        "de": {
            "du": "Schreib deine Antwort hinter die Nummer, zum Beispiel: antwort {ref} Ja, sobald die Pressemitteilung draußen ist.",
            "sie": "Schreiben Sie Ihre Antwort hinter die Nummer, zum Beispiel: antwort {ref} Ja, sobald die Pressemitteilung draußen ist.",
        },
    },
    "gaps.missing": {
        "en": "There is no question {ref}. Write *kb gaps* to see the open ones.",
        "de": "Eine Frage {ref} gibt es nicht. *kb lücken* zeigt die offenen.",
    },
    "gaps.already": {
        "en": "{ref} was already answered on {date} by {name}.",
        "de": "{ref} wurde schon am {date} von {name} beantwortet.",
    },
    "gaps.withdrawn": {
        "en": "The asker of {ref} has deleted their data, so there is nobody to answer any more.",
        "de": "Die fragende Person von {ref} hat ihre Daten gelöscht; es gibt niemanden mehr, dem man antworten kann.",
    },
    "gaps.rule_unknown": {
        "en": "There is no guideline “{rule}”. Write *rules* to browse them; a new guideline must be in the files first (ambassador kb check).",
        "de": "Eine Richtlinie „{rule}“ gibt es nicht. *regeln* zeigt sie; eine neue Richtlinie muss erst in den Dateien stehen (ambassador kb check).",
    },
    "gaps.sent": {
        "en": "Thanks: your answer to {ref} has been sent to the asker.",
        "de": "Danke: Die Antwort auf {ref} ist an die fragende Person gegangen.",
    },
    "gaps.queued": {
        "en": "Your answer to {ref} is saved, but I couldn't reach the asker just now; I'll keep trying.",
        "de": "Die Antwort auf {ref} ist gespeichert, aber ich konnte die fragende Person gerade nicht erreichen; ich versuche es weiter.",
    },
    "gaps.asker_title": {
        "en": "The comms team answered your question",
        "de": {
            "du": "Die Kommunikation hat deine Frage beantwortet",
            "sie": "Die Kommunikation hat Ihre Frage beantwortet",
        },
    },
    "gaps.your_question": {"en": "Your question", "de": {"du": "Deine Frage", "sie": "Ihre Frage"}},
    "gaps.guideline": {"en": "Guideline {id}", "de": "Richtlinie {id}"},
    "gaps.answered_by": {
        "en": "Answered by {name} ({role}) · {ref}",
        "de": "Beantwortet von {name} ({role}) · {ref}",
    },
    "gaps.role": {"en": "comms team", "de": "Kommunikation"},
    "kb.alert_title": {
        "en": "The guideline files have problems",
        "de": "Die Richtlinien-Dateien haben Fehler",
    },
    "kb.alert_text": {
        "en": "I couldn't load the changed guideline files ({count} problem(s)), so the previous version stays in use until they are fixed:",
        "de": "Ich konnte die geänderten Richtlinien-Dateien nicht laden ({count} Problem(e)); bis sie behoben sind, bleibt die vorige Fassung in Gebrauch:",
    },
    "kb.alert_broken_text": {
        "en": "I can't load the guideline files ({count} problem(s)), so I can't answer questions about posting until they are fixed:",
        "de": "Ich kann die Richtlinien-Dateien nicht laden ({count} Problem(e)); bis sie behoben sind, kann ich Fragen zum Posten nicht beantworten:",
    },
    "kb.alert_how": {
        "en": "Check the files with: ambassador kb check. I pick up the fixed files by myself.",
        "de": "Prüfen mit: ambassador kb check. Die behobenen Dateien lade ich von selbst.",
    },
    "ask.mydata_questions": {
        "en": "Questions to the bot (their text is not kept)",
        "de": "Fragen an den Bot (ihr Text wird nicht gespeichert)",
    },
    "ask.mydata_questions_line": {
        "en": "{count} (go {go}, check {check}, no {no})",
        "de": "{count} (go {go}, klären {check}, nein {no})",
    },
    "ask.mydata_feedback": {"en": "Feedback on answers", "de": "Rückmeldungen zu Antworten"},
    "ask.mydata_feedback_line": {
        "en": "{helpful} helpful, {unhelpful} not helpful",
        "de": "{helpful} hilfreich, {unhelpful} nicht hilfreich",
    },
    "ask.mydata_gaps": {
        "en": "Questions passed to the comms team",
        "de": "An die Kommunikation weitergegebene Fragen",
    },
    "ask.mydata_none": {"en": "none", "de": "keine"},
    "gaps.status.open": {"en": "open", "de": "offen"},
    "gaps.status.answered": {"en": "answered", "de": "beantwortet"},
    "gaps.status.withdrawn": {"en": "withdrawn", "de": "zurückgezogen"},
}
