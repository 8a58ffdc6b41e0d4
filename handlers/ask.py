"""ask: "may I post this?" answered from the guideline knowledge base, and rules to browse it.

Any message that is no command is taken as a question or a draft (the
router's fallback); so are ``ask ...`` / ``frage ...`` and the "Check before
posting" message shortcut (action ``ask.check`` with the message text in
``values["text"]``). The engine is built once per process, on first use.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core import Context, Core
from bot.i18n import normalize_language
from bot.messages import Button, Field, Incoming, Reply
from bot.router import LEAD, Router
from knowledge.loader import KBError
from knowledge.model import TOPIC_NAMES, TOPICS, Answer
from knowledge.service import KnowledgeService
from knowledge.text import clean

# What a feedback button carries of the question: enough to recognise it in a gap list.
_FEEDBACK_CLIP = 300

TEXTS = {
    "ask.desc": {
        "en": "ask whether you may post something, or check a draft",
        "de": {
            "du": "fragen, ob du etwas posten darfst, oder einen Entwurf prüfen",
            "sie": "fragen, ob Sie etwas posten dürfen, oder einen Entwurf prüfen",
        },
    },
    "ask.usage": {"en": "ask <question or draft>", "de": "frage <Frage oder Entwurf>"},
    "rules.desc": {"en": "browse the posting guidelines", "de": "die Richtlinien fürs Posten ansehen"},
    "rules.usage": {"en": "rules [topic]", "de": "regeln [thema]"},
    "ask.title.go": {
        "en": "✅ Go: you may post this",
        "de": {"du": "✅ Go: Das darfst du posten", "sie": "✅ Go: Das dürfen Sie posten"},
    },
    "ask.title.check": {
        "en": "⚠️ Check first: don't post this yet",
        "de": {
            "du": "⚠️ Erst klären: Poste das noch nicht",
            "sie": "⚠️ Erst klären: Posten Sie das noch nicht",
        },
    },
    "ask.title.no": {
        "en": "⛔ No: don't post this",
        "de": {"du": "⛔ Nein: Poste das nicht", "sie": "⛔ Nein: Posten Sie das nicht"},
    },
    "ask.next": {"en": "Next step", "de": "Nächster Schritt"},
    "ask.context": {
        "en": "Answered from {company}'s guidelines. Was this helpful?",
        "de": "Beantwortet nach den Richtlinien von {company}. War das hilfreich?",
    },
    "ask.context_no_match": {
        "en": "Questions without a fitting guideline help the comms team improve the guidelines. Was this helpful?",
        "de": "Fragen ohne passende Richtlinie helfen der Kommunikation, die Richtlinien zu verbessern. War das hilfreich?",
    },
    "ask.yes": {"en": "Helpful", "de": "Hilfreich"},
    "ask.no": {"en": "Not helpful", "de": "Nicht hilfreich"},
    "ask.thanks": {
        "en": "Thanks for the feedback!",
        "de": {"du": "Danke für deine Rückmeldung!", "sie": "Danke für Ihre Rückmeldung!"},
    },
    "ask.thanks_unhelpful": {
        "en": "Thanks for telling me. The comms team uses this to improve the guidelines; for an answer now, ask {comms_lead}.",
        "de": {
            "du": "Danke für den Hinweis. Die Kommunikation nutzt ihn, um die Richtlinien zu verbessern; für eine Antwort jetzt frag {comms_lead}.",
            "sie": "Danke für den Hinweis. Die Kommunikation nutzt ihn, um die Richtlinien zu verbessern; für eine Antwort jetzt wenden Sie sich an {comms_lead}.",
        },
    },
    "ask.empty": {
        "en": "What would you like to post? Write *ask* followed by your question or the text of your draft.",
        "de": {
            "du": "Was möchtest du posten? Schreib *frage* und dahinter deine Frage oder den Text deines Entwurfs.",
            "sie": "Was möchten Sie posten? Schreiben Sie *frage* und dahinter Ihre Frage oder den Text Ihres Entwurfs.",
        },
    },
    "ask.kb_broken": {
        "en": "I can't read the guidelines right now, so I can't answer. Please ask the comms team ({comms_lead}) directly.",
        "de": {
            "du": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte frag direkt bei der Kommunikation ({comms_lead}) nach.",
            "sie": "Ich kann die Richtlinien gerade nicht lesen und daher nicht antworten. Bitte wenden Sie sich direkt an die Kommunikation ({comms_lead}).",
        },
    },
    "ask.kb_reload_failed": {
        "en": "For the comms lead: the guideline files have {count} problem(s), so the previous version is still in use. First: {problem}",
        "de": "Für die Kommunikationsleitung: Die Richtlinien-Dateien haben {count} Problem(e), daher ist noch die vorige Fassung in Gebrauch. Erstes: {problem}",
    },
    "ask.comms_team": {"en": "the comms team", "de": "die Kommunikation"},
    "rules.title": {"en": "Posting guidelines", "de": "Richtlinien fürs Posten"},
    "rules.intro": {
        "en": "{count} guidelines in {topics} topics. Write *rules* and a topic to see them, for example *rules privacy*.",
        "de": {
            "du": "{count} Richtlinien in {topics} Themen. Schreib *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
            "sie": "{count} Richtlinien in {topics} Themen. Schreiben Sie *regeln* und ein Thema, um sie zu sehen, zum Beispiel *regeln datenschutz*.",
        },
    },
    "rules.topic_count": {
        "en": "{count} guidelines · rules {topic}",
        "de": "{count} Richtlinien · regeln {topic}",
    },
    "rules.topic_title": {"en": "Guidelines: {name}", "de": "Richtlinien: {name}"},
    "rules.unknown": {
        "en": "I don't know the topic “{topic}”. Write *rules* to see all topics.",
        "de": {
            "du": "Das Thema „{topic}“ kenne ich nicht. Schreib *regeln*, um alle Themen zu sehen.",
            "sie": "Das Thema „{topic}“ kenne ich nicht. Schreiben Sie *regeln*, um alle Themen zu sehen.",
        },
    },
    "rules.verdict.go": {"en": "✅ go", "de": "✅ go"},
    "rules.verdict.check": {"en": "⚠️ check first", "de": "⚠️ erst klären"},
    "rules.verdict.no": {"en": "⛔ no", "de": "⛔ nein"},
}


def register(router: Router) -> None:
    router.texts(TEXTS)
    router.command("ask", en=["ask"], de=["frage"], help_key="ask.desc", usage_key="ask.usage")(ask)
    router.command(
        "rules",
        en=["rules", "guidelines"],
        de=["regeln", "richtlinien"],
        help_key="rules.desc",
        usage_key="rules.usage",
    )(rules)
    router.action("ask.check")(check_shortcut)
    router.action("ask.helpful")(helpful)
    router.action("ask.unhelpful")(unhelpful)
    router.set_fallback(ask)


def knowledge(core: Core) -> KnowledgeService:
    """The process's knowledge service, made on first use and kept on the core."""
    service: KnowledgeService | None = getattr(core, "_knowledge_service", None)
    if service is None:
        service = KnowledgeService.from_settings(core.settings)
        core._knowledge_service = service  # type: ignore[attr-defined]
    return service


