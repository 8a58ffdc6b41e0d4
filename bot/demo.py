"""The demo workspace: ``ambassador demo`` (or ``./dev run --demo``) fills a database of its own with four
weeks of plausible program life, then opens the terminal workspace on it, so the meeting report shows real
figures at once.

The activity is written by the capabilities' own functions wherever they exist (content runs planned and
sent by the nudge, clicks counted by the share-link redirect, answers recorded by the answer engine, ballots
cast and sealed by the polls, the crisis report stored by the crisis capability), on a clock moved through
the four weeks, so every row carries the time it would have had. It is seeded: the same day gives the same
demo.

The demo database carries a mark (table ``demo_database``). A file without it is never opened, changed or
removed by this command: it may be a real database.
"""

from __future__ import annotations

import argparse
import heapq
import random
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text, update
from sqlmodel import select

from bot.config import ConfigError, Settings
from storage.db import Database
from storage.models import Consent, Person, ProgramEvent, utcnow

MARK_TABLE = "demo_database"
DAYS = 28
SEED = 13

TEXTS = {
    "demo.made": {
        "en": "Made the demo workspace {path}: four weeks of program life ({people} members, {shares} shares, "
              "{questions} questions, {polls} closed polls, {feedback} feedback, 1 crisis report). "
              "Try “meeting report” as lea. Your other databases are untouched.",
        "de": "Demo-Arbeitsbereich {path} angelegt: vier Wochen Programmleben ({people} Mitglieder, {shares} geteilte "
              "Beiträge, {questions} Fragen, {polls} beendete Umfragen, {feedback} Rückmeldungen, 1 Krisenmeldung). "
              "Probier „treffen bericht“ als lea. Deine anderen Datenbanken bleiben unberührt.",
    },
    "demo.reopened": {
        "en": "Opening the demo workspace {path} as it is (“ambassador demo --fresh” makes it anew).",
        "de": "Der Demo-Arbeitsbereich {path} wird geöffnet, wie er ist („ambassador demo --fresh“ legt ihn neu an).",
    },
    "demo.not_demo": {
        "en": "{path} exists and is no demo database made by “ambassador demo”: it may hold real data, so the demo "
              "does not open, change or remove it. Nothing was changed. Give the demo another file: "
              "ambassador demo --db demo2.db",
        "de": "{path} gibt es schon, und es ist keine Demo-Datenbank von „ambassador demo“: sie kann echte Daten "
              "enthalten, deshalb öffnet, ändert oder löscht die Demo sie nicht. Nichts wurde geändert. Gib der "
              "Demo eine andere Datei: ambassador demo --db demo2.db",
    },
    "demo.credentials": {
        "en": "--demo opens the terminal workspace, which runs without Slack or Teams credentials; they are set "
              "here, so nothing was started. Use “ambassador demo” in a shell without them.",
        "de": "--demo öffnet den Terminal-Arbeitsbereich, der ohne Slack- oder Teams-Zugangsdaten läuft; hier sind "
              "welche gesetzt, deshalb wurde nichts gestartet. Nutze „ambassador demo“ in einer Shell ohne sie.",
    },
}


def text_for(key: str, lang: str | None, **values: Any) -> str:
    entry = TEXTS[key]
    return entry["de" if lang == "de" else "en"].format(**values)


# -- the file and its mark ----------------------------------------------------------------------


def demo_path(settings: Settings, override: str | None = None) -> Path:
    """``--db`` (relative to the working directory), else demo.db beside app.yaml."""
    if override:
        return Path(override).expanduser().resolve()
    return settings.config_path.resolve().parent / "demo.db"


def mark_state(path: Path) -> str | None:
    """'ready' or 'seeding' for a demo database; None for any other file. Reads only, never writes."""
    if path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(f"SELECT state FROM {MARK_TABLE} WHERE id = 1").fetchone()  # noqa: S608
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row and row[0] in ("ready", "seeding") else None


def _remove(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        p.unlink(missing_ok=True)


async def _mark(db: Database, state: str) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARK_TABLE} (id INTEGER PRIMARY KEY, state TEXT NOT NULL, "
                                "made_at TEXT NOT NULL)"))
        await conn.execute(text(f"INSERT INTO {MARK_TABLE} (id, state, made_at) VALUES (1, :s, :at) "
                                "ON CONFLICT (id) DO UPDATE SET state = excluded.state"),
                           {"s": state, "at": utcnow().isoformat()})


