"""How serious a crisis report is, read from its text in German and English alike.

The crisis capability proposes a severity when someone reports something (the comms lead can
change it). The words are read by the detectors' machinery: sentence by sentence and clause by
clause, and what a clause negates does not count ("nobody was injured", "keine Verletzten", "no
data was leaked"): fire, injured or dead people, an explosion, a data leak or a hack, a threat and
an accusation going viral are critical in either language ("Feuer", "brennt", "Verletzte",
"Datenleck"); press, accidents, outages, lawsuits, the police and a shitstorm are high; complaints,
criticism and trolls medium. A report that names none of them is medium: better alerted than not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.detectors import any_of, in_spans, negated_spans, split_clauses

SEVERITIES = ("low", "medium", "high", "critical")

_CRITICAL = any_of(
    # Fire: "fire at the plant", "on fire", "Feuer", "es brennt", "ein Brand im Lager" (German "Brand" only
    # with its article or preposition: the English "brand" is a company's name).
    r"\b(?:fire|fires)\b(?!\s+(?:drill|alarm\s+test|exit|extinguisher|safety\s+training))|\bon\s+fire\b",
    r"\b(?:burning|flames?|blaze|feuer|brennt|brannte|brennen|flammen)\b|\b\w*(?:groß|wald|hallen|lager|fabrik|werks|gebäude|küchen|kabel|dach)brand\w*",
    r"\b(?:ein|eine|einen|einem|eines|der|den|dem|des|beim|im|vom|zum|nach|wegen)\s+brand\b",
    r"\b(?:injur(?:y|ies|ed)|hurt|wounded|casualt\w+|verletz\w*|schwerverletz\w*|tote?n?|dead|deaths?|died|killed|fatal\w*"
    r"|ums\s+leben|gestorben)\b",
    r"\b(?:explosion\w*|explodiert\w*|bomb\w*|threat\w*|drohung\w*|bedroh\w*|amok\w*|shooting|schüsse|suicide|suizid\w*"
    r"|poison\w*|vergift\w*)\b",
    r"\b(?:data\s+(?:leak|breach)\w*|leaked\s+(?:customer|personal|employee)\s+data|datenleck\w*|datenpanne\w*|hack(?:ed|er|ers)?"
    r"|gehackt|hackerangriff\w*|cyber\s*-?\s*(?:attack|angriff)\w*|ransomware)\b",
)
# An accusation going viral: critical wherever it stands in the report ("a video accusing us of
# fraud is going viral", "Vorwürfe gegen uns trenden").
_VIRAL = any_of(r"\bviral\w*|\btrend(?:ing|et|en)\b|\bgoing\s+around\b|\bgeht\s+(?:gerade\s+)?(?:rum|herum|durchs\s+netz)\b")
_ACCUSATION = any_of(
    r"\baccus\w*|\ballegation\w*|\balleg(?:e|es|ed|ing)\b|\bvorw[uü]rf\w*|\bbeschuldig\w*|\bwirft\s+uns\b"
    r"|\b(?:fraud|betrug\w*|racis\w*|rassis\w*|harass\w*|belästig\w*|discriminat\w*|diskriminier\w*|abuse\w*|missbrauch\w*)\b"
)
_HIGH = any_of(
    r"\b(?:journalist\w*|press|presse\w*|reporter\w*|media|medien|tv|fernsehen|newspaper\w*|zeitung\w*|redaktion\w*)\b",
    r"\b(?:leak(?:s|ed)?|geleakt|accidents?|unfall\w*|unfäll\w*|\w+unfall\w*|crash\w*|viral\w*|shitstorm\w*|boycott\w*"
    r"|boykott\w*|trending)\b",
    r"\b(?:lawsuit\w*|sued|klage\w*|verklag\w*|police|polizei|recall\w*|rückruf\w*|outage\w*|ausfall|ausgefallen|down"
    r"|scandal\w*|skandal\w*|evacuat\w*|evakuier\w*)\b",
)
_MEDIUM = any_of(
    r"\b(?:complain\w*|beschwerde\w*|beschwer\w*|angry|wütend\w*|criticis\w*|kritik\w*|negativ\w*|rumou?rs?|gerücht\w*"
    r"|trolls?|hate|hass\w*|insult\w*|beleidig\w*)\b"
)


def _said(rx: re.Pattern[str], clause: str, negated: list[tuple[int, int]]) -> bool:
    """Whether ``clause`` says it: a match that does not stand where the clause negates it."""
    return any(not in_spans(m.start(), negated) for m in rx.finditer(clause))


def crisis_severity(text: str, keywords: Mapping[str, Iterable[str]] | None = None) -> str:
    """The proposed severity of a crisis report: the highest one its words say, clause by clause.

    ``keywords``: extra words per severity (the crisis capability's configuration), each read
    as the start of a word ("Rückruf" also finds "Rückrufaktion").
    """
    extra: dict[str, re.Pattern[str]] = {}
    for severity, words in (keywords or {}).items():
        words = [w.strip() for w in words if w and w.strip()]
        if severity in SEVERITIES and words:
            extra[severity] = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(w) + r"\w*" for w in words) + r")", re.IGNORECASE
            )
    found: set[str] = set()
    clauses = split_clauses(text or "") or [text or ""]
    for clause in clauses:
        negated = negated_spans(clause)
        if _said(_CRITICAL, clause, negated):
            found.add("critical")
        if _said(_HIGH, clause, negated):
            found.add("high")
        if _said(_MEDIUM, clause, negated):
            found.add("medium")
        for severity, rx in extra.items():
            if _said(rx, clause, negated):
                found.add(severity)
    whole = text or ""
    if _said(_VIRAL, whole, negated_spans(whole)) and _said(_ACCUSATION, whole, negated_spans(whole)):
        found.add("critical")
    for severity in ("critical", "high", "medium", "low"):
        if severity in found:
            return severity
    return "medium"
