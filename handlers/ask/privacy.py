"""The ask capability's part of "my data" and "forget me"."""

from __future__ import annotations

from bot.core import Context
from bot.text import one_line
from handlers.ask.cards import _date
from handlers.ask.service import records


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    summary = await records(ctx.core).person_summary(ctx.person.id)
    qs = summary.questions
    counts = {v: sum(1 for q in qs if q.verdict == v) for v in ("go", "check", "no")}
    line = t("ask.mydata_questions_line", count=str(len(qs)), **{k: str(v) for k, v in counts.items()})
    recent = [f"{_date(q.created_at, ctx.lang)} {q.topic} {q.verdict}" for q in qs[-10:]]
    if recent:
        line += ": " + "; ".join(recent)
    gap_lines = [
        f"{g.ref} ({t('gaps.status.' + g.status) if g.status in ('open', 'answered', 'withdrawn') else g.status}, "
        f"{_date(g.created_at, ctx.lang)}): {one_line(g.text or '-', 80)}"
        for g in summary.gaps
    ]
    return [
        (t("ask.mydata_questions"), line if qs else t("ask.mydata_none")),
        (
            t("ask.mydata_feedback"),
            t("ask.mydata_feedback_line", helpful=str(summary.helpful), unhelpful=str(summary.unhelpful)),
        ),
        (t("ask.mydata_gaps"), "; ".join(gap_lines) or t("ask.mydata_none")),
    ]


async def forget(ctx: Context) -> None:
    await records(ctx.core).forget(ctx.person.id)
