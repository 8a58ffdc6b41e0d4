"""The detectors: every finding of a text, read as a whole and clause by clause."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from knowledge.detectors.clauses import ORDER, condense, negated_spans, only_negated, split_clauses, strictest
from knowledge.detectors.conduct import (
    ACCOUNT,
    ACCOUNT_CONTEXT,
    COMPANY_WORD,
    FOR_POST,
    GIFT,
    GIVER,
    INJECTION,
    LIGHT_ACTIVITY,
    OBLIGATION,
    OWNERSHIP,
    TIME_EFFORT,
    UNDISCLOSED,
    WORK_HOURS,
)
from knowledge.detectors.context import CONTRARY, NEGATABLE, NEGATABLE_KINDS, words_found
from knowledge.detectors.news import (
    ANNOUNCE,
    BUSINESS,
    CHANGE,
    COMPANY_DATA,
    CONDITION,
    COUNT,
    CUSTOMER_PROJECT,
    DEAL,
    FIGURE,
    FUTURE,
    INTENT,
    INTERNAL,
    NEW_SITE,
    ORG_PART,
    PUBLISHED,
    RECORD,
    STILL_SECRET,
    TAKE,
    UNPUBLISHED,
    UNRELEASED,
    WAITS_FOR_PUBLICATION,
    WEAK_UNRELEASED,
    named_partner,
)
from knowledge.detectors.people import (
    A_PERSON,
    ALTERED_BRAND,
    EMAIL,
    FACES_DIRECT,
    IBAN,
    OWN_OR_LICENSED,
    PRIVATE_MATTER,
    SENSITIVE,
    TAGGING,
    THIRD_PARTY,
    UNRECOGNISABLE,
    brand_logo,
    mention,
    named_customer,
    people_in_media,
    person_name,
    phone_number,
)
from knowledge.detectors.rx import names_rx
from knowledge.detectors.voice import (
    APPEARANCE,
    ASKS_FOR_WORDS,
    ATTACKED,
    COMPANY_LINK,
    COMPETITOR,
    CREATOR,
    CRISIS,
    DIG,
    HARM,
    INSULT,
    LEGAL,
    NEGATIVE,
    OURS,
    POLITICS,
    PRESS,
    SPREAD,
    STATEMENT,
)
from knowledge.findings import CUES, kind_of
from knowledge.lexicon import FINDINGS, Lexicon, default_lexicon
from knowledge.model import Signal, Verdict
from knowledge.text import words


@dataclass
class DetectorConfig:
    """Lists from app.yaml's ``knowledge:`` section (customers, code_names, competitors)."""

    customers: list[str] = field(default_factory=list)
    code_names: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)