# -- the four weeks ---------------------------------------------------------------------------------


class _Silent:
    """The sender while the past is written: what the bot sent then was read long ago."""

    async def send_to_person(self, user_id: str, replies: list[Any]) -> None:
        return None

    async def send_to_conversation(self, conversation_id: str, replies: list[Any], user_id: str | None) -> None:
        return None


ITEMS = [  # (creator role, title, url, de, en, audience, department)
    ("lea", "Our new training centre opens", "https://example.com/news/training-centre",
     "Unser neues Schulungszentrum ist eröffnet – schaut mal rein!", "Our new training centre is open: have a look!",
     "all", None),
    ("clara", "Customer story: 30 % less paper", "https://example.com/stories/less-paper",
     "Wie ein Kunde mit uns 30 % Papier spart.", "How a customer saves 30 % paper with us.", "all", None),
    ("david", "We are hiring: apprentices 2027", "https://example.com/careers/apprentices",
     "Wir suchen Azubis für 2027 – erzählt es weiter!", "We are hiring apprentices for 2027: pass it on!", "all", None),
    ("lea", "Trade fair: meet us in hall 4", "https://example.com/events/fair",
     "Besucht uns auf der Messe in Halle 4.", "Meet us at the trade fair in hall 4.", "all", None),
    ("clara", "Sales team wins regional award", "https://example.com/news/sales-award",
     "Unser Vertrieb hat den Regionalpreis gewonnen!", "Our sales team won the regional award!", "all", None),
    ("lea", "Sustainability report 2026", "https://example.com/report/sustainability",
     "Der Nachhaltigkeitsbericht 2026 ist da.", "The sustainability report 2026 is out.", "all", None),
    ("david", "A day in our HR team", "https://example.com/stories/hr-day",
     "Ein Tag im HR-Team – ein Blick hinter die Kulissen.", "A day in our HR team: behind the scenes.", "all", None),
    ("lea", "Open day on Saturday", "https://example.com/events/open-day",
     "Tag der offenen Tür am Samstag – alle sind willkommen.", "Open day on Saturday: everyone is welcome.", "all", None),
]

QUESTIONS = [
    ("en", "May I share our press release about the trade fair on LinkedIn?"),
    ("de", "Darf ich ein Foto aus dem Büro auf Instagram posten?"),
    ("en", "Can I mention our customer in a post?"),
    ("de", "Darf ich die Quartalszahlen vor der Veröffentlichung teilen?"),
    ("en", "Is it ok to repost the job ad for apprentices?"),
    ("de", "Kann ich einen Kollegen in meinem Beitrag markieren?"),
    ("en", "Someone criticised us in a comment, should I answer?"),
    ("de", "Darf ich über das neue Produkt schreiben, bevor es vorgestellt ist?"),
    ("en", "May I use the company logo on my personal profile?"),
    ("de", "Darf ich das Video vom Sommerfest teilen?"),
    ("en", "Can I write that I work here in my LinkedIn headline?"),
    ("de", "Darf ich einen Screenshot aus dem Intranet posten?"),
]

FEEDBACK = [  # (language, kind, anonymous, text)
    ("de", "feedback", False, "Die wöchentlichen Hinweise sind genau richtig, nicht zu viele."),
    ("en", "feedback", False, "The suggested post texts save me a lot of time."),
    ("de", "topic", False, "Können wir im nächsten Treffen über Fotos am Arbeitsplatz sprechen?"),
    ("en", "feedback", True, "Sometimes the items arrive while I am on the road; Tuesday would suit me better."),
    ("de", "feedback", True, "Mehr Inhalte aus der Technik wären schön."),
    ("en", "topic", False, "Could someone explain how the click figures are counted?"),
    ("de", "feedback", False, "Die Antwort zu den Kundennamen war sehr hilfreich."),
]


