"""The ask capability's rich replies, neutral of any platform: the answer, a gap for the comms lead,
the lead's answer for the asker, the alert about guideline files that do not load."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core import Context, Core
from bot.i18n import Translator, normalize_language
from bot.messages import Button, Field, Reply
from bot.router import LEAD
from bot.text import one_line, reader_date
from handlers.ask.config import _BUTTON_VALUE_MAX, CRISIS_REPORT
from handlers.ask.records import aware
from handlers.ask.service import knowledge
from knowledge.loader import TOPIC_NAMES, KBError
from knowledge.model import Answer
from knowledge.service import KnowledgeService
from storage.models import Person
from storage.models_ask import GAP_TEXT_MAX, KbGap


def _fit(value: dict[str, Any], text: str, key: str = "q") -> dict[str, Any]:
    """``value`` with the question under ``key``, cut so the whole value fits a Slack button."""
    text = text[:GAP_TEXT_MAX]
    while True:
        out = {**value, key: text, "r": value.get("r", "no_match"), "_lang": "de"}
        size = len(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
        if size <= _BUTTON_VALUE_MAX or not text:
            return {**value, key: text}
        text = text[: max(0, len(text) - (size - _BUTTON_VALUE_MAX) - 8)]


def _guarded(answer: Answer, notes: list[str], failed: bool, t: Translator, comms_lead: str) -> Answer:
    """A guard's note makes the answer a "no" whatever the engine said; a failed guard at least a "check"."""
    if notes:
        reasoning = "\n".join(notes)
        if answer.verdict != "go":
            reasoning += "\n" + answer.reasoning
        step = t("ask.guard_step", comms_lead=comms_lead)
        headline = t("ask.title.no")
        return replace(
            answer,
            verdict="no",
            headline=headline,
            reasoning=reasoning,
            next_step=step,
            text="\n".join([headline, reasoning, step]),
        )
    if failed and answer.verdict == "go":
        headline = t("ask.title.check")
        reasoning = t("ask.guard_failed") + "\n" + answer.reasoning
        return replace(
            answer,
            verdict="check",
            headline=headline,
            reasoning=reasoning,
            text="\n".join([headline, reasoning, answer.next_step]),
        )
    return answer


def _lang_name(t: Translator, lang: str) -> str:
    return t(f"gaps.lang.{lang}") if lang in ("de", "en") else lang


def gap_for_lead(t: Translator, gap: KbGap) -> list[Reply]:
    fields = [
        Field(
            t("gaps.reason"),
            t(f"gaps.reason.{gap.reason}") if gap.reason in ("no_match", "unhelpful") else gap.reason,
        ),
        Field(t("gaps.language"), _lang_name(t, gap.language)),
    ]
    if gap.verdict:
        ids = ", ".join(gap.guideline_ids or []) or "-"
        fields.append(Field(t("gaps.bot_answer"), f"{t('rules.verdict.' + gap.verdict)} · {ids}"))
    return [
        Reply(
            title=t("gaps.lead_title", ref=gap.ref),
            text=gap.text or "",
            fields=fields,
            context=t("gaps.how", ref=gap.ref),
        )
    ]


def _date(value: datetime | None, lang: str) -> str:
    return reader_date(aware(value), lang)


async def answer_for_asker(core: Core, gap: KbGap, person: Person | None) -> list[Reply]:
    """The lead's answer as written, in a message whose frame is in the asker's language."""
    lang = normalize_language(person.language if person else None) or gap.language
    t = core.translator(lang)
    fields = [Field(t("gaps.your_question"), one_line(gap.text or "", 300))]
    text = gap.answer_text or ""
    if gap.answer_rule:
        try:
            engine = await knowledge(core).ready_engine()
            g = engine.kb.by_id.get(gap.answer_rule)
        except KBError:
            g = None
        if g is not None:
            rule = engine.guideline_text(g, "rule", t.lang)
            if text:
                fields.append(Field(t("gaps.guideline", id=g.id), rule))
            else:
                text = f"{t('rules.verdict.' + g.verdict)} · {rule}"
            fields.append(Field(t("ask.next"), engine.guideline_text(g, "instead", t.lang)))
        elif not text:
            text = t("gaps.guideline", id=gap.answer_rule)
    name = gap.answered_by_name or t("ask.comms_team")
    return [
        Reply(
            title=t("gaps.asker_title"),
            text=text,
            fields=fields,
            context=t("gaps.answered_by", name=name, role=t("gaps.role"), ref=gap.ref),
        )
    ]