class Detectors:
    """Every finding of a text: the pattern tables, the lexicon's risk words, and the knowledge
    base's rulings for what each finding means."""

    def __init__(
        self,
        config: DetectorConfig | None = None,
        lexicon: Lexicon | None = None,
        policy: Mapping[str, tuple[Verdict, str]] | None = None,
    ) -> None:
        """``policy``: finding name -> (verdict, topic), from the knowledge base (KnowledgeBase.rulings())."""
        config = config or DetectorConfig()
        self.lexicon = lexicon or default_lexicon()
        self.policy: Mapping[str, tuple[Verdict, str]] = policy or {}
        self._customers = names_rx(config.customers)
        self._code_names = names_rx(config.code_names)
        self._competitors = names_rx(config.competitors)

    def scan(self, text: str, lang: str | None = None) -> list[Signal]:
        """Every finding in ``text`` (already cleaned of markup), strongest verdict first.

        ``lang`` is the text's language, for the lexicon's whole-word entries.

        A harmless cue ("it's already on our website", "from the brand portal") clears only the
        clause it stands in: where the text has one, each clause is read on its own as well, and
        a risk a clause shows by itself ("... plus we're in talks to buy a competitor") stays a
        finding whatever another clause says.
        """
        text = condense(text)
        out, cued = self._scan(text, lang)
        if cued:
            clauses = split_clauses(text)
            if len(clauses) > 1:
                have: dict[str, Verdict] = {}
                for sig in out:
                    have[sig.kind] = strictest(have.get(sig.kind), sig.verdict)
                for clause in clauses:
                    for sig in self._scan(clause, lang)[0]:
                        if sig.verdict == "go" or not sig.topic:
                            continue  # cues and instructions come from the whole text
                        if sig.kind in have and ORDER[have[sig.kind]] <= ORDER[sig.verdict]:
                            continue
                        out.append(sig)
                        have[sig.kind] = sig.verdict
                out.sort(key=lambda s: (ORDER[s.verdict], -s.strength))
        return out

    def settled_by_publication(self, text: str) -> frozenset[str]:
        """The kinds of finding that the company's own publication of what ``text`` shares answers:
        whether news, figures, a deal or a site is public yet. None where the text itself says it is
        not public, or secret ("the figures are not yet published", "under embargo"): that stands."""
        text = condense(text)
        if words_found(UNRELEASED, text) or words_found(UNPUBLISHED, text) or words_found(STILL_SECRET, text):
            return frozenset()
        return WAITS_FOR_PUBLICATION

    def _scan(self, text: str, lang: str | None) -> tuple[list[Signal], bool]:
        """The findings of ``text`` read as one piece, and whether it holds a cue that clears others."""
        r = _Reading(text, self.policy)
        self._not_public(r, lang)
        _cues_and_conduct(r)
        _people_and_material(r)
        self._tone(r)
        _voice(r)
        self._lexicon_findings(r, lang)
        _conditions(r)
        r.out.sort(key=lambda s: (ORDER[s.verdict], -s.strength))
        return r.out, bool(r.h(PUBLISHED) or r.h(OWN_OR_LICENSED))

    def _not_public(self, r: _Reading, lang: str | None) -> None:
        """What is not public: a product, figures, a deal, a site, internal matters, a customer, data."""
        text, h, add = r.text, r.h, r.add
        code = h(self._code_names)
        add("code_name", code, 1.2)
        if not code:
            hit = h(UNRELEASED)
            if hit:
                add("unreleased", hit)
            else:
                future, announce = h(FUTURE), h(ANNOUNCE)
                if future and announce:
                    add("unreleased", f"{announce} … {future}", 0.9)
                else:
                    add("unreleased_hint", h(WEAK_UNRELEASED), 0.6)
        figure = h(FIGURE)
        business = h(BUSINESS)
        if (figure and business) or h(RECORD) or h(COUNT):
            published, unpublished = h(PUBLISHED), h(UNPUBLISHED)
            if unpublished or not published:
                add(
                    "figures",
                    figure or h(RECORD) or h(COUNT),
                    1.1 if unpublished else 0.9,
                )
        deal = _deal_and_site(r)
        if not deal and (h(INTENT) or h(FUTURE)) and h(CHANGE) and h(ORG_PART):
            _planned_deal(r)
        add("internal", h(INTERNAL), 0.9)
        add(
            "customer",
            h(self._customers) or h(CUSTOMER_PROJECT) or named_partner(text) or named_customer(text),
            0.8,
        )
        data = h(COMPANY_DATA) or next(
            (hit.word for hit in self.lexicon.hits(words(text), lang) if hit.concept == "company_data"), None
        )
        if data and h(TAKE):
            add("company_data", data, 1.0)

    def _tone(self, r: _Reading) -> None:
        """An insult, an attack on a competitor, politics."""
        h, add = r.h, r.add
        insult = h(INSULT)
        competitor = h(self._competitors) or h(COMPETITOR)
        dig = h(DIG)
        if dig and not competitor:
            add("competitor_attack", dig, 1.0)
        elif competitor and (insult or h(NEGATIVE)):
            add(
                "competitor_attack",
                f"{competitor} … {insult or h(NEGATIVE)}",
                1.0,
            )
        elif insult:
            add("insult", insult, 1.0)
        else:
            add("insult_mentioned", h(ATTACKED), 0.5)
        politics = h(POLITICS)
        if politics:
            link = h(COMPANY_LINK)
            add(
                "politics_company" if link else "politics",
                f"{politics} … {link}" if link else politics,
                0.9,
            )

    def _lexicon_findings(self, r: _Reading, lang: str | None) -> None:
        """The lexicon's risk concepts: words that reveal a risk by themselves, in any inflection
        or compound ("Hochwasserschaden", "Kartellverfahren"), where no pattern saw one."""
        text, negated = r.text, r.negated
        kinds = {sig.kind for sig in r.out}
        if r.h(OWN_OR_LICENSED):
            kinds.add("third_party_media")
        for hit in self.lexicon.hits(words(text), lang, strict=True):
            finding = FINDINGS.get(hit.concept)
            if finding and kind_of(finding[0]) in NEGATABLE_KINDS and negated and only_negated(hit.word, text, negated):
                continue  # "keine Chartmusik"
            if finding and CONTRARY.get(finding[0]) in kinds:
                continue
            if finding and kind_of(finding[0]) not in kinds:
                name, strength = finding
                if name == "press_word" and r.h(ASKS_FOR_WORDS):
                    name, strength = "press", 1.0  # "a woman from the Financial Times wants two sentences from me"
                r.add(name, hit.word, strength)
                kinds.add(kind_of(name))


