"""The course's messages: a step (rule, example, question with a button per answer), the result of an answer."""

from __future__ import annotations

from datetime import datetime

from bot.core import Context
from bot.messages import Button, Reply
from handlers.course.steps import LETTERS, Course


def who_to_ask(ctx: Context) -> str:
    return ctx.settings.app.roles.comms_lead or ctx.t("course.comms_team")


def fmt_date(value: datetime | None, lang: str) -> str:
    if value is None:
        return "-"
    return value.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")


def _body(ctx: Context, course: Course, n: int) -> tuple[str, str]:
    """(title, text) of step ``n``: the rule, the example, the question and its lettered answers."""
    t, lang, team = ctx.t, ctx.lang, ctx.t("course.comms_team")
    g = course.steps[n]
    assert g.course is not None
    answers = "\n".join(f"*{LETTERS[i]}*  {course.option(g, i, lang, team)}" for i in range(len(g.course.options)))
    text = (f"*{t('course.rule')}:* {course.text(g, 'rule', lang, team)}\n\n"
            f"*{t('course.example')}:* {course.text(g, 'example', lang, team)}\n\n"
            f"*{t('course.question')}:* {course.text(g, 'question', lang, team)}\n{answers}")
    title = t("course.step_title", n=str(n + 1), total=str(len(course.steps)), topic=course.topic(g, lang))
    return title, text


def step(ctx: Context, course: Course, n: int, *, context: str | None = None) -> Reply:
    g = course.steps[n]
    assert g.course is not None
    title, text = _body(ctx, course, n)
    buttons = [Button(label=LETTERS[i], action_id="course.answer", value={"g": g.id, "o": i, "v": course.version})
               for i in range(len(g.course.options))]
    return Reply(title=title, text=text, buttons=buttons, context=context or ctx.t("course.pick"))


def result(ctx: Context, course: Course, n: int, chosen: int) -> Reply:
    """The step's message again, without its buttons, with the answer given, right or not, and why."""
    t, lang, team = ctx.t, ctx.lang, ctx.t("course.comms_team")
    g = course.steps[n]
    assert g.course is not None
    title, text = _body(ctx, course, n)
    right = g.course.right
    answer = f"{LETTERS[right]} ({course.option(g, right, lang, team).rstrip('.')})"
    if chosen == right:
        verdict = t("course.right", answer=answer)
    else:
        verdict = t("course.wrong", chosen=LETTERS[chosen], answer=answer)
    why = t("course.why", why=course.text(g, "why", lang, team))
    return Reply(title=title, text=f"{text}\n\n{verdict}\n{why}", update=True,
                 context=None if chosen == right else t("course.go_on"))