def _alert(t: Translator, problems: list[str], broken: bool) -> list[Reply]:
    shown = "\n".join(f"• {p}" for p in problems[:10])
    key = "kb.alert_broken_text" if broken else "kb.alert_text"
    return [
        Reply(
            title=t("kb.alert_title"),
            text=t(key, count=str(len(problems))) + "\n" + shown,
            context=t("kb.alert_how"),
        )
    ]


def _private(ctx: Context) -> bool:
    # A draft can be confidential: in a channel only the asker sees the answer.
    return not ctx.incoming.is_direct


def answer_card(ctx: Context, t: Translator, answer: Answer, engine: Any, service: KnowledgeService,
                question_id: int | None, text: str) -> Reply:
    """The answer as the asker reads it: verdict, reasoning, the guidelines cited, what to do next, and
    the buttons (pass on, report a crisis, helpful or not)."""
    fields = []
    for c in answer.citations:
        g = engine.kb.by_id.get(c.id)
        name = TOPIC_NAMES.get(c.topic, {}).get(answer.language, c.topic)
        label = f"{name} ({c.id})" if g else c.id
        fields.append(Field(label=label, value=c.excerpt))
    fields.append(Field(label=t("ask.next"), value=answer.next_step))
    no_fit = not answer.citations
    if answer.outside:
        # A question the guidelines are not about gets a pointer, never a verdict line.
        context = t("ask.context_outside")
    elif no_fit:
        context = t("ask.context_no_match")
    elif answer.composed_by == "llm":
        context = t("ask.context_llm", company=ctx.settings.app.program.company)
    else:
        context = t("ask.context", company=ctx.settings.app.program.company)
    if ctx.has(LEAD) and service.reload_problems:
        context += "\n" + t(
            "ask.kb_reload_failed",
            count=str(len(service.reload_problems)),
            problem=service.reload_problems[0],
        )
    buttons = _answer_buttons(ctx, t, answer, question_id, text, no_fit)
    return Reply(
        title=t("ask.title.outside" if answer.outside else f"ask.title.{answer.verdict}"),
        text=answer.reasoning,
        fields=fields,
        buttons=buttons,
        context=context,
        private=_private(ctx),
    )


def _answer_buttons(ctx: Context, t: Translator, answer: Answer, question_id: int | None, text: str,
                    no_fit: bool) -> list[Button]:
    base = {"a": question_id, "_lang": answer.language}
    buttons = []
    # Only a question in words goes to the comms team ("😀🎉" is nothing they could answer).
    if no_fit and any(ch.isalpha() for ch in text):
        buttons.append(
            Button(
                label=t("ask.pass"),
                action_id="ask.pass",
                value=_fit({**base, "r": "no_match"}, text),
                style="primary",
            )
        )
    looks_like_crisis = (answer.topics[:1] == ["crisis"]) or any(
        sig.kind == "crisis" for sig in answer.signals
    )
    report_route = ctx.core.router.actions.get(CRISIS_REPORT)
    if looks_like_crisis and report_route is not None and report_route.allowed(ctx.roles):
        # The crisis capability takes the report; the asker's press is the consent to send the text.
        buttons.append(
            Button(
                label=t("ask.report_crisis"),
                action_id=CRISIS_REPORT,
                value=_fit({}, text, "text"),
                style="danger",
            )
        )
    buttons += [
        Button(label=t("ask.yes"), action_id="ask.helpful", value=dict(base)),
        Button(label=t("ask.no"), action_id="ask.unhelpful", value=_fit(dict(base), text)),
    ]
    return buttons
