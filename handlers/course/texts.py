"""What the course says, in English and German (du and Sie)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, Any]] = {
    "course.desc": {"en": "a short course: the rules that matter before you post, one question each",
                    "de": "ein kurzer Kurs: die wichtigsten Regeln fürs Posten, mit je einer Frage"},
    "course.step_title": {"en": "Course, step {n} of {total}: {topic}", "de": "Kurs, Schritt {n} von {total}: {topic}"},
    "course.rule": {"en": "Rule", "de": "Regel"},
    "course.example": {"en": "Example", "de": "Beispiel"},
    "course.question": {"en": "Question", "de": "Frage"},
    "course.pick": {"en": "Press the letter of your answer.",
                    "de": {"du": "Drück den Buchstaben deiner Antwort.", "sie": "Drücken Sie den Buchstaben Ihrer Antwort."}},
    "course.welcome": {
        "en": "A short course: {total} rules, one question each, about {minutes} minutes. "
              "Your progress is saved: write *course* to go on at any time.",
        "de": {"du": "Ein kurzer Kurs: {total} Regeln mit je einer Frage, etwa {minutes} Minuten. "
                     "Dein Fortschritt wird gespeichert: Mit *kurs* machst du jederzeit weiter.",
               "sie": "Ein kurzer Kurs: {total} Regeln mit je einer Frage, etwa {minutes} Minuten. "
                      "Ihr Fortschritt wird gespeichert: Mit *kurs* machen Sie jederzeit weiter."},
    },
    "course.resume": {"en": "Welcome back: {done} of {total} steps done, here is the next one.",
                      "de": {"du": "Willkommen zurück: {done} von {total} Schritten erledigt, hier ist der nächste.",
                             "sie": "Willkommen zurück: {done} von {total} Schritten erledigt, hier ist der nächste."}},
    "course.right": {"en": "✅ Right: {answer}", "de": "✅ Richtig: {answer}"},
    "course.wrong": {"en": "❌ Not quite: you chose {chosen}. The right answer is {answer}",
                     "de": {"du": "❌ Nicht ganz: Du hast {chosen} gewählt. Richtig ist {answer}",
                            "sie": "❌ Nicht ganz: Sie haben {chosen} gewählt. Richtig ist {answer}"}},
    "course.why": {"en": "Why: {why}", "de": "Warum: {why}"},
    "course.go_on": {"en": "That's fine: every step counts once, and the next one follows.",
                     "de": "Kein Problem: Jeder Schritt zählt einmal, und der nächste folgt."},
    "course.finished": {
        "en": "🎓 You've finished the course ({date}): {right} of {total} right at the first try. "
              "It's recorded. Write *rules* to look up any rule, or ask me “may I post this?” at any time.",
        "de": {"du": "🎓 Du hast den Kurs abgeschlossen ({date}): {right} von {total} beim ersten Versuch richtig. "
                     "Das ist vermerkt. Mit *regeln* schlägst du jede Regel nach, und „Darf ich das posten?“ kannst du mich jederzeit fragen.",
               "sie": "🎓 Sie haben den Kurs abgeschlossen ({date}): {right} von {total} beim ersten Versuch richtig. "
                      "Das ist vermerkt. Mit *regeln* schlagen Sie jede Regel nach, und „Darf ich das posten?“ können Sie mich jederzeit fragen."},
    },
    "course.finished_before": {
        "en": "You finished the course on {date}. Write *rules* to look up a rule again.",
        "de": {"du": "Du hast den Kurs am {date} abgeschlossen. Mit *regeln* schlägst du eine Regel noch einmal nach.",
               "sie": "Sie haben den Kurs am {date} abgeschlossen. Mit *regeln* schlagen Sie eine Regel noch einmal nach."},
    },
    "course.none": {
        "en": "There is no course yet: no guideline is marked for it. If you'd like one, ask {who}.",
        "de": {"du": "Einen Kurs gibt es noch nicht: Keine Richtlinie ist dafür vorgesehen. Wenn du einen möchtest, frag {who}.",
               "sie": "Einen Kurs gibt es noch nicht: Keine Richtlinie ist dafür vorgesehen. Wenn Sie einen möchten, fragen Sie {who}."},
    },
    "course.broken": {
        "en": "The course can't be read right now: the guideline files have an error. Please try again later, or ask {who}.",
        "de": {"du": "Der Kurs lässt sich gerade nicht lesen: Die Richtliniendateien haben einen Fehler. Versuch es später noch einmal oder frag {who}.",
               "sie": "Der Kurs lässt sich gerade nicht lesen: Die Richtliniendateien haben einen Fehler. Versuchen Sie es später noch einmal oder fragen Sie {who}."},
    },
    "course.comms_team": {"en": "the comms team", "de": "das Kommunikationsteam"},
    "course.already": {
        "en": "You've answered this question already; your first answer counts.",
        "de": {"du": "Diese Frage hast du schon beantwortet; deine erste Antwort zählt.",
               "sie": "Diese Frage haben Sie schon beantwortet; Ihre erste Antwort zählt."},
    },
    "course.changed": {
        "en": "The course has changed since this question was sent, so that answer isn't counted. Here is where you are now.",
        "de": {"du": "Der Kurs hat sich geändert, seit diese Frage kam; die Antwort zählt daher nicht. Hier geht es für dich weiter.",
               "sie": "Der Kurs hat sich geändert, seit diese Frage kam; die Antwort zählt daher nicht. Hier geht es für Sie weiter."},
    },
    "course.bad_answer": {
        "en": "That isn't one of the answers; here is the question again.",
        "de": "Das ist keine der Antworten; hier ist die Frage noch einmal.",
    },
    "course.offer": {
        "en": "New here? A short course shows the {total} rules that matter most before you post, about {minutes} minutes: "
              "write *course* whenever you like.",
        "de": {"du": "Neu dabei? Ein kurzer Kurs zeigt dir die {total} wichtigsten Regeln fürs Posten, etwa {minutes} Minuten: "
                     "Schreib *kurs*, wann immer du magst.",
               "sie": "Neu dabei? Ein kurzer Kurs zeigt Ihnen die {total} wichtigsten Regeln fürs Posten, etwa {minutes} Minuten: "
                      "Schreiben Sie *kurs*, wann immer Sie mögen."},
    },
    "course.reminder": {
        "en": "You haven't taken the short course yet: the {total} rules that matter most before you post, "
              "about {minutes} minutes. I'll mention it only this once.",
        "de": {"du": "Den kurzen Kurs hast du noch nicht gemacht: die {total} wichtigsten Regeln fürs Posten, "
                     "etwa {minutes} Minuten. Ich erinnere dich nur dieses eine Mal daran.",
               "sie": "Den kurzen Kurs haben Sie noch nicht gemacht: die {total} wichtigsten Regeln fürs Posten, "
                      "etwa {minutes} Minuten. Ich erinnere Sie nur dieses eine Mal daran."},
    },
    "course.reminder_button": {"en": "Take the course", "de": "Kurs starten"},
    "course.start_button": {"en": "Start the course", "de": "Kurs starten"},
    "course.data": {"en": "Course", "de": "Kurs"},
    "course.data_reminder": {"en": "Course reminder in a nudge", "de": "Kurs-Erinnerung in der wöchentlichen Erinnerung"},
    "course.data_line": {
        "en": "started {started}; {answered} of {total} questions answered, {right} right at the first try; finished {finished}",
        "de": "begonnen {started}; {answered} von {total} Fragen beantwortet, {right} beim ersten Versuch richtig; abgeschlossen {finished}",
    },
    "course.data_none": {"en": "not started", "de": "nicht begonnen"},
    "course.not_yet": {"en": "not yet", "de": "noch nicht"},
}