class _Reading:
    """One text read as one piece: each pattern runs once, the findings in the order they were seen."""

    def __init__(self, text: str, policy: Mapping[str, tuple[Verdict, str]]) -> None:
        self.text = text
        self.policy = policy
        self.negated = negated_spans(text)
        self.out: list[Signal] = []
        self._seen: dict[int, str | None] = {}

    def h(self, rx: re.Pattern[str] | None) -> str | None:
        """What ``rx`` matches in the text. Several findings look at the same pattern; each pattern
        runs once per text. What a post would show or reveal is not shown where the text negates it
        ("no customer logos")."""
        key = id(rx)
        if key not in self._seen:
            self._seen[key] = words_found(rx, self.text, self.negated if rx in NEGATABLE else None)
        return self._seen[key]

    def add(self, name: str, evidence: str | None, strength: float = 1.0) -> None:
        """The finding ``name``, where there is evidence for it. What the finding means is the
        knowledge base's word: its verdict and topic come from the guideline that governs it;
        ungoverned, a risk is a "check" of no topic, a cue nothing."""
        if evidence:
            ruling = self.policy.get(name)
            if ruling is not None:
                verdict, topic = ruling
            else:
                verdict, topic = ("go" if name in CUES else "check"), ""
            self.out.append(
                Signal(
                    kind=kind_of(name),
                    topic=topic,
                    verdict=verdict,
                    evidence=evidence[:80],
                    strength=strength,
                    finding=name,
                )
            )

    def system(self, kind: str, evidence: str | None) -> None:
        """Not the guidelines' to rule on: a condition to wait for, an attempt to instruct the bot."""
        if evidence:
            self.out.append(
                Signal(kind=kind, topic="", verdict="check", evidence=evidence[:80], strength=0.0, finding=kind)
            )


def _deal_and_site(r: _Reading) -> str | None:
    """A deal, announced or not, and a new site where no deal was seen; the deal's words."""
    h, add = r.h, r.add
    published = h(PUBLISHED)
    deal = h(DEAL)
    if deal and published and not h(UNPUBLISHED):
        # "the opening of the new plant was officially celebrated" is news to share, not a leak.
        add("announced_deal", deal, 0.5)
    else:
        add("deal", deal, 0.9)
    new_site = None if deal else h(NEW_SITE)
    if new_site and h(UNPUBLISHED):
        # "a new branch in Vienna, still secret": news before its announcement.
        add("unannounced_site", new_site, 0.9)
    elif new_site and not published:
        # A new office may be public or not: the bot cannot know, the comms lead can.
        add("new_site", new_site, 0.6)
    return deal


def _planned_deal(r: _Reading) -> None:
    """A plan told in plain words: an intention, a change and a part of the company in one clause."""
    for clause in split_clauses(r.text):
        intent = words_found(INTENT, clause) or words_found(FUTURE, clause)
        change, part = words_found(CHANGE, clause), words_found(ORG_PART, clause)
        if intent and change and part and not words_found(PUBLISHED, clause):
            r.add("deal", f"{intent} … {change} … {part}", 0.8)
            break


