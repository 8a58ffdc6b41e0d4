"""A crisis report on its way in: the draft from a message, the proposed severity, the platform it
happened on, and the rows written for a burst of reports together (with their first step claimed)."""

from __future__ import annotations

import functools
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.orm import make_transient_to_detached

from bot.core import Core
from bot.groupcommit import GroupCommit
from bot.messages import Incoming
from bot.router import BACKUP, LEAD
from handlers.crisis.config import FIRST_CLAIM, MAX_REPORT_TEXT, ROLE_NAMES, CrisisConfig
from handlers.crisis.helpers import _tz
from handlers.crisis.models import CrisisAttempt, CrisisEvent, CrisisReport
from handlers.crisis.rota import Target, _emails_of_role, _level_targets, _Step
from handlers.crisis.state import _state, config, group_commit
from knowledge.severity import crisis_severity
from storage.models import Identity, Person, RoleGrant

log = logging.getLogger("ambassador.crisis")


_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_URL = re.compile(r"https?://[^\s<>\"'）)\]]+")
_PLATFORMS = {
    "tiktok.com": "TikTok", "instagram.com": "Instagram", "facebook.com": "Facebook", "fb.watch": "Facebook",
    "x.com": "X", "twitter.com": "X", "linkedin.com": "LinkedIn", "youtube.com": "YouTube", "youtu.be": "YouTube",
    "reddit.com": "Reddit", "xing.com": "XING", "kununu.com": "kununu", "glassdoor.com": "Glassdoor",
    "glassdoor.de": "Glassdoor", "threads.net": "Threads", "bsky.app": "Bluesky", "t.me": "Telegram",
    "whatsapp.com": "WhatsApp", "snapchat.com": "Snapchat", "pinterest.com": "Pinterest", "twitch.tv": "Twitch",
    "trustpilot.com": "Trustpilot",
}
_PLATFORM_WORDS = re.compile(
    r"\b(tiktok|instagram|insta|facebook|twitter|linkedin|youtube|reddit|xing|kununu|glassdoor|threads|bluesky|"
    r"telegram|whatsapp|snapchat|mastodon|twitch|trustpilot|google reviews?|presse|press|tv|radio|zeitung|newspaper)\b",
    re.IGNORECASE,
)


def extract_links(text: str) -> list[str]:
    found = [m[1] for m in _SLACK_LINK.finditer(text)]
    rest = _SLACK_LINK.sub(" ", text)
    found += [u.rstrip(".,;:!?") for u in _URL.findall(rest)]
    out: list[str] = []
    for u in found:
        if u not in out:
            out.append(u[:2000])
    return out[:20]


def platform_of(url: str | None, text: str = "") -> str | None:
    if url:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
        for domain, name in _PLATFORMS.items():
            if host == domain or host.endswith("." + domain):
                return name
    m = _PLATFORM_WORDS.search(text)
    if m:
        word = m[1].lower()
        return {"insta": "Instagram", "twitter": "X", "presse": "press", "zeitung": "newspaper"}.get(
            word, _PLATFORMS.get(f"{word}.com", m[1])
        )
    if url:
        return urlparse(url).hostname
    return None


def propose_severity(text: str, cfg: CrisisConfig | None = None) -> str:
    """The highest severity the report's words say, in German or English (knowledge.severity); medium when none."""
    return crisis_severity(text, cfg.keywords if cfg is not None else None)


@dataclass
class Draft:
    text: str
    source: str
    links: list[str] = field(default_factory=list)
    permalink: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    cut: int = 0  # characters beyond MAX_REPORT_TEXT that were not kept


def _draft(msg: Incoming, text: str, source: str, permalink: str | None = None) -> Draft:
    full = text.strip()
    text = full[:MAX_REPORT_TEXT]
    attachments = [{"name": a.name, "content_type": a.content_type, "url": a.url} for a in msg.attachments]
    # Links from the whole text: one at the very end of a long paste is often the point of it.
    return Draft(text=text, source=source, links=extract_links(full), permalink=permalink,
                 attachments=attachments, cut=len(full) - len(text))


async def store_report(core: Core, person: Person, draft: Draft, *, lang: str,
                       source_key: str | None = None) -> tuple[CrisisReport, bool]:
    """Store a report and its first audit entry; (report, False) when this source made one already.

    The job alerts it within seconds; the chat handler alerts at once instead (``_store`` with a claim).
    """
    report, created, _ = await _store(core, person, draft, lang=lang, source_key=source_key, claim=False)
    return report, created


@dataclass
class _NewReport:
    """A report on its way into the database, with its first alert claimed when ``claim``."""

    person: Person
    draft: Draft
    lang: str
    source_key: str | None
    claim: bool
    now: datetime


