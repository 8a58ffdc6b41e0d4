"""Every text of the content capability, in English and German (key -> {"en": ..., "de": ...})."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {
    "content.desc": {"en": "the content queue: add, list, retire", "de": "die Inhalte-Warteschlange: hinzufügen, auflisten, zurückziehen"},
    "content.approve.desc": {"en": "approve an item waiting for you", "de": "einen wartenden Inhalt freigeben"},
    "content.approve.usage": {"en": "content approve NUMBER", "de": "inhalt freigeben NUMMER"},
    "content.reject.desc": {"en": "reject an item, with a reason for its author", "de": "einen Inhalt ablehnen, mit Grund für die Person"},
    "content.reject.usage": {"en": "content reject NUMBER [REASON]", "de": "inhalt ablehnen NUMMER [GRUND]"},
    "content.reason.desc": {"en": "give the reason for a rejection made with the button", "de": "den Grund zu einer Ablehnung per Knopf nachreichen"},
    "content.reason.usage": {"en": "content reason NUMBER REASON", "de": "inhalt grund NUMMER GRUND"},
    "content.add.desc": {"en": "add shareable content", "de": "teilbaren Inhalt hinzufügen"},
    "content.add.usage": {"en": "content add url: … title: … en: … de: …", "de": "inhalt neu url: … titel: … de: … en: …"},
    "content.list.desc": {"en": "the content queue with its status", "de": "die Inhalte mit ihrem Status"},
    "content.retire.desc": {"en": "take an item out of the queue", "de": "einen Inhalt zurückziehen"},
    "content.retire.usage": {"en": "content retire NUMBER", "de": "inhalt zurückziehen NUMMER"},
    "content.status.desc": {"en": "how the last nudges went", "de": "wie die letzten Erinnerungen gelaufen sind"},
    "content.nudges.desc": {"en": "weekly content: weekly, every two weeks or pause", "de": "Inhalte per Erinnerung: wöchentlich, alle zwei Wochen oder Pause"},
    "content.nudges.usage": {"en": "nudges weekly|biweekly|pause", "de": "erinnerungen wöchentlich|zweiwöchentlich|pause"},
    "content.help": {
        "en": "Add an item in one message, one field per line (or separated by “ | ”):\n"
              "*content add*\nurl: https://example.com/news\ntitle: Our new plant opens\naudience: all | core | a department\n"
              "en: Suggested post in English\nde: Vorgeschlagener Post auf Deutsch\nfrom: 2026-04-01\nuntil: 2026-04-30\n"
              "image: https://example.com/photo.jpg\nrights: © Example GmbH, free for social media\n"
              "Then: *content list*, *content retire NUMBER*, *content status*.",
        "de": {"du": "Füge einen Inhalt in einer Nachricht hinzu, ein Feld pro Zeile (oder getrennt durch „ | “):\n"
                     "*inhalt neu*\nurl: https://example.com/news\ntitel: Unser neues Werk eröffnet\nzielgruppe: alle | kern | eine Abteilung\n"
                     "de: Vorgeschlagener Post auf Deutsch\nen: Suggested post in English\nab: 01.04.2026\nbis: 30.04.2026\n"
                     "bild: https://example.com/foto.jpg\nrechte: © Example GmbH, frei für soziale Medien\n"
                     "Danach: *inhalte*, *inhalt zurückziehen NUMMER*, *inhalte status*.",
               "sie": "Fügen Sie einen Inhalt in einer Nachricht hinzu, ein Feld pro Zeile (oder getrennt durch „ | “):\n"
                      "*inhalt neu*\nurl: https://example.com/news\ntitel: Unser neues Werk eröffnet\nzielgruppe: alle | kern | eine Abteilung\n"
                      "de: Vorgeschlagener Post auf Deutsch\nen: Suggested post in English\nab: 01.04.2026\nbis: 30.04.2026\n"
                      "bild: https://example.com/foto.jpg\nrechte: © Example GmbH, frei für soziale Medien\n"
                      "Danach: *inhalte*, *inhalt zurückziehen NUMMER*, *inhalte status*."},
    },
    # validation
    "content.err.url_missing": {
        "en": "The item needs a link: add a line *url: https://…*.",
        "de": {"du": "Der Inhalt braucht einen Link: Füge eine Zeile *url: https://…* hinzu.",
               "sie": "Der Inhalt braucht einen Link: Bitte fügen Sie eine Zeile *url: https://…* hinzu."},
    },
    "content.err.url_bad": {
        "en": "“{value}” is not a web address I can send people to; use a full link starting with https://.",
        "de": "„{value}“ ist keine Webadresse, auf die ich Leute schicken kann; bitte einen vollständigen Link mit https:// angeben.",
    },
    "content.err.text_missing": {
        "en": "The item needs a suggested post text in German or English: add a line *en: …* or *de: …*.",
        "de": {"du": "Der Inhalt braucht einen Textvorschlag auf Deutsch oder Englisch: Füge eine Zeile *de: …* oder *en: …* hinzu.",
               "sie": "Der Inhalt braucht einen Textvorschlag auf Deutsch oder Englisch: Bitte fügen Sie eine Zeile *de: …* oder *en: …* hinzu."},
    },
    "content.err.text_long": {
        "en": "The {lang} post text has {length} characters; LinkedIn takes at most {limit}. Please shorten it.",
        "de": "Der Text ({lang}) hat {length} Zeichen; LinkedIn nimmt höchstens {limit}. Bitte kürzen.",
    },
    "content.err.title_long": {"en": "The title is longer than {limit} characters.", "de": "Der Titel ist länger als {limit} Zeichen."},
    "content.err.date_bad": {
        "en": "“{value}” is not a date; write 2026-04-30 or 30.04.2026.",
        "de": "„{value}“ ist kein Datum; bitte 30.04.2026 oder 2026-04-30 schreiben.",
    },
    "content.err.until_past": {
        "en": "The end date {date} is in the past, so the item would never go out.",
        "de": "Das Enddatum {date} liegt in der Vergangenheit; der Inhalt würde nie verschickt.",
    },
    "content.err.from_after_until": {
        "en": "The start date {start} is after the end date {end}.",
        "de": "Das Startdatum {start} liegt nach dem Enddatum {end}.",
    },
    "content.err.audience_bad": {
        "en": "“{value}” is not an audience I know. Use all, core or one of the departments: {departments}.",
        "de": "„{value}“ ist keine Zielgruppe, die ich kenne. Möglich sind alle, kern oder eine der Abteilungen: {departments}.",
    },
    "content.err.audience_denied": {
        "en": "As a communicator for {departments} you can add content for your department(s) or for all members, not for “{value}”.",
        "de": {"du": "Als Kommunikator*in für {departments} kannst du Inhalte für deine Abteilung(en) oder für alle Mitglieder anlegen, nicht für „{value}“.",
               "sie": "Als Kommunikator*in für {departments} können Sie Inhalte für Ihre Abteilung(en) oder für alle Mitglieder anlegen, nicht für „{value}“."},
    },
    "content.err.image_bad": {
        "en": "The image “{value}” is not a web address; use a full link starting with https://.",
        "de": "Das Bild „{value}“ ist keine Webadresse; bitte einen vollständigen Link mit https:// angeben.",
    },
    "content.err.rights_missing": {
        "en": "An image needs its rights note (who owns it, may it be shared): add a line *rights: …*.",
        "de": {"du": "Ein Bild braucht einen Rechtehinweis (wem es gehört, ob es geteilt werden darf): Füge eine Zeile *rechte: …* hinzu.",
               "sie": "Ein Bild braucht einen Rechtehinweis (wem es gehört, ob es geteilt werden darf): Bitte fügen Sie eine Zeile *rechte: …* hinzu."},
    },
    "content.err.unknown_field": {
        "en": "I don't know the field “{value}”. Fields: url, title, audience, en, de, from, until, image, rights.",
        "de": "Das Feld „{value}“ kenne ich nicht. Felder: url, titel, zielgruppe, de, en, ab, bis, bild, rechte.",
    },
    "content.err.status_bad": {
        "en": "“{value}” is not a status for an import; use draft or approved.",
        "de": "„{value}“ ist kein Status für einen Import; möglich sind draft oder approved.",
    },
    "content.err.title": {"en": "Not added: {problems}", "de": "Nicht hinzugefügt: {problems}"},
    # the form (a Slack modal, a Teams card)
    "content.form.intro": {"en": "A new item for the content queue:", "de": "Ein neuer Inhalt für die Warteschlange:"},
    "content.form.title": {"en": "Add content", "de": "Inhalt hinzufügen"},
    "content.form.submit": {"en": "Add", "de": "Hinzufügen"},
    "content.form.open": {"en": "Add with a form", "de": "Mit Formular hinzufügen"},
    "content.form.again": {"en": "Open the form again", "de": "Formular wieder öffnen"},
    "content.form.url": {"en": "Link (URL)", "de": "Link (URL)"},
    "content.form.title_field": {"en": "Title", "de": "Titel"},
    "content.form.title_hint": {"en": "Optional: else the first line of the text.",
                                "de": "Optional: sonst die erste Zeile des Textes."},
    "content.form.en": {"en": "Suggested post in English", "de": "Textvorschlag auf Englisch"},
    "content.form.de": {"en": "Suggested post in German", "de": "Textvorschlag auf Deutsch"},
    "content.form.text_hint": {"en": "German, English or both; at most {limit} characters each.",
                               "de": "Deutsch, Englisch oder beides; jeweils höchstens {limit} Zeichen."},
    "content.form.audience": {"en": "Audience", "de": "Zielgruppe"},
    "content.form.from": {"en": "Valid from (optional)", "de": "Gültig ab (optional)"},
    "content.form.until": {"en": "Valid until (optional)", "de": "Gültig bis (optional)"},
    "content.form.image": {"en": "Image (URL, optional)", "de": "Bild (URL, optional)"},
    "content.form.rights": {"en": "Image rights", "de": "Bildrechte"},
    "content.form.rights_hint": {"en": "Who owns the image, and may it be shared? Needed with an image.",
                                 "de": "Wem gehört das Bild, und darf es geteilt werden? Nötig bei einem Bild."},
    "content.form.retry": {
        "en": "Nothing is lost: open the form again with what you entered, or correct this and send it as a message:",
        "de": {"du": "Nichts ist verloren: Öffne das Formular noch einmal mit deinen Eingaben, oder korrigiere diesen Text und schick ihn als Nachricht:",
               "sie": "Nichts ist verloren: Öffnen Sie das Formular noch einmal mit Ihren Eingaben, oder korrigieren Sie diesen Text und schicken Sie ihn als Nachricht:"},
    },
    "content.form.retry_text": {
        "en": "Nothing is lost: correct this and send it as a message:",
        "de": {"du": "Nichts ist verloren: Korrigiere diesen Text und schick ihn als Nachricht:",
               "sie": "Nichts ist verloren: Korrigieren Sie diesen Text und schicken Sie ihn als Nachricht:"},
    },
    # outcomes
    "content.added.approved": {
        "en": "Added #{id} “{title}” for {audience} ({langs}){valid}. It goes out with the next nudge ({next}).",
        "de": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er geht mit der nächsten Erinnerung raus ({next}).",
    },
    "content.added.pending": {
        "en": "Added #{id} “{title}” for {audience} ({langs}){valid}. It waits for the comms lead's approval; you'll hear back.",
        "de": {"du": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er wartet auf die Freigabe durch die Kommunikationsleitung; du hörst von mir.",
               "sie": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er wartet auf die Freigabe durch die Kommunikationsleitung; Sie hören von mir."},
    },
    "content.valid": {"en": ", valid {range}", "de": ", gültig {range}"},
    "content.audience.all": {"en": "all members", "de": "alle Mitglieder"},
    "content.audience.core": {"en": "the core group", "de": "die Kerngruppe"},
    "content.audience.department": {"en": "{department}", "de": "{department}"},
    "content.status.draft": {"en": "draft", "de": "Entwurf"},
    "content.status.pending": {"en": "awaiting approval", "de": "wartet auf Freigabe"},
    "content.status.approved": {"en": "approved", "de": "freigegeben"},
    "content.status.rejected": {"en": "rejected", "de": "abgelehnt"},
    "content.status.retired": {"en": "retired", "de": "zurückgezogen"},
    "content.list.title": {"en": "Content queue", "de": "Inhalte"},
    "content.list.empty": {
        "en": "The queue is empty. Add the first item with *content add*.",
        "de": "Noch keine Inhalte. Den ersten mit *inhalt neu* hinzufügen.",
    },
    "content.list.line": {
        "en": "{status} · {audience} · {langs}{valid} · shared {shared}× of {sent}, {clicks} clicks",
        "de": "{status} · {audience} · {langs}{valid} · {shared}× geteilt von {sent}, {clicks} Klicks",
    },
    "content.list.more": {"en": "… and {count} older items.", "de": "… und {count} ältere Inhalte."},
    "content.list.source": {"en": " · from {source}", "de": " · aus {source}"},
    # feeds (handlers/feeds.py) in "content status"
    "content.feed.failing": {"en": "Feed “{name}” fails", "de": "Feed „{name}“ schlägt fehl"},
    "content.feed.failing_line": {"en": "{why} (since {since}). It is tried again at the next fetch.",
                                  "de": "{why} (seit {since}). Beim nächsten Abruf wird es erneut versucht."},
    "content.feed.skipped": {"en": "Feed “{name}”: {count} entries skipped", "de": "Feed „{name}“: {count} Einträge übersprungen"},
    "content.feed.why.timeout": {"en": "no answer within {detail} seconds", "de": "keine Antwort innerhalb von {detail} Sekunden"},
    "content.feed.why.too_large": {"en": "larger than the limit of {detail} bytes (feeds.max_bytes)",
                                   "de": "größer als die Grenze von {detail} Bytes (feeds.max_bytes)"},
    "content.feed.why.not_feed": {"en": "not an RSS or Atom feed ({detail})", "de": "kein RSS- oder Atom-Feed ({detail})"},
    "content.feed.why.http": {"en": "the server answered with HTTP {detail}", "de": "der Server antwortete mit HTTP {detail}"},
    "content.feed.why.unreachable": {"en": "the server cannot be reached ({detail})",
                                     "de": "der Server ist nicht erreichbar ({detail})"},
    "content.feed.why.host_not_allowed": {
        "en": "{detail} is not a host of the configured feeds (feeds.sources, feeds.hosts)",
        "de": "{detail} ist kein Host der eingetragenen Feeds (feeds.sources, feeds.hosts)"},
    "content.feed.why.private_address": {
        "en": "{detail} is a private or loopback address; feeds are fetched from public addresses only",
        "de": "{detail} ist eine private oder Loopback-Adresse; Feeds werden nur von öffentlichen Adressen abgerufen"},
    "content.feed.why.no_link": {"en": "the entry has no link", "de": "der Eintrag hat keinen Link"},
    "content.feed.why.other_host": {"en": "the link goes to another host ({detail})",
                                    "de": "der Link führt zu einem anderen Host ({detail})"},
    "content.feed.why.no_metadata": {"en": "the page has no title or preview data (OpenGraph, Twitter card)",
                                     "de": "die Seite hat keinen Titel und keine Vorschaudaten (OpenGraph, Twitter Card)"},
    "content.feed.why.bad_url": {"en": "not a web address: {detail}", "de": "keine Webadresse: {detail}"},
    "content.feed.why.error": {"en": "an unexpected error ({detail})", "de": "ein unerwarteter Fehler ({detail})"},
    "content.no_item": {"en": "There is no item #{id}.", "de": "Es gibt keinen Inhalt #{id}."},
    "content.need_number": {"en": "Which item? Write for example *content retire 12*.", "de": "Welcher Inhalt? Zum Beispiel *inhalt zurückziehen 12*."},
    "content.not_yours": {
        "en": "Item #{id} belongs to another department; only its communicators or the comms lead can change it.",
        "de": "Inhalt #{id} gehört zu einer anderen Abteilung; ändern können ihn nur deren Kommunikator*innen oder die Kommunikationsleitung.",
    },
    "content.not_yours_all": {
        "en": "Item #{id} is not one department's (it goes to all members or the core group): only the comms lead or the backup can change it.",
        "de": "Inhalt #{id} gehört keiner Abteilung (er geht an alle Mitglieder oder die Kerngruppe): Ändern können ihn nur die Kommunikationsleitung oder ihre Vertretung.",
    },
    "content.retired": {"en": "Retired #{id} “{title}”: it is not sent any more.", "de": "#{id} „{title}“ zurückgezogen: Er wird nicht mehr verschickt."},
    "content.already_retired": {"en": "#{id} was retired already.", "de": "#{id} war schon zurückgezogen."},
    # approval
    "content.approval.title": {"en": "Content to approve: #{id}", "de": "Inhalt zur Freigabe: #{id}"},
    "content.approval.text": {"en": "*{title}*\n{url}", "de": "*{title}*\n{url}"},
    "content.approval.audience": {"en": "Audience", "de": "Zielgruppe"},
    "content.approval.valid": {"en": "Valid", "de": "Gültig"},
    "content.approval.by": {"en": "Added by", "de": "Hinzugefügt von"},
    "content.approval.image": {"en": "Image", "de": "Bild"},
    "content.approval.approve": {"en": "Approve", "de": "Freigeben"},
    "content.approval.reject": {"en": "Reject", "de": "Ablehnen"},
    "content.approval.approved": {"en": "Approved #{id} “{title}” ({who}). It goes out with the next nudge.", "de": "#{id} „{title}“ freigegeben ({who}). Er geht mit der nächsten Erinnerung raus."},
    "content.approval.rejected": {"en": "Rejected #{id} “{title}” ({who}).", "de": "#{id} „{title}“ abgelehnt ({who})."},
    "content.approval.decided": {"en": "#{id} “{title}” is {status} already.", "de": "#{id} „{title}“ ist bereits {status}."},
    "content.approval.told_approved": {
        "en": "Your item #{id} “{title}” was approved and goes out with the next nudge.",
        "de": {"du": "Dein Inhalt #{id} „{title}“ wurde freigegeben und geht mit der nächsten Erinnerung raus.",
               "sie": "Ihr Inhalt #{id} „{title}“ wurde freigegeben und geht mit der nächsten Erinnerung raus."},
    },
    "content.approval.told_rejected": {
        "en": "Your item #{id} “{title}” was not approved.{note}",
        "de": {"du": "Dein Inhalt #{id} „{title}“ wurde nicht freigegeben.{note}",
               "sie": "Ihr Inhalt #{id} „{title}“ wurde nicht freigegeben.{note}"},
    },
    "content.approval.note": {"en": " Note: {note}", "de": " Hinweis: {note}"},
    "content.approval.reason_hint": {"en": "To tell the author why, write *content reason {id} WHY*.",
                                     "de": {"du": "Um der Person den Grund zu sagen, schreib *inhalt grund {id} WARUM*.",
                                            "sie": "Um der Person den Grund zu sagen, schreiben Sie *inhalt grund {id} WARUM*."}},
    "content.approval.reason_set": {"en": "The note on #{id} is saved; its author has it.",
                                    "de": "Der Hinweis zu #{id} ist gespeichert; die Person hat ihn bekommen."},
    "content.approval.reason_not_rejected": {"en": "#{id} is not rejected: a reason goes with a rejection.",
                                             "de": "#{id} ist nicht abgelehnt: Ein Grund gehört zu einer Ablehnung."},
    "content.approval.told_reason": {
        "en": "Why your item #{id} “{title}” was not approved: {note}",
        "de": {"du": "Warum dein Inhalt #{id} „{title}“ nicht freigegeben wurde: {note}",
               "sie": "Warum Ihr Inhalt #{id} „{title}“ nicht freigegeben wurde: {note}"},
    },
    # the nudge
    "content.nudge.title": {"en": "Something to share this week", "de": "Diese Woche zum Teilen"},
    "content.nudge.intro": {
        "en": "Here is fresh content, with a post ready to go. Share what you like; skip what you don't.",
        "de": {"du": "Hier sind neue Inhalte mit fertigem Post-Vorschlag. Teile, was dir gefällt; lass weg, was nicht passt.",
               "sie": "Hier sind neue Inhalte mit fertigem Post-Vorschlag. Teilen Sie, was Ihnen gefällt; lassen Sie weg, was nicht passt."},
    },
    "content.nudge.image": {"en": "Image: {url} ({rights})", "de": "Bild: {url} ({rights})"},
    "content.nudge.shared_mark": {"en": "✓ You shared this. Thank you!", "de": {"du": "✓ Du hast das geteilt. Danke!", "sie": "✓ Sie haben das geteilt. Danke!"}},
    "content.nudge.declined_mark": {"en": "Skipped.", "de": "Ausgelassen."},
    "content.nudge.gone_mark": {"en": "No longer available.", "de": "Nicht mehr verfügbar."},
    "content.nudge.context": {
        "en": "Sharing is voluntary. *nudges biweekly* or *nudges pause* changes how often you hear from me.",
        "de": {"du": "Teilen ist freiwillig. Mit *erinnerungen zweiwöchentlich* oder *erinnerungen pause* änderst du, wie oft du von mir hörst.",
               "sie": "Teilen ist freiwillig. Mit *erinnerungen zweiwöchentlich* oder *erinnerungen pause* ändern Sie, wie oft Sie von mir hören."},
    },
    "content.nudge.linkedin": {"en": "LinkedIn{n}", "de": "LinkedIn{n}"},
    "content.nudge.xing": {"en": "XING{n}", "de": "XING{n}"},
    "content.nudge.x": {"en": "X{n}", "de": "X{n}"},
    "content.nudge.shared": {"en": "I shared it{n}", "de": "Geteilt{n}"},
    "content.nudge.declined": {"en": "Not for me{n}", "de": "Nichts für mich{n}"},
    "content.nudge.thanks_again": {"en": "Already noted, thank you!", "de": "Schon notiert, danke!"},
    "content.nudge.not_yours": {"en": "This button belongs to someone else's message.", "de": "Dieser Knopf gehört zur Nachricht einer anderen Person."},
    "content.nudge.feedback": {"en": "Feedback / topic for the next meeting", "de": "Rückmeldung / Thema fürs nächste Treffen"},
    # preferences
    "content.nudges.current": {
        "en": "You get content {frequency}. Choose:",
        "de": {"du": "Du bekommst Inhalte {frequency}. Wähle:", "sie": "Sie bekommen Inhalte {frequency}. Bitte wählen Sie:"},
    },
    "content.nudges.freq.weekly": {"en": "every week", "de": "jede Woche"},
    "content.nudges.freq.biweekly": {"en": "every two weeks", "de": "alle zwei Wochen"},
    "content.nudges.freq.pause": {"en": "not at the moment (paused)", "de": "im Moment nicht (pausiert)"},
    "content.nudges.btn.weekly": {"en": "Weekly", "de": "Wöchentlich"},
    "content.nudges.btn.biweekly": {"en": "Every two weeks", "de": "Alle zwei Wochen"},
    "content.nudges.btn.pause": {"en": "Pause", "de": "Pause"},
    "content.nudges.set.weekly": {
        "en": "Done: you get content every week.",
        "de": {"du": "Erledigt: Du bekommst jede Woche Inhalte.", "sie": "Erledigt: Sie bekommen jede Woche Inhalte."},
    },
    "content.nudges.set.biweekly": {
        "en": "Done: you get content every two weeks.",
        "de": {"du": "Erledigt: Du bekommst alle zwei Wochen Inhalte.", "sie": "Erledigt: Sie bekommen alle zwei Wochen Inhalte."},
    },
    "content.nudges.set.pause": {
        "en": "Paused: no content messages until you write *nudges weekly*.",
        "de": {"du": "Pausiert: keine Inhalte mehr, bis du *erinnerungen wöchentlich* schreibst.",
               "sie": "Pausiert: keine Inhalte mehr, bis Sie *erinnerungen wöchentlich* schreiben."},
    },
    "content.nudges.bad": {
        "en": "Write *nudges weekly*, *nudges biweekly* or *nudges pause*.",
        "de": "Möglich sind *erinnerungen wöchentlich*, *erinnerungen zweiwöchentlich* oder *erinnerungen pause*.",
    },
    # status and reports
    "content.status.title": {"en": "Nudges", "de": "Erinnerungen"},
    "content.status.none": {"en": "No nudge has run yet. The next one: {next}.", "de": "Noch keine Erinnerung gelaufen. Die nächste: {next}."},
    "content.status.line": {
        "en": "{sent} sent, {pending} pending, {failed} failed, {uncertain} uncertain, {skipped} skipped",
        "de": "{sent} gesendet, {pending} offen, {failed} fehlgeschlagen, {uncertain} unsicher, {skipped} übersprungen",
    },
    "content.status.next": {"en": "Next nudge: {next}.", "de": "Nächste Erinnerung: {next}."},
    "content.report.title": {"en": "Nudge {cycle}: delivery report", "de": "Erinnerung {cycle}: Zustellbericht"},
    "content.report.text": {
        "en": "{sent} sent, {failed} failed, {uncertain} uncertain (maybe delivered: not sent again), {skipped} skipped.",
        "de": "{sent} gesendet, {failed} fehlgeschlagen, {uncertain} unsicher (vielleicht zugestellt: nicht erneut gesendet), {skipped} übersprungen.",
    },
    "content.report.failed": {"en": "Failed", "de": "Fehlgeschlagen"},
    "content.report.uncertain": {"en": "Uncertain", "de": "Unsicher"},
    "content.report.skipped": {"en": "Skipped", "de": "Übersprungen"},
    "content.report.context": {
        "en": "Details: ambassador nudge status. An uncertain delivery is sent again only with ambassador nudge resend ID.",
        "de": "Details: ambassador nudge status. Eine unsichere Zustellung geht nur mit ambassador nudge resend ID erneut raus.",
    },
    "content.reason.gone": {"en": "left the platform", "de": "nicht mehr auf der Plattform"},
    "content.reason.unreachable": {"en": "chat not reachable", "de": "Chat nicht erreichbar"},
    "content.reason.no_account": {"en": "no chat account known", "de": "kein Chat-Konto bekannt"},
    "content.reason.error": {"en": "delivery error", "de": "Zustellfehler"},
    "content.mydata.content": {"en": "Shareable content", "de": "Teilbare Inhalte"},
    "content.mydata.content_line": {
        "en": "{received} items received, {shared} shared, {declined} skipped, {clicks} link clicks; nudges {frequency}",
        "de": "{received} Inhalte erhalten, {shared} geteilt, {declined} ausgelassen, {clicks} Link-Klicks; Erinnerungen {frequency}",
    },
    # the monthly thank-you
    "content.thanks.title": {"en": "Thank you, {name}!", "de": {"du": "Danke, {name}!", "sie": "Vielen Dank, {name}!"}},
    "content.thanks.title_anon": {"en": "Thank you!", "de": {"du": "Danke!", "sie": "Vielen Dank!"}},
    "content.thanks.both": {
        "en": "In {month} you shared {posts}, and people opened your links {times}.",
        "de": {"du": "Im {month} hast du {posts} geteilt, und deine Links wurden {times} geöffnet.",
               "sie": "Im {month} haben Sie {posts} geteilt, und Ihre Links wurden {times} geöffnet."},
    },
    "content.thanks.shares": {
        "en": "In {month} you shared {posts}.",
        "de": {"du": "Im {month} hast du {posts} geteilt.", "sie": "Im {month} haben Sie {posts} geteilt."},
    },
    "content.thanks.clicks": {
        "en": "In {month} people opened the links you shared {times}.",
        "de": {"du": "Im {month} wurden die Links, die du geteilt hast, {times} geöffnet.",
               "sie": "Im {month} wurden die Links, die Sie geteilt haben, {times} geöffnet."},
    },
    "content.thanks.posts_one": {"en": "one of our posts", "de": "einen unserer Beiträge"},
    "content.thanks.posts": {"en": "{n} of our posts", "de": "{n} unserer Beiträge"},
    "content.thanks.times_one": {"en": "once", "de": "einmal"},
    "content.thanks.times": {"en": "{n} times", "de": "{n}-mal"},
    "content.thanks.body": {
        "en": "Every post of yours shows, in your own words, what it is like to work here, and it reaches people "
              "no advert reaches. Thank you for taking the time for it, and for being part of {program}!",
        "de": {"du": "Jeder deiner Posts zeigt in deinen eigenen Worten, wie es ist, bei uns zu arbeiten, und erreicht "
                     "Menschen, die keine Anzeige erreicht. Danke, dass du dir die Zeit dafür nimmst und bei {program} dabei bist!",
               "sie": "Jeder Ihrer Posts zeigt in Ihren eigenen Worten, wie es ist, bei uns zu arbeiten, und erreicht "
                      "Menschen, die keine Anzeige erreicht. Danke, dass Sie sich die Zeit dafür nehmen und bei {program} dabei sind!"},
    },
    "content.thanks.context": {
        "en": "Only you get this message; there is no ranking. No more thank-you messages: *thanks off*.",
        "de": {"du": "Diese Nachricht bekommst nur du; es gibt keine Rangliste. Keine Dankesnachrichten mehr: *danke aus*.",
               "sie": "Diese Nachricht bekommen nur Sie; es gibt keine Rangliste. Keine Dankesnachrichten mehr: *danke aus*."},
    },
    "content.thanks.stop": {"en": "No more thank-yous", "de": "Keine Dankesnachrichten mehr"},
    "content.thanks.set_off": {
        "en": "Done: no more thank-you messages. *thanks on* brings them back.",
        "de": "Erledigt: keine Dankesnachrichten mehr. Mit *danke an* kommen sie wieder.",
    },
    "content.thanks.set_on": {
        "en": "Done: when you were among the most active members in a month, you get a short thank-you at the start of "
              "the next. Only you see it; there is no ranking.",
        "de": {"du": "Erledigt: Wenn du in einem Monat besonders aktiv warst, bekommst du zu Beginn des nächsten ein kurzes "
                     "Dankeschön. Nur du siehst es; es gibt keine Rangliste.",
               "sie": "Erledigt: Wenn Sie in einem Monat besonders aktiv waren, bekommen Sie zu Beginn des nächsten ein kurzes "
                      "Dankeschön. Nur Sie sehen es; es gibt keine Rangliste."},
    },
    "content.thanks.public_on": {
        "en": "Thank you: the comms lead may now see your name among the members thanked in a month (never a ranking, "
              "never your figures). *thanks public off* takes it back.",
        "de": {"du": "Danke: Die Kommunikationsleitung darf jetzt deinen Namen unter den Mitgliedern sehen, denen in einem "
                     "Monat gedankt wird (nie eine Rangliste, nie deine Zahlen). Mit *danke öffentlich aus* nimmst du das zurück.",
               "sie": "Danke: Die Kommunikationsleitung darf jetzt Ihren Namen unter den Mitgliedern sehen, denen in einem "
                      "Monat gedankt wird (nie eine Rangliste, nie Ihre Zahlen). Mit *danke öffentlich aus* nehmen Sie das zurück."},
    },
    "content.thanks.public_off": {
        "en": "Done: your name is shown to nobody; at most you are counted.",
        "de": {"du": "Erledigt: Dein Name wird niemandem gezeigt; du wirst höchstens mitgezählt.",
               "sie": "Erledigt: Ihr Name wird niemandem gezeigt; Sie werden höchstens mitgezählt."},
    },
    "content.thanks.public_ask": {
        "en": "Your name shown to the comms lead among the members thanked in a month: {state}. "
              "Write *thanks public on* or *thanks public off*.",
        "de": {"du": "Dein Name für die Kommunikationsleitung sichtbar unter den Mitgliedern, denen in einem Monat gedankt "
                     "wird: {state}. Schreib *danke öffentlich an* oder *danke öffentlich aus*.",
               "sie": "Ihr Name für die Kommunikationsleitung sichtbar unter den Mitgliedern, denen in einem Monat gedankt "
                      "wird: {state}. Möglich sind *danke öffentlich an* oder *danke öffentlich aus*."},
    },
    "content.thanks.desc": {
        "en": "the monthly thank-you: on or off; may the comms lead see your name",
        "de": {"du": "die monatliche Dankesnachricht: an oder aus; darf die Kommunikationsleitung deinen Namen sehen",
               "sie": "die monatliche Dankesnachricht: an oder aus; darf die Kommunikationsleitung Ihren Namen sehen"},
    },
    "content.thanks.usage": {"en": "thanks on|off, thanks public on|off", "de": "danke an|aus, danke öffentlich an|aus"},
    "content.thanks.preview.desc": {"en": "monthly thank-you: how many would be thanked", "de": "monatliche Dankesnachricht: wie vielen gedankt würde"},
    "content.thanks.preview.usage": {"en": "content thanks preview [--names]", "de": "inhalte danke vorschau [--namen]"},
    "content.thanks.preview.title": {"en": "Monthly thank-you: preview", "de": "Monatliche Dankesnachricht: Vorschau"},
    "content.thanks.preview.text": {
        "en": "On {date}, {count} members would get a personal thank-you for {month}, from the activity recorded in "
              "{month} (the {top} most active with at least {min} shares and clicks; more when tied). "
              "{opted_out} active members have turned thank-yous off.",
        "de": "Am {date} bekämen {count} Mitglieder ein persönliches Dankeschön für {month}, nach der im {month} erfassten "
              "Aktivität (die {top} aktivsten mit mindestens {min} geteilten Beiträgen und Klicks; bei Gleichstand mehr). "
              "{opted_out} aktive Mitglieder haben Dankesnachrichten abgeschaltet.",
    },
    "content.thanks.preview.off": {
        "en": "The thank-you is switched off (content.thanks.enabled in app.yaml): nothing goes out.",
        "de": "Die Dankesnachricht ist abgeschaltet (content.thanks.enabled in app.yaml): Es geht nichts raus.",
    },
    "content.thanks.preview.names": {"en": "Named (they agreed)", "de": "Mit Namen (sie haben zugestimmt)"},
    "content.thanks.preview.unnamed": {
        "en": "and {count} more who have not agreed to be named",
        "de": "und {count} weitere, die einer Nennung nicht zugestimmt haben",
    },
    "content.thanks.preview.nobody_named": {
        "en": "Nobody among them has agreed to be named.", "de": "Niemand von ihnen hat einer Nennung zugestimmt.",
    },
    "content.thanks.preview.context": {
        "en": "No ranking and no figures per person: with *--names*, members who agreed (*thanks public on*) are listed "
              "in alphabetical order; everyone else is only counted.",
        "de": "Keine Rangliste und keine Zahlen pro Person: Mit *--namen* stehen Mitglieder, die zugestimmt haben "
              "(*danke öffentlich an*), in alphabetischer Reihenfolge da; alle anderen werden nur gezählt.",
    },
    "content.report.title_thanks": {"en": "Thank-you for {month}: delivery report", "de": "Dankesnachricht für {month}: Zustellbericht"},
    "content.mydata.thanks": {"en": "Monthly thank-you", "de": "Monatliche Dankesnachricht"},
    "content.mydata.thanks_line": {
        "en": "{state}; name shown to the comms lead: {public}; thank-yous received: {received}",
        "de": "{state}; Name für die Kommunikationsleitung sichtbar: {public}; erhalten: {received}",
    },
    "content.on": {"en": "on", "de": "an"},
    "content.off": {"en": "off", "de": "aus"},
    "content.yes": {"en": "yes", "de": "ja"},
    "content.no": {"en": "no", "de": "nein"},
    "content.month.1": {"en": "January", "de": "Januar"},
    "content.month.2": {"en": "February", "de": "Februar"},
    "content.month.3": {"en": "March", "de": "März"},
    "content.month.4": {"en": "April", "de": "April"},
    "content.month.5": {"en": "May", "de": "Mai"},
    "content.month.6": {"en": "June", "de": "Juni"},
    "content.month.7": {"en": "July", "de": "Juli"},
    "content.month.8": {"en": "August", "de": "August"},
    "content.month.9": {"en": "September", "de": "September"},
    "content.month.10": {"en": "October", "de": "Oktober"},
    "content.month.11": {"en": "November", "de": "November"},
    "content.month.12": {"en": "December", "de": "Dezember"},
}