def _cues_and_conduct(r: _Reading) -> None:
    """Cues that only point to a topic and never loosen a verdict; accounts, time, honesty, gifts."""
    h, add = r.h, r.add
    published = h(PUBLISHED)
    if published and not any(sig.verdict == "no" for sig in r.out):
        # Sharing the company's posts is what ambassadors do; a question that also says when
        # ("in my lunch break") is about the time, so the cue points less to the content.
        add("published", published, 0.2 if h(WORK_HOURS) and h(LIGHT_ACTIVITY) else 0.4)
    add("obligation", h(OBLIGATION), 0.9)
    add("ownership", h(OWNERSHIP), 0.6)

    # company accounts: an account for the company, not one's own private profile
    account = h(ACCOUNT)
    if account and h(ACCOUNT_CONTEXT) and h(COMPANY_WORD):
        add("account", account, 0.8)

    # working time
    add("time_effort", h(TIME_EFFORT), 0.7)
    # When a question says when it shares or likes, the time is its point ("share our posts in
    # my lunch break"); said in passing ("a profile I keep up during working hours") it is a hint.
    add("work_hours", h(WORK_HOURS), 0.9 if h(LIGHT_ACTIVITY) else 0.6)

    # honesty about one's employer
    add("undisclosed", h(UNDISCLOSED), 1.0)
    if h(GIVER) or h(FOR_POST):
        add("gift", h(GIFT), 0.9)


def _people_and_material(r: _Reading) -> None:
    """People and their data, pictures of people, other people's material."""
    text, h, add = r.text, r.h, r.add
    add("contact_details", h(EMAIL) or h(IBAN) or phone_number(text), 0.9)
    matter = h(PRIVATE_MATTER)
    add("sensitive_data", h(SENSITIVE) or (matter if matter and h(A_PERSON) else None), 1.0)
    add("person_name", h(TAGGING) or mention(text) or person_name(text), 0.8)
    faces = h(FACES_DIRECT)
    if faces:
        add("people_media", faces, 1.0)
    elif not h(UNRECOGNISABLE):
        # A picture inferred to show people, where the text says nobody can be recognised, shows nobody.
        add("people_media", people_in_media(text, r.negated), 0.7)

    add("unrecognisable", h(UNRECOGNISABLE), 0.7)

    # other people's material
    add("licensed", h(OWN_OR_LICENSED), 0.3)
    if not h(OWN_OR_LICENSED):
        add("third_party_media", h(THIRD_PARTY) or brand_logo(text), 0.9)


def _voice(r: _Reading) -> None:
    """Speaking for the company, incidents, the brand changed."""
    h, add = r.h, r.add
    press = h(PRESS)
    add("press", press, 1.1)
    if not press:
        add("creator_contact", h(CREATOR) or h(APPEARANCE), 0.9)
    add("legal", h(LEGAL), 1.0)
    add("statement", h(STATEMENT), 0.9)
    crisis = h(CRISIS)
    add("crisis", crisis, 1.0)
    if not crisis:
        harm, spread = h(HARM), h(SPREAD)
        if harm and spread and h(OURS):
            add("crisis", f"{harm} … {spread}", 0.9)
    add("altered_brand", h(ALTERED_BRAND), 0.8)


def _conditions(r: _Reading) -> None:
    """A post that waits for the publication, and an instruction to the bot.

    "after the press release", "sobald es offiziell ist": news not yet announced is then a matter
    to clear, not a "no"; nothing here is a "go" yet.
    """
    condition = r.h(CONDITION)
    if condition and not r.h(STILL_SECRET):
        waiting = [sig for sig in r.out if sig.kind in WAITS_FOR_PUBLICATION and sig.verdict == "no"]
        if waiting:
            r.out = [replace(sig, verdict="check") if sig in waiting else sig for sig in r.out]
        r.system("condition", condition)
    r.system("injection", r.h(INJECTION))