async def _store(core: Core, person: Person, draft: Draft, *, lang: str, source_key: str | None,
                 claim: bool) -> tuple[CrisisReport, bool, _Step | None]:
    """Store a report (and, with ``claim``, its first step claimed for this process with its attempts).

    Reports arriving together share one transaction (``_write_reports``); each caller returns once
    its report is committed, as with a transaction of its own.
    """
    report, created, step = await _stores(core).submit(
        _NewReport(person=person, draft=draft, lang=lang, source_key=source_key, claim=claim, now=core.now()))
    if created:
        log.info("crisis reported", extra={"ref": report.ref, "severity": report.severity, "source": draft.source})
    return report, created, step


def _stores(core: Core) -> GroupCommit[_NewReport, tuple[CrisisReport, bool, _Step | None]]:
    st = _state(core)
    if st.stores is None:
        st.stores = group_commit(core, _write_reports)
    return st.stores


def _detached(model: type[Any], row: Any) -> Any:
    """An ORM object from a row read or written with Core statements, as a closed session leaves one."""
    obj = model(**dict(row))
    make_transient_to_detached(obj)
    return obj


async def _write_reports(core: Core, items: list[_NewReport]) -> list[tuple[CrisisReport, bool, _Step | None]]:
    """One transaction for the reports that arrived together: their rows, first audit entries and, for the
    claimed ones, the first step's claim and attempts (written as 'sending' before anything is sent: this
    process sends them without another write in between; if it stops, the short claim runs out and the
    job sends them, their outcome unknown). The policy's people are read in the same transaction, once for
    the batch, and handed to the first alert: who is alerted is what the database said when the report was
    stored, without a read per report."""
    cfg = config(core)
    reports, events = CrisisReport.__table__, CrisisEvent.__table__
    results: list[tuple[CrisisReport, bool, _Step | None] | None] = [None] * len(items)
    async with core.db.engine.begin() as conn:
        stored: dict[str, CrisisReport] = {}
        keys = sorted({it.source_key for it in items if it.source_key})
        if keys:
            # A handler run twice for one message (recovery after a crash) makes one report.
            stored = {row["source_key"]: _detached(CrisisReport, row) for row in (await conn.execute(
                core_select(reports).where(reports.c.source_key.in_(keys)))).mappings()}
        fresh: list[int] = []
        first_of: dict[str, int] = {}
        for i, it in enumerate(items):
            if it.source_key in stored:
                results[i] = (stored[it.source_key], False, None)
            elif it.source_key and it.source_key in first_of:
                continue  # the same message twice in one batch: answered from the first below
            else:
                if it.source_key:
                    first_of[it.source_key] = i
                fresh.append(i)
        plans = await _first_steps(core, conn, cfg, [items[i] for i in fresh if items[i].claim])
        rows = []
        for i in fresh:
            it, draft = items[i], items[i].draft
            severity = propose_severity(draft.text, cfg)
            url = draft.links[0] if draft.links else None
            policy_name = cfg.policy_at(it.now, _tz(core))
            rows.append({
                "ref": None, "source_key": it.source_key, "reporter_id": it.person.id,
                "reporter_pseudonym": it.person.pseudonym, "reporter_lang": it.lang, "source": draft.source,
                "text": draft.text, "links": draft.links, "place": platform_of(url, draft.text), "url": url,
                "permalink": draft.permalink, "attachments": draft.attachments, "severity": severity,
                "proposed_severity": severity, "status": "open", "policy": policy_name, "step": 0,
                "next_at": it.now, "claim_until": it.now + FIRST_CLAIM if it.claim else None,
                "claim_token": uuid.uuid4().hex if it.claim else None, "owner_id": None, "owner_pseudonym": None,
                "acked_at": None, "resolved_at": None, "resolution_note": None, "created_at": it.now})
        if rows:
            ids = (await conn.execute(_statements().report, rows)).scalars().all()
            for row, report_id in zip(rows, ids, strict=True):
                row["id"] = report_id
                row["ref"] = f"{cfg.reference_prefix}-{row['created_at'].year}-{report_id:04d}"
            await conn.execute(_statements().ref, [{"_id": r["id"], "_ref": r["ref"]} for r in rows])
            await conn.execute(insert(events), [{
                "report_id": row["id"], "hold_id": None, "kind": "reported", "at": row["created_at"],
                "actor_id": items[i].person.id, "actor_pseudonym": items[i].person.pseudonym,
                "detail": {"severity": row["severity"], "source": row["source"], "policy": row["policy"],
                           "links": len(row["links"]), "chars": len(row["text"]),
                           "attachments": [a["name"] for a in row["attachments"]]},
            } for i, row in zip(fresh, rows, strict=True)])
            wanted = [(row, target) for i, row in zip(fresh, rows, strict=True) if items[i].claim
                      for target in plans[row["policy"]][0]]
            attempt_ids = iter((await conn.execute(_statements().attempt, [
                {"report_id": row["id"], "step": 0, "via": target.via, "target": target.target, "person_id": None,
                 "status": "sending", "tries": 1, "error": None, "started_at": row["created_at"], "finished_at": None}
                for row, target in wanted])).scalars().all() if wanted else [])
            for i, row in zip(fresh, rows, strict=True):
                report = _detached(CrisisReport, row)
                step = None
                if items[i].claim:
                    targets, people = plans[row["policy"]]
                    step = _Step(report=report, token=row["claim_token"], policy=cfg.policy(row["policy"]), level=0,
                                 round=0, targets=len(targets), to_send=[(x, next(attempt_ids)) for x in targets],
                                 reached_before=False, people=people)
                results[i] = (report, True, step)
    for i, it in enumerate(items):
        if results[i] is None:  # the second of one message in the batch
            results[i] = (results[first_of[it.source_key]][0], False, None)
    return results  # type: ignore[return-value]


