"""The ask capability in chat: questions and drafts (the router's fallback, ``ask``, the "Check before
posting" shortcut), the answer guards, feedback, passing a question on, and browsing the guidelines."""

from __future__ import annotations

import logging

from bot.core import Context
from bot.i18n import normalize_language
from bot.messages import Button, Field, Incoming, Reply, button_id
from bot.router import BACKUP, Router
from handlers.ask.cards import _guarded, _private, answer_card
from handlers.ask.config import _comms_lead
from handlers.ask.gaps import _is_gaps_word, answer_gap, gaps, is_gap_answer, notify_lead
from handlers.ask.service import knowledge
from knowledge.loader import TOPIC_NAMES, KBError
from knowledge.model import KnowledgeBase
from knowledge.text import clean

log = logging.getLogger("ambassador.ask")


def register(router: Router) -> None:
    router.command("ask", en=["ask"], de=["frage"], help_key="ask.desc", usage_key="ask.usage")(ask)
    router.command(
        "rules",
        en=["rules", "guidelines"],
        de=["regeln", "richtlinien"],
        help_key="rules.desc",
        usage_key="rules.usage",
    )(rules)
    router.command(
        "kb gaps",
        en=["kb gaps"],
        de=["kb lücken"],
        roles=[BACKUP],
        help_key="gaps.desc",
        usage_key="gaps.usage",
    )(gaps)
    # Exact words only: "Lücken im Lebenslauf posten?" is a question, not this command.
    router.intent("kb gaps", _is_gaps_word, roles=[BACKUP])(gaps)
    # "answer GAP-12 ...": an intent, so that a question starting with "answer" still reaches the engine.
    router.intent("answer", is_gap_answer, roles=[BACKUP])(answer_gap)
    router.action("ask.check")(check_shortcut)
    router.action("ask.helpful")(helpful)
    router.action("ask.unhelpful")(unhelpful)
    router.action("ask.pass")(pass_on)
    router.set_fallback(ask)


def _outsider(ctx: Context) -> bool:
    """A guest or a person from another organisation (Slack Connect, Teams external), or someone
    the platform has not told us about yet: whoever has no role (core.roles_of), as everywhere else.

    Their answers come from the guidelines alone: app.yaml's lists of customers, code names
    and competitors are left out (an answer would confirm that a name is on them), and so are
    the posting holds (a hold's keywords and note are the program's, told to its members).
    """
    return bool(ctx.person.is_guest) or not ctx.roles


async def ask(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, ctx.args if ctx.args is not None else msg.text)


async def check_shortcut(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, str(msg.values.get("text") or ""))


async def _reply(ctx: Context, text: str) -> Reply:
    if not clean(text).strip():
        return Reply(text=ctx.t("ask.empty"), private=_private(ctx))
    service = knowledge(ctx.core)
    # A guest or someone from another organisation gets the guidelines and nothing of the
    # program's own: no confidential lists, no posting holds (see _outsider).
    outsider = _outsider(ctx)
    try:
        # The answer follows the question's language; the stored language (the one the person
        # joined in) only decides when the text gives no clue (emoji, a link).
        answer = await service.answer_async(
            text, None, default_lang=normalize_language(ctx.person.language) or ctx.lang, outsider=outsider
        )
    except KBError:
        return Reply(text=ctx.t("ask.kb_broken", comms_lead=_comms_lead(ctx, ctx.t)), private=_private(ctx))
    # The answer's language may differ from the one the core guessed from the first words.
    t = ctx.core.translator(answer.language) if answer.language != ctx.lang else ctx.t
    notes, guard_failed = ([], False) if outsider else await ctx.core.router.answer_notes(ctx.core, text)
    answer = _guarded(answer, notes, guard_failed, t, _comms_lead(ctx, t))
    ctx.core.metrics.verdict(ctx.incoming.platform, answer.verdict)
    question_id = None
    try:
        question_id = await service.recorder.record_answer(
            answer,
            asker=ctx.person,
            platform=ctx.incoming.platform,
            source=ctx.incoming.source,
            guarded=bool(notes),
        )
    except Exception:
        # The figures miss one question; the asker still gets the answer.
        log.exception("answer not recorded")
    engine = await service.ready_engine()
    return answer_card(ctx, t, answer, engine, service, question_id, text)


