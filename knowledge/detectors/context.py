"""A pattern's match read in context: not where the text negates it, not in a harmless sense."""

from __future__ import annotations

import re

from knowledge.detectors.clauses import in_spans
from knowledge.detectors.conduct import TIME_EFFORT
from knowledge.detectors.news import (
    COUNT,
    CUSTOMER_PROJECT,
    FIGURE,
    INTERNAL,
    PUBLISHED,
    RECORD,
    UNRELEASED,
    WEAK_UNRELEASED,
)
from knowledge.detectors.people import (
    ALTERED_BRAND,
    FACES_DIRECT,
    OWN_OR_LICENSED,
    PRIVATE_MATTER,
    TAGGING,
    THIRD_PARTY,
)
from knowledge.detectors.rx import any_of
from knowledge.detectors.voice import COMPANY_LINK, HARM, INSULT


def words_found(rx: re.Pattern[str] | None, text: str, negated: list[tuple[int, int]] | None = None) -> str | None:
    """The matched words, widened to whole words ("unfall" in "Arbeitsunfall" shows as "Arbeitsunfall").

    With ``negated`` (see negated_spans), a match that starts where the text is negated does not count.
    """
    if rx is None:
        return None
    harmless = _SENSES_RX.get(rx)
    skip = list(negated or [])
    if harmless is not None:
        skip += [(h.start(), h.end()) for h in harmless.finditer(text)]
    if skip:
        m = next((m for m in rx.finditer(text) if not in_spans(m.start(), skip)), None)
    else:
        m = rx.search(text)
    if not m:
        return None
    start, end = m.start(), m.end()
    while start > 0 and text[start - 1].isalnum() and m.start() - start < 30:
        start -= 1
    while end < len(text) and text[end].isalnum() and end - m.end() < 30:
        end += 1
    return text[start:end].strip()


# Harmless senses of a pattern's words: a match inside one of these is no finding. "Nobody made me
# feel stupid" insults nobody; "two weeks later" is a time, not time spent.
_SENSES_RX: dict[re.Pattern[str], re.Pattern[str]] = {
    # A salary range a published job ad states is public (pay transparency), not an internal band.
    INTERNAL: any_of(
        r"\b(?:job\s+ads?|job\s+postings?|job\s+openings?|vacanc\w*|careers?\s+page|stellenanzeige\w*|stellenausschreibung\w*|stellenangebot\w*|karriereseite\w*)\b"
        r".{0,60}?\b(?:salary\s+ranges?|salary\s+bands?|pay\s+ranges?|gehaltsspanne\w*|gehaltsband\w*|gehaltsbänder\w*)",
    ),
    # One's own application, the company's hiring process or a position's salary is nobody's private matter.
    PRIVATE_MATTER: any_of(
        r"\b(?:das|the)\s+(?:gehalt|salary)\b(?!\s+(?:von|of|meine\w*|seine\w*|ihre\w*|deine\w*))",
        r"\b(?:mein\w*|unser\w*|my|our)\s+(?:eigene[nmrs]?\s+|own\s+)?(?:bewerbung\w*|application(?:\s+process)?|hiring\s+process|onboarding\w*)",
        r"\bbewerbungs(?:prozess|verfahren|ablauf)\w*",
    ),
    # A broadcaster's media library is someone else's ("in der ZDF-Mediathek"), not the company's.
    OWN_OR_LICENSED: any_of(
        r"\b(?:zdf|ard|arte|3sat|wdr|ndr|br|swr|mdr|hr|rbb|orf|srf|tv|sender\w*|fernseh\w*)[-\s]?mediathek\w*",
        r"\bmediathek\s+(?:des|der|von)\s+(?:zdf|ard|arte|senders?|fernseh\w*|\w*rundfunk\w*)\b",
    ),
    INSULT: any_of(
        r"\b(?:feel|feels|felt|feeling|look|looks|looked|looking|sound|sounds|sounded|seem|seemed)\s+"
        r"(?:so\s+|really\s+|a\s+bit\s+|very\s+|pretty\s+|totally\s+)?(?:stupid|dumb|silly|clueless|useless|pathetic)\b",
        r"\b(?:fühl\w*|komm\w*|vorkomm\w*)\s+(?:mich|mir|uns|sich)\s+(?:\w+\s+){0,2}(?:dumm|blöd|doof|nutzlos)\b",
        r"\b(?:stupid|dumb|silly)\s+questions?\b|\bdumme\s+fragen?\b",
    ),
    TIME_EFFORT: any_of(
        r"\b(?:in|vor|nach|within|innerhalb(?:\s+von)?|binnen|after|bis\s+in)\s+(?:\w+\s+)?(?:\d+|two|three|four|five|a\s+few|several|zwei|drei|vier|fünf|ein\s+paar|mehreren)\s+(?:hours|days|weeks|stunden|tage[n]?|wochen)\b",
        r"\b(?:\d+|two|three|four|five|a\s+few|several|zwei|drei|vier|fünf|ein\s+paar|mehrere)\s+(?:hours|days|weeks|months|stunden|tage|wochen|monate)\s+(?:later|ago|earlier|before|after|from\s+now|später|zuvor|danach|vorher|früher)\b",
    ),
}

# Patterns of what a post would show or reveal, and the cues that it is harmless: where the text
# negates them ("no customer logos", "ohne Gesichter", "not licensed") they do not count. Risks
# whose mention is the risk (a crisis, a lawsuit, a press contact, an insult, a deal denied) and
# patterns that carry their own negation ("not yet announced") are read as they stand.
NEGATABLE = frozenset(
    {UNRELEASED, WEAK_UNRELEASED, FIGURE, RECORD, COUNT, INTERNAL, CUSTOMER_PROJECT, TAGGING, FACES_DIRECT,
     THIRD_PARTY, PUBLISHED, OWN_OR_LICENSED, COMPANY_LINK, ALTERED_BRAND, HARM}
)
# A cue is no cue where its contrary was found: "without saying that I work here" names working here.
CONTRARY = {"disclosed": "undisclosed"}
NEGATABLE_KINDS = frozenset({"third_party_media", "undisclosed"})