async def _answer(ctx: Context, text: str) -> Answer:
    service = knowledge(ctx.core)
    if not service.ready:
        # Building the index takes a moment; keep the event loop free meanwhile.
        await asyncio.to_thread(service.engine)
    stored = normalize_language(ctx.person.language)
    return service.answer(text, stored, default_lang=ctx.lang)


def _comms_lead(ctx: Context, t: Any) -> str:
    return str(ctx.settings.app.roles.comms_lead or t("ask.comms_team"))


async def ask(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, ctx.args if ctx.args is not None else msg.text)


async def check_shortcut(ctx: Context, msg: Incoming) -> Reply:
    return await _reply(ctx, str(msg.values.get("text") or ""))


async def _reply(ctx: Context, text: str) -> Reply:
    if not clean(text).strip():
        return Reply(text=ctx.t("ask.empty"), private=not ctx.incoming.is_direct)
    try:
        answer = await _answer(ctx, text)
    except KBError:
        return Reply(
            text=ctx.t("ask.kb_broken", comms_lead=_comms_lead(ctx, ctx.t)),
            private=not ctx.incoming.is_direct,
        )
    # The answer's language may differ from the one the core guessed from the first words.
    t = ctx.core.translator(answer.language) if answer.language != ctx.lang else ctx.t
    service = knowledge(ctx.core)
    if not answer.matched:
        await service.recorder.record_gap(text, answer, asker=ctx.person, reason="no_match")
    engine = service.engine()
    fields = []
    for c in answer.citations:
        g = engine.kb.by_id.get(c.id)
        name = TOPIC_NAMES.get(c.topic, {}).get(answer.language, c.topic)
        label = f"{name} ({c.id})" if g else c.id
        fields.append(Field(label=label, value=c.excerpt))
    fields.append(Field(label=t("ask.next"), value=answer.next_step))
    feedback = {"v": answer.verdict, "g": ",".join(answer.guideline_ids), "q": text[:_FEEDBACK_CLIP]}
    context = (
        t("ask.context", company=ctx.settings.app.program.company)
        if answer.matched
        else t("ask.context_no_match")
    )
    if ctx.has(LEAD) and service.reload_problems:
        context += "\n" + t(
            "ask.kb_reload_failed",
            count=str(len(service.reload_problems)),
            problem=service.reload_problems[0],
        )
    return Reply(
        title=t(f"ask.title.{answer.verdict}"),
        text=answer.reasoning,
        fields=fields,
        buttons=[
            Button(label=t("ask.yes"), action_id="ask.helpful", value=dict(feedback, _lang=answer.language)),
            Button(label=t("ask.no"), action_id="ask.unhelpful", value=dict(feedback, _lang=answer.language)),
        ],
        context=context,
        # A draft can be confidential: in a channel only the asker sees the answer.
        private=not ctx.incoming.is_direct,
    )