async def _feedback(ctx: Context, msg: Incoming, helpful: bool) -> Reply:
    values = msg.values
    service = knowledge(ctx.core)
    try:
        result = await service.recorder.record_feedback(button_id(values.get("a")), helpful, asker=ctx.person)
    except Exception:
        log.exception("answer feedback not recorded")
        result = "unknown"
    if helpful:
        return Reply(text=ctx.t("ask.already_noted" if result == "same" else "ask.thanks"), private=True)
    question = str(values.get("q") or "")
    buttons = []
    if question.strip():
        value = {"a": values.get("a"), "q": question, "r": "unhelpful"}
        buttons.append(Button(label=ctx.t("ask.pass"), action_id="ask.pass", value=value, style="primary"))
    return Reply(
        text=ctx.t("ask.thanks_unhelpful", comms_lead=_comms_lead(ctx, ctx.t)), buttons=buttons, private=True
    )


async def helpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, True)


async def unhelpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, False)


async def pass_on(ctx: Context, msg: Incoming) -> Reply:
    """The asker agreed: the question's text goes to the comms team (and only now is it stored)."""
    t = ctx.t
    question = str(msg.values.get("q") or "").strip()
    if not question:
        return Reply(text=t("ask.pass_nothing"), private=True)
    reason = "unhelpful" if msg.values.get("r") == "unhelpful" else "no_match"
    service = knowledge(ctx.core)
    try:
        gap, new = await service.recorder.record_gap(
            button_id(msg.values.get("a")), question, asker=ctx.person, reason=reason, language=ctx.lang
        )
    except Exception:
        log.exception("gap not recorded")
        return Reply(text=t("ask.pass_unavailable", comms_lead=_comms_lead(ctx, t)), private=True)
    if gap is None:
        return Reply(text=t("ask.pass_unavailable", comms_lead=_comms_lead(ctx, t)), private=True)
    if not new:
        return Reply(text=t("ask.pass_already", ref=gap.ref), private=True)
    await notify_lead(ctx.core, gap)
    return Reply(text=t("ask.passed", ref=gap.ref), private=True)


def find_topic(arg: str, kb: KnowledgeBase | None = None) -> str | None:
    """A topic from its id or (part of) its English or German name: "privacy", "datenschutz", "working time".

    The knowledge base's topics (``kb``), else those of every knowledge base loaded.
    """
    titles = kb.topic_titles if kb is not None else TOPIC_NAMES
    a = " ".join(arg.lower().replace("_", " ").replace("-", " ").split())
    if not a:
        return None
    for topic in titles:
        if a in (topic, topic.replace("_", " ")):
            return topic
    if len(a) < 3:
        return None
    for topic in titles:
        names = [titles[topic][lang].lower() for lang in ("en", "de")] + [topic.replace("_", " ")]
        if any(a in n for n in names) or any(n.split()[0].startswith(a) for n in names):
            return topic
    return None


async def rules(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    try:
        service = knowledge(ctx.core)
        engine = await service.ready_engine()
    except KBError:
        return Reply(text=t("ask.kb_broken", comms_lead=_comms_lead(ctx, t)))
    lang = ctx.lang
    kb = engine.kb
    arg = (ctx.args or "").strip()
    if not arg:
        topics = kb.topics()
        fields = [
            Field(
                label=kb.topic_title(topic, lang),
                value=t("rules.topic_count", count=str(len(kb.topic(topic))), topic=topic),
            )
            for topic in topics
        ]
        return Reply(
            title=t("rules.title"),
            text=t("rules.intro", count=str(len(kb.guidelines)), topics=str(len(topics))),
            fields=fields,
        )
    topic = find_topic(arg, kb)
    if topic is None:
        return Reply(text=t("rules.unknown", topic=arg[:60]))
    fields = [
        Field(
            label=f"{t('rules.verdict.' + g.verdict)} · {g.id}", value=engine.guideline_text(g, "rule", lang)
        )
        for g in kb.topic(topic)
    ]
    return Reply(title=t("rules.topic_title", name=kb.topic_title(topic, lang)), text="", fields=fields)
