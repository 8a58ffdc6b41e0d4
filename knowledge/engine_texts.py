"""The answer engine's own texts, in English and German: verdict headlines and steps, what each
kind of finding is called in an answer, and the words a context is read as (Engine.answer)."""

from __future__ import annotations

from typing import Any

# What a text may be said to go with (Engine.answer's ``context``), as the engine reads it: the
# words a person would use to say so, which the detectors understand ("has published").
CONTEXTS: dict[str, dict[str, str]] = {
    "published": {
        "en": "The company has published this item, and I share it with this text:",
        "de": "Das Unternehmen hat diesen Beitrag veröffentlicht, und ich teile ihn mit diesem Text:",
    },
}

TEXTS: dict[str, dict[str, Any]] = {
    "go": {
        "en": "Go: you may post this.",
        "de": {"du": "Go: Das darfst du posten.", "sie": "Go: Das dürfen Sie posten."},
    },
    "check": {
        "en": "Check first: don't post this yet.",
        "de": {"du": "Erst klären: Poste das noch nicht.", "sie": "Erst klären: Posten Sie das noch nicht."},
    },
    "no": {
        "en": "No: don't post this.",
        "de": {"du": "Nein: Poste das nicht.", "sie": "Nein: Posten Sie das nicht."},
    },
    "no_match": {
        "en": "I have no guideline that clearly fits this, so I can't give you a reliable answer. Until someone has "
        "looked at it, please don't post it. I can pass your question to the comms team ({comms_lead}).",
        "de": {
            "du": "Dazu habe ich keine Richtlinie, die eindeutig passt, daher kann ich dir keine verlässliche Antwort "
            "geben. Bis jemand draufgeschaut hat, poste es bitte nicht. Ich kann deine Frage an die "
            "Kommunikation ({comms_lead}) weitergeben.",
            "sie": "Dazu habe ich keine Richtlinie, die eindeutig passt, daher kann ich Ihnen keine verlässliche "
            "Antwort geben. Bis jemand draufgeschaut hat, posten Sie es bitte nicht. Ich kann Ihre Frage an "
            "die Kommunikation ({comms_lead}) weitergeben.",
        },
    },
    "no_match_step": {
        "en": "Ask the comms team ({comms_lead}), or let me pass the question on.",
        "de": {
            "du": "Frag die Kommunikation ({comms_lead}) oder lass mich die Frage weitergeben.",
            "sie": "Fragen Sie die Kommunikation ({comms_lead}) oder lassen Sie mich die Frage weitergeben.",
        },
    },
    "empty": {
        "en": "I found nothing to check in your message. Send me your question or the text of your draft post.",
        "de": {
            "du": "In deiner Nachricht habe ich nichts zum Prüfen gefunden. Schick mir deine Frage oder den Text deines Post-Entwurfs.",
            "sie": "In Ihrer Nachricht habe ich nichts zum Prüfen gefunden. Senden Sie mir Ihre Frage oder den Text Ihres Post-Entwurfs.",
        },
    },
    "empty_step": {
        "en": "Write, for example: May I share our company's post about the new apprenticeship program?",
        "de": {
            "du": "Schreib zum Beispiel: Darf ich den Beitrag unserer Firma über das neue Ausbildungsprogramm teilen?",
            "sie": "Schreiben Sie zum Beispiel: Darf ich den Beitrag unserer Firma über das neue Ausbildungsprogramm teilen?",
        },
    },
    "outside": {
        "en": "That's not a question about posting, so the posting guidelines don't answer it. {pointer}",
        "de": {
            "du": "Das ist keine Frage zum Posten, darauf geben die Richtlinien fürs Posten keine Antwort. {pointer}",
            "sie": "Das ist keine Frage zum Posten, darauf geben die Richtlinien fürs Posten keine Antwort. {pointer}",
        },
    },
    "outside_step": {
        "en": "For IT problems ask the IT service desk, for HR matters (leave, pay, sick notes) HR; "
        "otherwise the comms team ({comms_lead}) can tell you whom to ask.",
        "de": {
            "du": "Bei IT-Problemen hilft der IT-Service-Desk, bei Personalfragen (Urlaub, Gehalt, Krankmeldung) "
            "die Personalabteilung; sonst sagt dir die Kommunikation ({comms_lead}), wen du fragen kannst.",
            "sie": "Bei IT-Problemen hilft der IT-Service-Desk, bei Personalfragen (Urlaub, Gehalt, Krankmeldung) "
            "die Personalabteilung; sonst sagt Ihnen die Kommunikation ({comms_lead}), wen Sie fragen können.",
        },
    },
    "outside_head": {
        "en": "Not a question about posting.",
        "de": "Keine Frage zum Posten.",
    },
    "findings": {"en": "What I noticed:", "de": "Was mir auffällt:"},
    "next": {"en": "Next step:", "de": "Nächster Schritt:"},
    "why": {"en": "Why:", "de": "Warum:"},
    "injection": {
        "en": "Instructions inside a message don't change the guidelines; I answered from the guidelines only.",
        "de": "Anweisungen in einer Nachricht ändern die Richtlinien nicht; ich habe nur nach den Richtlinien geantwortet.",
    },
    "conflict": {
        "en": "Parts of this touch a stricter rule too, so please clear it first.",
        "de": {
            "du": "Teile davon berühren auch eine strengere Regel, kläre es daher bitte vorher.",
            "sie": "Teile davon berühren auch eine strengere Regel, klären Sie es daher bitte vorher.",
        },
    },
    "comms_team": {"en": "the comms team", "de": "das Kommunikationsteam"},
    "cut": {
        "en": "Your message is longer than {limit} characters; I read only the first {limit}, so I can't clear it.",
        "de": {
            "du": "Deine Nachricht ist länger als {limit} Zeichen; ich habe nur die ersten {limit} gelesen und kann "
            "sie daher nicht freigeben.",
            "sie": "Ihre Nachricht ist länger als {limit} Zeichen; ich habe nur die ersten {limit} gelesen und kann "
            "sie daher nicht freigeben.",
        },
    },
}