async def _feedback(ctx: Context, msg: Incoming, helpful: bool) -> Reply:
    values = msg.values
    service = knowledge(ctx.core)
    ids = [i for i in str(values.get("g") or "").split(",") if i]
    verdict = str(values.get("v") or "")
    await service.recorder.record_feedback(
        helpful, verdict=verdict, guideline_ids=ids, language=ctx.lang, asker=ctx.person
    )
    if helpful:
        return Reply(text=ctx.t("ask.thanks"), private=True)
    question = str(values.get("q") or "")
    if question:
        try:
            answer = await _answer(ctx, question)
        except KBError:
            answer = None
        if answer is not None:
            await service.recorder.record_gap(question, answer, asker=ctx.person, reason="unhelpful")
    return Reply(text=ctx.t("ask.thanks_unhelpful", comms_lead=_comms_lead(ctx, ctx.t)), private=True)


async def helpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, True)


async def unhelpful(ctx: Context, msg: Incoming) -> Reply:
    return await _feedback(ctx, msg, False)


def find_topic(arg: str) -> str | None:
    """A topic from its id or (part of) its English or German name: "privacy", "datenschutz", "working time"."""
    a = " ".join(arg.lower().replace("_", " ").replace("-", " ").split())
    if not a:
        return None
    for topic in TOPICS:
        if a in (topic, topic.replace("_", " ")):
            return topic
    if len(a) < 3:
        return None
    for topic in TOPICS:
        names = [TOPIC_NAMES[topic][lang].lower() for lang in ("en", "de")] + [topic.replace("_", " ")]
        if any(a in n for n in names) or any(n.split()[0].startswith(a) for n in names):
            return topic
    return None


async def rules(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    try:
        service = knowledge(ctx.core)
        engine = service.engine() if service.ready else await asyncio.to_thread(service.engine)
    except KBError:
        return Reply(text=t("ask.kb_broken", comms_lead=_comms_lead(ctx, t)))
    lang = ctx.lang
    kb = engine.kb
    arg = (ctx.args or "").strip()
    if not arg:
        topics = kb.topics()
        fields = [
            Field(
                label=TOPIC_NAMES[topic][lang],
                value=t("rules.topic_count", count=str(len(kb.topic(topic))), topic=topic),
            )
            for topic in topics
        ]
        return Reply(
            title=t("rules.title"),
            text=t("rules.intro", count=str(len(kb.guidelines)), topics=str(len(topics))),
            fields=fields,
        )
    topic = find_topic(arg)
    if topic is None:
        return Reply(text=t("rules.unknown", topic=arg[:60]))
    fields = [
        Field(
            label=f"{t('rules.verdict.' + g.verdict)} · {g.id}", value=engine.guideline_text(g, "rule", lang)
        )
        for g in kb.topic(topic)
    ]
    return Reply(title=t("rules.topic_title", name=TOPIC_NAMES[topic][lang]), text="", fields=fields)