async def _first_steps(core: Core, conn: Any, cfg: CrisisConfig, items: list[_NewReport]
                       ) -> dict[str, tuple[list[Target], dict[str, tuple[Person, list[Identity]]]]]:
    """For each policy the claimed reports fall under: the first level's targets and, of its chat targets,
    the people reachable on a connected platform with their accounts (the others are looked up as before,
    on the platforms, when the alert is sent)."""
    names = sorted({cfg.policy_at(it.now, _tz(core)) for it in items})
    if not names:
        return {}
    levels = {name: cfg.policy(name).levels[0] for name in names}
    grants: list[tuple[str, str, bool]] = []
    if any(entry in ROLE_NAMES for level in levels.values() for entry in level.who):
        grants = [tuple(r) for r in (await conn.execute(_statements().grants)).all()]
    targets = {name: _level_targets(level, {e: _emails_of_role(core, e, grants) for e in level.who
                                            if e in ROLE_NAMES}) for name, level in levels.items()}
    emails = sorted({x.target for found in targets.values() for x in found if x.via == "chat"})
    people: dict[str, tuple[Person, list[Identity]]] = {}
    if emails:
        persons = {row["email"]: _detached(Person, row) for row in (await conn.execute(
            _statements().people, {"emails": emails})).mappings()}
        accounts: dict[int, list[Identity]] = {}
        if persons:
            for row in (await conn.execute(_statements().identities,
                                           {"ids": sorted(p.id for p in persons.values())})).mappings():
                accounts.setdefault(row["person_id"], []).append(_detached(Identity, row))
        for email, person in persons.items():
            mine = accounts.get(person.id, [])
            if any(a.platform in core.senders for a in mine):
                people[email] = (person, mine)
    return {name: (found, {x.target: people[x.target] for x in found if x.target in people})
            for name, found in targets.items()}


@dataclass(frozen=True)
class _Statements:
    report: Any  # CrisisReport rows; returns their ids in order
    ref: Any  # sets the references (expanding _id, _ref)
    attempt: Any  # CrisisAttempt rows; returns their ids in order
    grants: Any  # the lead and backup grants made in chat, oldest first
    people: Any  # persons by address (expanding "emails")
    identities: Any  # their accounts (expanding "ids")
    sent: Any  # an attempt delivered
    failed: Any  # an attempt failed
    moved: Any  # a report moved on to its next step, if this process still holds the claim


@functools.cache
def _statements() -> _Statements:
    """The burst path's statements, built once: building one costs about what running it does."""
    reports, attempts = CrisisReport.__table__, CrisisAttempt.__table__
    grants, people, identities = RoleGrant.__table__, Person.__table__, Identity.__table__
    return _Statements(
        report=insert(reports).returning(reports.c.id, sort_by_parameter_order=True),
        ref=update(reports).where(reports.c.id == bindparam("_id")).values(ref=bindparam("_ref")),
        attempt=insert(attempts).returning(attempts.c.id, sort_by_parameter_order=True),
        grants=core_select(grants.c.role, grants.c.email, grants.c.granted)
        .where(grants.c.role.in_([LEAD, BACKUP]), grants.c.department == "").order_by(grants.c.changed_at),
        people=core_select(people).where(people.c.email.in_(bindparam("emails", expanding=True))),
        identities=core_select(identities).where(identities.c.person_id.in_(bindparam("ids", expanding=True))),
        sent=update(attempts).where(attempts.c.id == bindparam("_id")).values(
            status="sent", person_id=bindparam("_person"), finished_at=bindparam("_done")),
        failed=update(attempts).where(attempts.c.id == bindparam("_id")).values(
            status="failed", error=bindparam("_error"), finished_at=bindparam("_done")),
        moved=update(reports).where(reports.c.id == bindparam("_id"), reports.c.claim_token == bindparam("_token"),
                                    reports.c.status == "open").values(
            step=bindparam("_step"), next_at=bindparam("_next"), claim_until=None, claim_token=None),
    )
