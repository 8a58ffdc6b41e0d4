"""Feedback and topics for the next meeting: anyone sends them, optionally anonymous;
communicators read their department's, the comms lead reads all.

``feedback …`` / ``rückmeldung …``; ``--anonymous`` / ``--anonym`` leaves the
name out; ``--topic`` / ``--thema`` marks a topic for the next meeting. Other
capabilities put a button with the action ``feedback.start`` under their
messages (``value={"context": "content:12"}`` says what it is about).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, update
from sqlmodel import select

from bot.capability import Capability, DemoSeed
from bot.core import Context
from bot.messages import BUTTON_VALUE_MAX, Button, Field, Form, FormField, Incoming, Reply, button_id
from bot.router import BACKUP, COMMUNICATOR, LEAD, Router, normalize_command_text
from bot.text import reader_date
from storage.models import Person
from storage.models_polls import Feedback

log = logging.getLogger("ambassador.feedback")

TEXT_MAX = 4000
LIST_MAX = 25

TEXTS: dict[str, dict[str, Any]] = {
    "feedback.desc": {"en": "send feedback or a topic for the next meeting (--anonymous possible)",
                      "de": "Rückmeldung oder ein Thema fürs nächste Treffen senden (--anonym möglich)"},
    "feedback.usage": {"en": "feedback [--anonymous] [--topic] TEXT", "de": "rückmeldung [--anonym] [--thema] TEXT"},
    "feedback.list_desc": {"en": "read the feedback (your departments; the comms lead: all)",
                           "de": {"du": "Rückmeldungen lesen (deine Abteilungen; die Kommunikationsleitung: alle)",
                                  "sie": "Rückmeldungen lesen (Ihre Abteilungen; die Kommunikationsleitung: alle)"}},
    "feedback.prompt": {
        "en": "Write *feedback* and your text, for example *feedback The content this week was great*. "
              "Add --anonymous to send it without your name, or --topic for a topic for the next meeting.",
        "de": {"du": "Schreib *rückmeldung* und deinen Text, zum Beispiel *rückmeldung Die Inhalte diese Woche waren super*. "
                     "Mit --anonym geht sie ohne deinen Namen, mit --thema als Thema fürs nächste Treffen.",
               "sie": "Schreiben Sie *rückmeldung* und Ihren Text, zum Beispiel *rückmeldung Die Inhalte diese Woche waren super*. "
                      "Mit --anonym geht sie ohne Ihren Namen, mit --thema als Thema fürs nächste Treffen."},
    },
    "feedback.form.title": {"en": "Feedback", "de": "Rückmeldung"},
    "feedback.form.submit": {"en": "Send", "de": "Senden"},
    "feedback.form.open": {"en": "Write feedback", "de": "Rückmeldung schreiben"},
    "feedback.form.text": {"en": "Your feedback or topic", "de": {"du": "Deine Rückmeldung oder dein Thema",
                                                                 "sie": "Ihre Rückmeldung oder Ihr Thema"}},
    "feedback.form.text_hint": {"en": "At most {max} characters.", "de": "Höchstens {max} Zeichen."},
    "feedback.form.kind": {"en": "What is it?", "de": "Was ist es?"},
    "feedback.form.kind_feedback": {"en": "Feedback", "de": "Rückmeldung"},
    "feedback.form.kind_topic": {"en": "A topic for the next meeting", "de": "Ein Thema fürs nächste Treffen"},
    "feedback.form.name": {"en": "With your name?", "de": {"du": "Mit deinem Namen?", "sie": "Mit Ihrem Namen?"}},
    "feedback.form.named": {"en": "With my name", "de": "Mit meinem Namen"},
    "feedback.form.anonymous": {"en": "Anonymous", "de": "Anonym"},
    "feedback.form.empty": {"en": "The feedback was empty: please write a sentence or two.",
                            "de": {"du": "Die Rückmeldung war leer: Schreib bitte ein, zwei Sätze.",
                                   "sie": "Die Rückmeldung war leer: Bitte schreiben Sie ein, zwei Sätze."}},
    "feedback.too_long": {"en": "Your feedback has {n} characters; at most {max} fit. Please shorten it.",
                          "de": {"du": "Deine Rückmeldung hat {n} Zeichen; höchstens {max} passen. Kürze sie bitte.",
                                 "sie": "Ihre Rückmeldung hat {n} Zeichen; höchstens {max} passen. Bitte kürzen Sie sie."}},
    "feedback.thanks": {"en": "Thank you! Your feedback is noted with your name for {who}.",
                        "de": {"du": "Danke! Deine Rückmeldung ist mit deinem Namen für {who} notiert.",
                               "sie": "Danke! Ihre Rückmeldung ist mit Ihrem Namen für {who} notiert."}},
    "feedback.thanks_topic": {"en": "Thank you! Your topic is on the list for the next meeting, with your name.",
                              "de": {"du": "Danke! Dein Thema steht mit deinem Namen auf der Liste fürs nächste Treffen.",
                                     "sie": "Danke! Ihr Thema steht mit Ihrem Namen auf der Liste fürs nächste Treffen."}},
    "feedback.thanks_anonymous": {"en": "Thank you! Your feedback is noted without your name: nobody can see it came from you.",
                                  "de": {"du": "Danke! Deine Rückmeldung ist ohne deinen Namen notiert: Niemand sieht, dass sie von dir kommt.",
                                         "sie": "Danke! Ihre Rückmeldung ist ohne Ihren Namen notiert: Niemand sieht, dass sie von Ihnen kommt."}},
    "feedback.who_department": {"en": "the communicators of {department} and the comms lead",
                                "de": "die Kommunikator*innen von {department} und die Kommunikationsleitung"},
    "feedback.who_lead": {"en": "the comms lead", "de": "die Kommunikationsleitung"},
    "feedback.make_anonymous": {"en": "Remove my name", "de": "Meinen Namen entfernen"},
    "feedback.anonymized": {"en": "Done: your feedback no longer carries your name. Your typed message is still in this chat; "
                                  "delete it here if it should be gone (anonymous feedback from the form leaves none).",
                            "de": {"du": "Erledigt: Deine Rückmeldung trägt deinen Namen nicht mehr. Deine getippte Nachricht steht noch in diesem Chat; "
                                         "lösch sie hier, wenn sie weg soll (anonyme Rückmeldung über das Formular hinterlässt keine).",
                                   "sie": "Erledigt: Ihre Rückmeldung trägt Ihren Namen nicht mehr. Ihre getippte Nachricht steht noch in diesem Chat; "
                                          "löschen Sie sie hier, wenn sie weg soll (anonyme Rückmeldung über das Formular hinterlässt keine)."}},
    "feedback.use_form": {"en": "To stay anonymous, send it with this form: what you type into the chat stays in your chat history, "
                                "where the workspace's exports can read it. Your text is in the form already; you may delete your message above.",
                          "de": {"du": "Damit sie anonym bleibt, schick sie über dieses Formular: Was du in den Chat tippst, bleibt in deinem Verlauf, "
                                       "den die Exporte des Arbeitsbereichs lesen können. Dein Text steht schon im Formular; deine Nachricht oben kannst du löschen.",
                                 "sie": "Damit sie anonym bleibt, senden Sie sie über dieses Formular: Was Sie in den Chat tippen, bleibt in Ihrem Verlauf, "
                                        "den die Exporte des Arbeitsbereichs lesen können. Ihr Text steht schon im Formular; Ihre Nachricht oben können Sie löschen."}},
    "feedback.not_yours": {"en": "That feedback is not yours or is gone.",
                           "de": {"du": "Diese Rückmeldung ist nicht deine oder nicht mehr da.",
                                  "sie": "Diese Rückmeldung ist nicht Ihre oder nicht mehr da."}},
    "feedback.list_title": {"en": "Feedback: {scope}", "de": "Rückmeldungen: {scope}"},
    "feedback.scope_all": {"en": "all departments", "de": "alle Abteilungen"},
    "feedback.list_none": {"en": "No feedback yet.", "de": "Noch keine Rückmeldungen."},
    "feedback.list_more": {"en": "The newest {n} of {total}; the meeting report has them all.",
                           "de": "Die neuesten {n} von {total}; der Bericht zum Treffen enthält alle."},
    "feedback.anonymous": {"en": "anonymous", "de": "anonym"},
    "feedback.topic": {"en": "topic", "de": "Thema"},
    "feedback.no_department": {"en": "no department", "de": "keine Abteilung"},
    "feedback.data": {"en": "Feedback you sent with your name", "de": "Rückmeldungen mit Namen"},
}

_ANON = re.compile(r"(?:^|\s)(?:--|—|–)(?:anonymous|anonym|anon)\b", re.IGNORECASE)
_FEEDBACK_WORDS = ("feedback", "rückmeldung", "rueckmeldung")
_TOPIC = re.compile(r"(?:^|\s)(?:--|—|–)(?:topic|thema)\b", re.IGNORECASE)


def register(router: Router) -> None:
    router.command("feedback", en=["feedback"], de=["rückmeldung", "rueckmeldung"], help_key="feedback.desc",
                   usage_key="feedback.usage")(feedback)
    # Not gated by role here: "feedback list of things ..." from anyone is feedback, and is kept.
    router.command("feedback.list", en=["feedback list"], de=["rückmeldung liste", "rückmeldungen", "feedback liste"],
                   help_key="feedback.list_desc")(feedback_list)
    router.action("feedback.start")(feedback_start)
    router.action("feedback.submit")(feedback_submit)
    router.action("feedback.anonymize")(feedback_anonymize)


def _context(msg: Incoming) -> str | None:
    context = msg.values.get("context")
    return context[:200] if isinstance(context, str) and context else None


def feedback_form(ctx: Context, msg: Incoming, typed: dict[str, str] | None = None) -> Form:
    """Feedback as a form (a Slack modal, inputs on a Teams card); what a button was under goes along."""
    t = ctx.t
    typed = typed or {}
    context = _context(msg)
    opener: dict[str, Any] = {"context": context} if context else {}
    # A platform that opens the form from a button later (Slack, without a trigger) gets what was
    # typed with the button, where it fits into a button's value.
    if typed and len(json.dumps({**opener, "typed": typed}, ensure_ascii=False)) < BUTTON_VALUE_MAX - 100:
        opener["typed"] = typed
    return Form(
        title=t("feedback.form.title"),
        submit_label=t("feedback.form.submit"),
        action_id="feedback.submit",
        fields=[
            FormField("text", t("feedback.form.text"), "multiline", initial=typed.get("text"),
                      hint=t("feedback.form.text_hint", max=TEXT_MAX)),
            FormField("kind", t("feedback.form.kind"), "select", initial=typed.get("kind") or "feedback",
                      options=[("feedback", t("feedback.form.kind_feedback")), ("topic", t("feedback.form.kind_topic"))]),
            FormField("name", t("feedback.form.name"), "select", initial=typed.get("name") or "named",
                      options=[("named", t("feedback.form.named")), ("anonymous", t("feedback.form.anonymous"))]),
        ],
        value={"context": context, "_lang": t.lang} if context else {"_lang": t.lang},
        button=Button(label=t("feedback.form.open"), action_id="feedback.start", value=opener),
        fallback=t("feedback.prompt"),
    )


async def feedback_start(ctx: Context, msg: Incoming) -> Reply:
    raw = msg.values.get("typed")
    typed = {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(raw, dict) else None
    return Reply(text=ctx.t("feedback.prompt"), private=True, form=feedback_form(ctx, msg, typed))


async def feedback_submit(ctx: Context, msg: Incoming) -> Reply:
    """A submitted feedback form: stored as ``feedback …`` stores it, with what the button was under."""
    t = ctx.t
    text = msg.values.get("text")
    text = text.strip() if isinstance(text, str) else ""
    topic = msg.values.get("kind") == "topic"
    anonymous = msg.values.get("name") == "anonymous"
    if not text or len(text) > TEXT_MAX:
        # Nothing typed is lost: the form comes back with it.
        problem = t("feedback.too_long", n=len(text), max=TEXT_MAX) if text else t("feedback.form.empty")
        typed = {"text": text, "kind": "topic" if topic else "feedback", "name": "anonymous" if anonymous else "named"}
        return Reply(text=problem, private=True, form=feedback_form(ctx, msg, typed))
    return await _store(ctx, text, anonymous=anonymous, topic=topic, context=_context(msg))


async def feedback(ctx: Context, msg: Incoming, *, prefix: str = "") -> Reply:
    t = ctx.t
    text = (prefix + " " + ctx.args).strip()
    anonymous = bool(_ANON.search(text))
    topic = bool(_TOPIC.search(text))
    text = _TOPIC.sub(" ", _ANON.sub(" ", text)).strip()
    if not text:
        return Reply(text=t("feedback.prompt"), private=True)
    if len(text) > TEXT_MAX:
        return Reply(text=t("feedback.too_long", n=len(text), max=TEXT_MAX), private=True)
    if anonymous and msg.keeps_history:
        typed = {"text": text, "kind": "topic" if topic else "feedback", "name": "anonymous"}
        return Reply(text=t("feedback.use_form"), private=True, form=feedback_form(ctx, msg, typed))
    return await _store(ctx, text, anonymous=anonymous, topic=topic, context=_context(msg))


async def _store(ctx: Context, text: str, *, anonymous: bool, topic: bool, context: str | None) -> Reply:
    t = ctx.t
    async with ctx.db.session() as s:
        row = Feedback(
            kind="topic" if topic else "feedback",
            text=text,
            department=await _department_shown(ctx, s, anonymous),
            person_id=None if anonymous else ctx.person.id,
            anonymous=anonymous,
            context=context,
            lang=ctx.lang,
            created_at=_day(ctx) if anonymous else ctx.core.now(),
        )
        s.add(row)
        await s.commit()
    log.info("feedback received", extra={"kind": row.kind, "anonymous": anonymous})
    if anonymous:
        return Reply(text=t("feedback.thanks_anonymous"), private=True)
    who = (t("feedback.who_department", department=ctx.person.department) if ctx.person.department
           else t("feedback.who_lead"))
    return Reply(text=t("feedback.thanks_topic") if topic else t("feedback.thanks", who=who), private=True,
                 buttons=[Button(label=t("feedback.make_anonymous"), action_id="feedback.anonymize",
                                 value={"id": row.id})])


def _day(ctx: Context) -> datetime:
    """Anonymous feedback keeps its day only (the company's day, at midnight): a time to the second
    would line up with whatever else the sender did at that moment."""
    tz = ZoneInfo(ctx.settings.app.timezone)
    local = ctx.core.now().astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)


async def _department_shown(ctx: Context, s: Any, anonymous: bool) -> str | None:
    """The sender's department, for anonymous feedback only where enough people are in it."""
    department = ctx.person.department
    if not anonymous or not department:
        return department
    size = (await s.exec(select(func.count()).select_from(Person).where(
        func.lower(Person.department) == department.lower(), Person.active.is_(True),
        Person.is_guest.is_(False)))).one()
    return department if size >= ctx.settings.app.privacy.anonymous_min_group else None


async def feedback_anonymize(ctx: Context, msg: Incoming) -> Reply:
    fid = button_id(msg.values.get("id"))
    if fid is None:
        return Reply(text=ctx.t("feedback.not_yours"), private=True)
    async with ctx.db.session() as s:
        done = await s.execute(update(Feedback).where(Feedback.id == fid, Feedback.person_id == ctx.person.id)
                               .values(person_id=None, anonymous=True, created_at=_day(ctx),
                                       department=await _department_shown(ctx, s, True)))
        await s.commit()
    if done.rowcount != 1:
        return Reply(text=ctx.t("feedback.not_yours"), private=True)
    return Reply(text=ctx.t("feedback.anonymized"), update=True, private=True)


async def feedback_list(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    everything = LEAD in ctx.roles or BACKUP in ctx.roles
    if not everything and COMMUNICATOR not in ctx.roles:
        if not ctx.args.strip():
            roles = t("role.communicator") + t("core.or") + t("role.lead")
            return Reply(text=t("core.role_refused", command=normalize_command_text(msg.text), roles=roles),
                         private=True)
        # Not a reader of feedback: "feedback list of …" is feedback that starts with "list".
        words = normalize_command_text(msg.text).split()
        prefix = words[1] if len(words) > 1 and words[0].lower() in _FEEDBACK_WORDS else ""
        return await feedback(ctx, msg, prefix=prefix)
    async with ctx.db.session() as s:
        stmt = select(Feedback, Person.display_name).outerjoin(Person, Person.id == Feedback.person_id)
        count = select(func.count()).select_from(Feedback)
        if not everything:
            stmt = stmt.where(Feedback.department.in_(ctx.departments or ("",)))
            count = count.where(Feedback.department.in_(ctx.departments or ("",)))
        rows = (await s.exec(stmt.order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(LIST_MAX))).all()
        total = (await s.exec(count)).one()
    scope = t("feedback.scope_all") if everything else ", ".join(ctx.departments)
    if not rows:
        return Reply(title=t("feedback.list_title", scope=scope), text=t("feedback.list_none"), private=True)
    tz = ZoneInfo(ctx.person.timezone or ctx.settings.app.timezone)
    fields = []
    for fb, name in rows:
        at = fb.created_at if fb.created_at.tzinfo else fb.created_at.replace(tzinfo=UTC)
        label = " · ".join(x for x in (
            reader_date(at.astimezone(tz), ctx.lang),
            fb.department or t("feedback.no_department"),
            t("feedback.anonymous") if fb.anonymous or not name else name,
            t("feedback.topic") if fb.kind == "topic" else "",
        ) if x)
        fields.append(Field(label, fb.text[:500]))
    return Reply(title=t("feedback.list_title", scope=scope), text="", fields=fields, private=True,
                 context=t("feedback.list_more", n=len(rows), total=total) if total > len(rows) else None)


async def my_feedback_data(ctx: Context) -> list[tuple[str, str]]:
    async with ctx.db.session() as s:
        texts = (await s.exec(select(Feedback.text).where(Feedback.person_id == ctx.person.id)
                              .order_by(Feedback.created_at))).all()
    value = "; ".join(x[:200] for x in texts) if texts else "-"
    return [(ctx.t("feedback.data"), value)]


async def forget_feedback(ctx: Context) -> None:
    # Named feedback is the person's data; anonymous feedback has no link to anyone.
    async with ctx.db.session() as s:
        await s.execute(delete(Feedback).where(Feedback.person_id == ctx.person.id))
        await s.commit()


# -- the demo workspace (bot/demo.py) ---------------------------------------------------------------

DEMO_FEEDBACK = [  # (language, kind, anonymous, text)
    ("de", "feedback", False, "Die wöchentlichen Hinweise sind genau richtig, nicht zu viele."),
    ("en", "feedback", False, "The suggested post texts save me a lot of time."),
    ("de", "topic", False, "Können wir im nächsten Treffen über Fotos am Arbeitsplatz sprechen?"),
    ("en", "feedback", True, "Sometimes the items arrive while I am on the road; Tuesday would suit me better."),
    ("de", "feedback", True, "Mehr Inhalte aus der Technik wären schön."),
    ("en", "topic", False, "Could someone explain how the click figures are counted?"),
    ("de", "feedback", False, "Die Antwort zu den Kundennamen war sehr hilfreich."),
]


def demo_plan(demo: Any) -> None:
    members = demo.members()
    for i, (lang, kind, anonymous, body) in enumerate(DEMO_FEEDBACK):
        who = demo.rng.choice(members)
        when = demo.recent(0.15 + 0.2 * i) if i < 4 else demo.day(demo.rng.uniform(2, demo.days))
        demo.at(when, lambda who=who, lang=lang, kind=kind, anonymous=anonymous, body=body:
                _demo_feedback(demo, who, lang, kind, anonymous, body))


async def _demo_feedback(demo: Any, who: Person, lang: str, kind: str, anonymous: bool, body: str) -> None:
    """As ``feedback`` stores it: anonymous feedback keeps no person, its day only, and its department
    only where enough people are in it."""
    core, settings = demo.core, demo.settings
    now = core.now()
    async with core.db.session() as s:
        department = who.department
        if anonymous and department:
            size = (await s.exec(select(func.count()).select_from(Person).where(
                func.lower(Person.department) == department.lower(), Person.active.is_(True),
                Person.is_guest.is_(False)))).one()
            department = department if size >= settings.app.privacy.anonymous_min_group else None
        if anonymous:
            local = now.astimezone(ZoneInfo(settings.app.timezone))
            now = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        s.add(Feedback(kind=kind, text=body, department=department, person_id=None if anonymous else who.id,
                       anonymous=anonymous, lang=lang, created_at=now))
        await s.commit()
    demo.count["feedback"] += 1


CAPABILITY = Capability(
    name="feedback", register=register, texts=(TEXTS,),
    data_providers=(my_feedback_data,), forget_hooks=(forget_feedback,),
    demo=DemoSeed(plan=demo_plan),  # seven pieces of feedback and topics
)
