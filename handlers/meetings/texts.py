"""What the meeting commands and messages say, in English and German."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, Any]] = {
    "meeting.desc": {"en": "the next ambassador meeting", "de": "das nächste Botschafter-Treffen"},
    "meeting.report_desc": {"en": "the meeting report now, with charts and CSV files",
                            "de": "den Bericht zum Treffen jetzt, mit Diagrammen und CSV-Dateien"},
    "meeting.report_usage": {"en": "meeting report [FROM TO]", "de": "treffen bericht [VON BIS]"},
    "meeting.summary_desc": {"en": "send a short summary of the meeting to all members",
                             "de": "eine kurze Zusammenfassung des Treffens an alle Mitglieder senden"},
    "meeting.summary_usage": {"en": "meeting summary TEXT", "de": "treffen zusammenfassung TEXT"},
    "meeting.next": {"en": "The next ambassador meeting is on {when}.", "de": "Das nächste Botschafter-Treffen ist am {when}."},
    "meeting.none": {"en": "No meeting rhythm is set (app.yaml, meetings:).",
                     "de": "Es ist kein Rhythmus für die Treffen eingestellt (app.yaml, meetings:)."},
    "meeting.topics_hint": {"en": "Topics for it: *feedback --topic …*", "de": "Themen dafür: *rückmeldung --thema …*"},
    "meeting.bad_dates": {"en": "Write the period as two dates, for example *meeting report 2026-11-01 2026-11-15*.",
                          "de": "Bitte den Zeitraum als zwei Daten angeben, zum Beispiel *treffen bericht 2026-11-01 2026-11-15*."},
    "meeting.summary_empty": {"en": "Write the summary after the command, for example *meeting summary We agreed on …*.",
                              "de": "Die Zusammenfassung folgt dem Befehl, zum Beispiel *treffen zusammenfassung Wir haben vereinbart …*."},
    "meeting.summary_long": {"en": "The summary has {n} characters; at most {max} fit in one chat message.",
                             "de": "Die Zusammenfassung hat {n} Zeichen; höchstens {max} passen in eine Chat-Nachricht."},
    "meeting.summary_twice": {"en": "A summary of the meeting on {date} was sent already ({when}).",
                              "de": "Eine Zusammenfassung des Treffens vom {date} wurde schon verschickt ({when})."},
    "meeting.summary_sent": {"en": "The summary goes to {n} members.", "de": "Die Zusammenfassung geht an {n} Mitglieder."},
    "meeting.summary_title": {"en": "From the ambassador meeting on {date}", "de": "Aus dem Botschafter-Treffen vom {date}"},
    "meeting.summary_from": {"en": "Sent by {name}. Feedback: *feedback …*", "de": "Gesendet von {name}. Rückmeldung: *rückmeldung …*"},
    "meeting.file_html": {"en": "Meeting report {date}", "de": "Bericht zum Treffen am {date}"},
    "meeting.file_html_comment": {"en": "The report for the ambassador meeting on {date}, to open in a browser.",
                                  "de": "Der Bericht zum Botschafter-Treffen am {date}, zum Öffnen im Browser."},
    "meeting.file_zip": {"en": "Meeting report {date}: HTML, charts and CSV files",
                         "de": "Bericht zum Treffen am {date}: HTML, Diagramme und CSV-Dateien"},
    # Neutral about the order: Slack may show an uploaded file after a message sent right after it.
    "meeting.files_attached": {"en": "The report with its charts and CSV files is attached as files in this chat.",
                               "de": "Der Bericht mit Diagrammen und CSV-Dateien liegt als Dateien in diesem Chat."},
}