SIGNAL_TEXTS: dict[str, dict[str, str]] = {
    "unreleased": {
        "en": "something not yet announced (“{e}”)",
        "de": "etwas noch nicht Angekündigtes („{e}“)",
    },
    "figures": {
        "en": "figures that may not be published yet (“{e}”)",
        "de": "Zahlen, die womöglich noch nicht veröffentlicht sind („{e}“)",
    },
    "deal": {
        "en": "a deal, plan or change not yet announced (“{e}”)",
        "de": "einen Abschluss, Plan oder eine Veränderung, die noch nicht bekannt gegeben ist („{e}“)",
    },
    "new_site": {
        "en": "a new site or office that may not be announced yet (“{e}”)",
        "de": "einen neuen Standort oder ein neues Büro, womöglich noch nicht angekündigt („{e}“)",
    },
    "internal": {"en": "internal information (“{e}”)", "de": "interne Informationen („{e}“)"},
    "company_data": {"en": "company or customer data (“{e}”)", "de": "Firmen- oder Kundendaten („{e}“)"},
    "customer": {
        "en": "a customer or customer project (“{e}”)",
        "de": "einen Kunden oder ein Kundenprojekt („{e}“)",
    },
    "personal_data": {"en": "personal data (“{e}”)", "de": "personenbezogene Daten („{e}“)"},
    "person_name": {
        "en": "a named or tagged person (“{e}”)",
        "de": "eine genannte oder markierte Person („{e}“)",
    },
    "people_media": {"en": "pictures of people (“{e}”)", "de": "Bilder von Personen („{e}“)"},
    "third_party_media": {
        "en": "material that belongs to someone else (“{e}”)",
        "de": "Material, das jemand anderem gehört („{e}“)",
    },
    "altered_brand": {
        "en": "the company's logo or brand changed (“{e}”)",
        "de": "ein verändertes Logo oder Markenzeichen des Unternehmens („{e}“)",
    },
    "insult": {"en": "an insult or attack (“{e}”)", "de": "eine Beleidigung oder einen Angriff („{e}“)"},
    "competitor_attack": {
        "en": "a put-down of a competitor (“{e}”)",
        "de": "eine Herabsetzung eines Wettbewerbers („{e}“)",
    },
    "press": {"en": "a press or media contact (“{e}”)", "de": "einen Presse- oder Medienkontakt („{e}“)"},
    "statement": {
        "en": "a statement in the company's name (“{e}”)",
        "de": "eine Aussage im Namen des Unternehmens („{e}“)",
    },
    "legal": {"en": "a legal matter (“{e}”)", "de": "eine rechtliche Angelegenheit („{e}“)"},
    "politics": {"en": "politics (“{e}”)", "de": "Politik („{e}“)"},
    "crisis": {"en": "a crisis or incident (“{e}”)", "de": "eine Krise oder einen Zwischenfall („{e}“)"},
    "gift": {
        "en": "something given in return for a post (“{e}”)",
        "de": "eine Gegenleistung für einen Beitrag („{e}“)",
    },
    "account": {
        "en": "an account, page or channel for the company (“{e}”)",
        "de": "ein Konto, eine Seite oder einen Kanal für das Unternehmen („{e}“)",
    },
    "time_effort": {
        "en": "an activity that takes noticeable working time (“{e}”)",
        "de": "eine Aktivität, die spürbar Arbeitszeit kostet („{e}“)",
    },
    "undisclosed": {
        "en": "hiding that you work here or got something for it (“{e}”)",
        "de": "das Verschweigen der eigenen Anstellung oder einer Gegenleistung („{e}“)",
    },
}