class _Seeder:
    def __init__(self, core: Any, settings: Settings, now: datetime) -> None:
        self.core = core
        self.settings = settings
        self.now = now
        self.start = now - timedelta(days=DAYS)
        self.rng = random.Random(f"{SEED}:{now.date().isoformat()}")
        self.steps: list[tuple[datetime, int, Callable[[], Awaitable[None]]]] = []  # a heap: steps add steps
        self.order = 0
        self.people: dict[str, Person] = {}
        self.count = {"shares": 0, "questions": 0, "polls": 0, "feedback": 0}

    def at(self, when: datetime, fn: Callable[[], Awaitable[None]]) -> None:
        when = min(when, self.now - timedelta(seconds=1))
        self.order += 1
        heapq.heappush(self.steps, (when, self.order, fn))

    def day(self, d: float) -> datetime:
        """Day d of the four weeks, at a plausible working hour."""
        base = self.start + timedelta(days=int(d))
        hour = self.rng.uniform(8.5, 17.5)
        return base.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=hour - 1)

    def recent(self, f: float) -> datetime:
        """Within the period the meeting report shows now (since the last meeting): f from 0 to 1."""
        from handlers.meetings import default_period

        period = default_period(self.settings, self.now)
        return period.start + (period.end - period.start) * f

    def person(self, first: str) -> Person:
        return next(p for email, p in self.people.items() if email.split("@")[0].split(".")[0] == first)

    async def run(self) -> None:
        from bot.platforms.shell import workspace
        from bot.platforms.shell.chat import PLATFORM, Shell

        core = self.core
        core.clock = lambda: self.now
        core.register_sender(PLATFORM, _Silent())
        shell = Shell(core, workspace.members(self.settings)[0].email, people=workspace.members(self.settings))
        await shell.greet_everyone()  # every person of the workspace, with a shell account, as the workspace does
        async with core.db.session() as s:
            for member in workspace.members(self.settings):
                person = (await s.exec(select(Person).where(Person.email == member.email))).one()
                person.created_at = self.start - timedelta(days=1)
                s.add(person)
                self.people[member.email] = person
            await s.commit()
            for p in self.people.values():
                await s.refresh(p)
        self.plan_joins()
        self.plan_content()
        self.plan_questions()
        self.plan_polls()
        self.plan_feedback()
        self.plan_crisis()
        while self.steps:
            when, _, fn = heapq.heappop(self.steps)
            core.clock = lambda when=when: when
            await fn()
        core.clock = utcnow

    # -- members ---------------------------------------------------------------------------

    def plan_joins(self) -> None:
        members = [p for p in self.people.values() if not p.is_guest]
        for i, person in enumerate(members):
            first = (person.email or "").split("@")[0].split(".")[0]
            when = self.recent(0.08) if first == "sara" else self.day(0 if i < 2 else self.rng.uniform(0, 9))
            self.at(when, lambda person=person: self.join(person))

    async def join(self, person: Person) -> None:
        """What handlers/membership.py join_confirm writes: the member, the consent, the program event."""
        now = self.core.now()
        async with self.core.db.session() as s:
            row = await s.get(Person, person.id)
            row.is_member, row.joined_at, row.left_at = True, now, None
            # As a platform would report it: their own language setting stays automatic, so the one the
            # terminal speaks (--lang, LANG) answers them, and messages the bot starts use this one.
            row.locale = row.locale or ("en" if self.rng.random() < 0.3 else "de")
            s.add(Consent(person_id=row.id, notice_version=self.settings.app.privacy.notice_version, given_at=now))
            s.add(ProgramEvent(kind="join", person_id=row.id, pseudonym=row.pseudonym, at=now))
            await s.commit()

    # -- content -----------------------------------------------------------------------------

    def plan_content(self) -> None:
        from handlers import content

        cfg = content.content_config(self.settings)
        slots = []
        slot = content.prev_slot(cfg, self.settings, self.now)
        while slot > self.start + timedelta(days=2):
            slots.append(slot)
            slot = content.prev_slot(cfg, self.settings, slot - timedelta(minutes=1))
        slots.reverse()
        per_slot = max(1, len(ITEMS) // max(1, len(slots)))
        items = iter(ITEMS)
        early = timedelta(days=cfg.core_group_days_earlier)
        for n, slot in enumerate(slots):
            for _ in range(per_slot if n < len(slots) - 1 else len(ITEMS)):
                spec = next(items, None)
                if spec is None:
                    break
                self.at(slot - early - timedelta(days=1, hours=self.rng.uniform(1, 30)),
                        lambda spec=spec: self.add_item(spec))
            if early:
                self.at(slot - early, lambda slot=slot: self.nudge(slot, "early", slot - early))
            self.at(slot, lambda slot=slot: self.nudge(slot, "main", slot))

    async def add_item(self, spec: tuple[Any, ...]) -> None:
        """Added by a communicator or the lead (handlers/content/items.py store_item), approved by the lead."""
        from handlers import content
        from storage.models_content import ContentItem

        creator, title, url, de, en, audience, department = spec
        draft = content.ItemDraft(title=title, url=url, text_de=de, text_en=en, audience=audience,
                                  department=department, valid_from=None, valid_until=None, image_url=None,
                                  image_rights=None)
        lead = self.person("lea")
        item, _ = await content.store_item(self.core, draft, via="chat", creator=self.person(creator),
                                           approved=creator == "lea")
        decided = self.core.now() + timedelta(hours=self.rng.uniform(1, 5))
        async with self.core.db.session() as s:
            await s.execute(update(ContentItem).where(ContentItem.id == item.id).values(
                status="approved", decided_by_id=lead.id, decided_at=decided if creator != "lea" else self.core.now(),
                approval_sent_at=self.core.now() if creator != "lea" else None))
            await s.commit()

    async def nudge(self, slot: datetime, wave: str, due: datetime) -> None:
        """The weekly nudge as its job runs it: the run, its plan (deliveries, share links), the sends; then
        the members' answers and the clicks on their links over the days after."""
        from handlers import content
        from storage.models_content import ContentDelivery, ContentLink

        content.configure(self.core, pacer=content.Pacer(0))  # the past needs no pacing
        run_id = await content.ensure_run(self.core, content.cycle_key(slot), wave, due)
        await content.plan_run(self.core, run_id)
        await content.send_due(self.core)
        async with self.core.db.session() as s:
            links = (await s.exec(select(ContentLink).join(ContentDelivery, ContentDelivery.id == ContentLink.delivery_id)
                                  .where(ContentDelivery.run_id == run_id).order_by(ContentLink.id))).all()
        latest = slot == content.prev_slot(content.content_config(self.settings), self.settings, self.now)
        for i, link in enumerate(links):
            span = min(timedelta(days=4), self.now - due)
            if latest and i < 3:
                # The newest nudge's first answers fall in the report's period, however short it is yet.
                base = max(due, self.recent(0))
                when = base + (self.now - base) * (0.2 + 0.15 * i)
            elif self.rng.random() < 0.55:
                when = due + span * self.rng.uniform(0.02, 0.9)
            else:
                continue
            self.at(when, lambda link=link: self.share(link))
            for _ in range(self.rng.choice((0, 1, 2, 3, 5, 8)) if not (latest and i < 3) else 2):
                click = when + (self.now - when) * self.rng.uniform(0.05, 0.95)
                self.at(click, lambda token=link.token: self.click(token))

    async def share(self, link: Any) -> None:
        """"I shared it" (handlers/content/chat.py _answer): the answer once, and a program event."""
        from storage.models_content import ContentLink

        now = self.core.now()
        async with self.core.db.session() as s:
            res = await s.execute(update(ContentLink).where(ContentLink.id == link.id, ContentLink.shared_at.is_(None),
                                                            ContentLink.declined_at.is_(None)).values(shared_at=now))
            if res.rowcount == 1:
                s.add(ProgramEvent(kind="content_shared", person_id=link.person_id, pseudonym=link.pseudonym, at=now,
                                   data={"item": link.item_id}))
                self.count["shares"] += 1
            await s.commit()

    async def click(self, token: str) -> None:
        from handlers import content

        await content.follow_link(self.core, token, self.rng.choice(("li", "li", "xi", None)), "Mozilla/5.0")

    # -- questions ---------------------------------------------------------------------------

    def plan_questions(self) -> None:
        members = [p for p in self.people.values() if not p.is_guest and (p.email or "").split(".")[0] != "sara"]
        for i in range(30):
            lang, question = self.rng.choice(QUESTIONS)
            who = self.rng.choice(members)
            when = self.recent(0.1 + 0.1 * i) if i < 4 else self.day(self.rng.uniform(1, DAYS))
            self.at(when, lambda who=who, lang=lang, question=question: self.ask(who, lang, question))

    async def ask(self, who: Person, lang: str, question: str) -> None:
        """The answer engine answers offline and records the question (no text kept), as handlers/ask/ does."""
        from bot.platforms.shell.chat import PLATFORM
        from handlers.ask import knowledge

        service = knowledge(self.core)
        answer = service.answer(question, None, default_lang=lang)
        await service.recorder.record_answer(answer, asker=who, platform=PLATFORM, source="message")
        self.count["questions"] += 1

    # -- polls -------------------------------------------------------------------------------

    def plan_polls(self) -> None:
        close_named, close_anon = self.recent(0.55), self.recent(0.65)
        self.at(close_named - timedelta(days=3), lambda: self.poll(
            "Which format suits our next ambassador meeting?", ["On site", "Online", "Hybrid"], False, close_named))
        self.at(close_anon - timedelta(days=4), lambda: self.poll(
            "How confident do you feel posting about work?", ["Very", "Somewhat", "Not yet"], True, close_anon))

    async def poll(self, question: str, options: list[str], anonymous: bool, closes_at: datetime) -> None:
        from handlers import polls

        vp = polls.ValidPoll(question=question, options=options, multi=False, anonymous=anonymous,
                             audience_kind="members", audience_value="", closes_at=closes_at, remind_at=None,
                             every_days=None)
        poll, _ = await polls.create_poll(self.core, vp, creator=self.person("lea"), platform=None)
        await polls.deliver_outbox(self.core)
        voters = [p for p in self.people.values() if not p.is_guest]
        self.rng.shuffle(voters)
        opened = self.core.now()
        for person in voters[: max(6, len(voters) - 2)]:
            idx = self.rng.choices(range(len(options)), weights=[5, 3, 2][: len(options)])[0]
            self.at(opened + (closes_at - opened) * self.rng.uniform(0.05, 0.9),
                    lambda person=person, idx=idx, poll=poll: self.vote(poll, person, idx))
        self.at(closes_at, lambda poll=poll: self.close(poll.id))

    async def vote(self, poll: Any, person: Person, idx: int) -> None:
        """As the polls' vote (handlers/polls/chat.py): the ballot (sealed with the program key for an anonymous poll) and,
        for a named poll only, who voted."""
        from handlers import polls

        key = polls.person_key(self.settings, poll.id, person.id)
        async with self.core.db.engine.begin() as conn:
            await polls.cast_ballot(self.core.db, poll, key, idx, conn=conn, mask=polls.seal_mask(self.settings, poll, key))
            if not poll.anonymous:
                await polls._upsert_voter(conn, self.core.db, poll.id, person.id, key, self.core.now())

    async def close(self, poll_id: int) -> None:
        from handlers import polls

        if await polls.close_poll(self.core, poll_id):
            self.count["polls"] += 1
        await polls.deliver_outbox(self.core)

    # -- feedback ----------------------------------------------------------------------------

    def plan_feedback(self) -> None:
        members = [p for p in self.people.values() if not p.is_guest]
        for i, (lang, kind, anonymous, body) in enumerate(FEEDBACK):
            who = self.rng.choice(members)
            when = self.recent(0.15 + 0.2 * i) if i < 4 else self.day(self.rng.uniform(2, DAYS))
            self.at(when, lambda who=who, lang=lang, kind=kind, anonymous=anonymous, body=body:
                    self.feedback(who, lang, kind, anonymous, body))

    async def feedback(self, who: Person, lang: str, kind: str, anonymous: bool, body: str) -> None:
        """As handlers/feedback.py stores it: anonymous feedback keeps no person, its day only, and its
        department only where enough people are in it."""
        from zoneinfo import ZoneInfo

        from sqlalchemy import func

        from storage.models_polls import Feedback

        now = self.core.now()
        async with self.core.db.session() as s:
            department = who.department
            if anonymous and department:
                size = (await s.exec(select(func.count()).select_from(Person).where(
                    func.lower(Person.department) == department.lower(), Person.active.is_(True),
                    Person.is_guest.is_(False)))).one()
                department = department if size >= self.settings.app.privacy.anonymous_min_group else None
            if anonymous:
                local = now.astimezone(ZoneInfo(self.settings.app.timezone))
                now = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
            s.add(Feedback(kind=kind, text=body, department=department, person_id=None if anonymous else who.id,
                           anonymous=anonymous, lang=lang, created_at=now))
            await s.commit()
        self.count["feedback"] += 1

    # -- the crisis ----------------------------------------------------------------------------

    def plan_crisis(self) -> None:
        self.at(self.recent(0.3), self.crisis)

    async def crisis(self) -> None:
        """Reported by erik (handlers/crisis/reports.py store_report), alerted to the lead, acknowledged by the backup
        eight minutes later, resolved with a note: the trail as the crisis capability writes it."""
        from handlers import crisis
        from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport

        reporter, lead, backup = self.person("erik"), self.person("lea"), self.person("ben")
        draft = crisis.Draft(text="Someone posted a photo of our unreleased product on TikTok: "
                                  "https://www.tiktok.com/@someone/video/123", source="message",
                             links=["https://www.tiktok.com/@someone/video/123"])
        report, _ = await crisis.store_report(self.core, reporter, draft, lang="en")
        start = self.core.now()
        end = min(self.now - timedelta(seconds=2), start + timedelta(hours=2))
        acked = start + (end - start) * 0.07
        async with self.core.db.session() as s:
            s.add(CrisisAttempt(report_id=report.id, step=0, via="chat", target="comms_lead", person_id=lead.id,
                                status="sent", started_at=start, finished_at=start + timedelta(seconds=1)))
            await s.execute(update(CrisisReport).where(CrisisReport.id == report.id).values(
                status="resolved", owner_id=backup.id, owner_pseudonym=backup.pseudonym, acked_at=acked, next_at=None,
                step=1, resolved_at=end, resolution_note="Asked the poster to take it down; it is gone."))
            s.add(CrisisEvent(report_id=report.id, kind="acknowledged", at=acked, actor_id=backup.id,
                              actor_pseudonym=backup.pseudonym, detail={"step": 1}))
            s.add(CrisisEvent(report_id=report.id, kind="resolved", at=end, actor_id=backup.id,
                              actor_pseudonym=backup.pseudonym,
                              detail={"note": "Asked the poster to take it down; it is gone."}))
            await s.commit()


async def seed(core: Any, settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    seeder = _Seeder(core, settings, now or utcnow())
    await seeder.run()
    members = sum(1 for p in seeder.people.values() if not p.is_guest)
    return {"people": members, **seeder.count}


async def make(args: argparse.Namespace, settings: Settings, build_core: Callable[..., Any], path: Path,
               lang: str | None) -> None:
    import dataclasses

    url = f"sqlite:///{path}"
    settings = dataclasses.replace(settings, database_url=url)
    core = build_core(argparse.Namespace(**{**vars(args), "workspace_attach": None}), settings)
    try:
        await core.db.upgrade()
        await core.db.check_key(settings.key.fingerprint())
        await _mark(core.db, "seeding")
        counts = await seed(core, settings)
        await _mark(core.db, "ready")
    finally:
        from bot.cli import _finish_background_work

        await _finish_background_work()
        await core.db.dispose()
    print(text_for("demo.made", lang, path=path, **counts), file=sys.stderr)


def prepare(args: argparse.Namespace, settings: Settings, build_core: Callable[..., Any], lang: str | None) -> Path:
    """The demo database ready to open: made when missing (or --fresh, or left half made); a file that is
    not one is refused untouched."""
    import asyncio

    path = demo_path(settings, getattr(args, "db", None))
    state = mark_state(path) if path.exists() else "missing"
    if state is None:
        raise ConfigError(text_for("demo.not_demo", lang, path=path))
    if state == "ready" and not getattr(args, "fresh", False):
        print(text_for("demo.reopened", lang, path=path), file=sys.stderr)
        return path
    if state != "missing":
        _remove(path)  # our own demo database: --fresh, or a making that stopped half way
    path.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(make(args, settings, build_core, path, lang))
    return path
