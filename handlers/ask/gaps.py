"""Questions passed on to the comms team (gaps): sent to the lead or a backup, listed, answered, and the
answer delivered to the asker; a failure is retried by the job."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlmodel import select

from bot.core import Context, Core, DeliveryError
from bot.messages import Field, Incoming, Reply
from bot.router import BACKUP
from bot.text import one_line
from handlers.ask.cards import _date, answer_for_asker, gap_for_lead
from handlers.ask.config import GAPS_SHOWN, _comms_lead
from handlers.ask.service import knowledge, records
from knowledge.loader import KBError
from storage.models import Person, RoleGrant
from storage.models_ask import KbGap

log = logging.getLogger("ambassador.ask")


async def _recipients(core: Core) -> list[str]:
    """The comms lead first, then the backups (app.yaml and those given in chat)."""
    roles = core.settings.app.roles
    out = [str(roles.comms_lead).lower()] if roles.comms_lead else []
    backups = [str(b).lower() for b in roles.backup]
    async with core.db.session() as s:
        for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == BACKUP))).all():
            if g.granted and g.email not in backups:
                backups.append(g.email)
            elif not g.granted and g.email in backups:
                backups.remove(g.email)
    return out + [b for b in backups if b not in out]


async def _send_to_team(core: Core, make: Any) -> str | None:
    """Send ``make(translator)`` to the lead, else the first backup that takes it; the error when none did."""
    errors: list[str] = []
    for email in await _recipients(core):
        try:
            person = await core.person_by_email(email)
            if person is None:
                errors.append(f"{email}: not found on Slack or Teams")
                continue
            t = core.translator(core.language_of(person))
            await core.notify(person.id, make(t))
            return None
        except DeliveryError as exc:
            errors.append(f"{email}: {exc}")
        except Exception as exc:  # an adapter's surprise must not lose the gap: it is retried
            log.exception("sending to the comms team failed")
            errors.append(f"{email}: {type(exc).__name__}")
    return "; ".join(errors) or "no comms lead or backup in app.yaml"


async def notify_lead(core: Core, gap: KbGap) -> bool:
    """Tell the comms team about a gap already claimed for this sender; the job retries a failure."""
    rec = records(core)
    error = await _send_to_team(core, lambda t: gap_for_lead(t, gap))
    if error is None:
        await rec.sent("lead", gap.id)
        return True
    log.warning("gap not delivered to the comms team yet", extra={"gap": gap.id, "error": error[:300]})
    await rec.failed("lead", gap.id, error)
    return False


_ANSWER = re.compile(
    r"^\s*(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:answer|antwort|antworte|beantworte)\s+(?:gap|lücke)[\s#-]*(\d{1,9})\b[\s:.,-]*(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
_RULE = re.compile(
    r"^(?:rule|regel|richtlinie)\s*:\s*([A-Za-z0-9._-]+)[\s:.,-]*(.*)\Z", re.IGNORECASE | re.DOTALL
)
_GAPS_WORDS = {"gaps", "lücken", "kb gaps", "kb lücken", "luecken", "kb luecken"}


def is_gap_answer(text: str) -> bool:
    return bool(_ANSWER.match(text))


def _is_gaps_word(text: str) -> bool:
    return text.strip().lower().rstrip("?!.") in _GAPS_WORDS


async def gaps(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    open_gaps = await records(ctx.core).gaps()
    if not open_gaps:
        return Reply(text=t("gaps.none"))
    fields = [
        Field(
            t(
                "gaps.line",
                ref=g.ref,
                date=_date(g.created_at, ctx.lang),
                language=g.language,
                reason=t(f"gaps.reason.{g.reason}") if g.reason in ("no_match", "unhelpful") else g.reason,
            ),
            one_line(g.text or "", 300),
        )
        for g in open_gaps[:GAPS_SHOWN]
    ]
    text = t("gaps.more", count=str(len(open_gaps) - GAPS_SHOWN)) if len(open_gaps) > GAPS_SHOWN else ""
    return Reply(
        title=t("gaps.title", count=str(len(open_gaps))),
        text=text,
        fields=fields,
        context=t("gaps.how", ref=open_gaps[0].ref),
    )


async def answer_gap(ctx: Context, msg: Incoming) -> Reply:
    """``answer GAP-12 text`` / ``antwort GAP-12 rule:<id>``: the lead's answer, sent to the asker."""
    t = ctx.t
    # The raw text keeps the lead's line breaks; the router's copy has them collapsed.
    m = _ANSWER.match(msg.text) or _ANSWER.match(ctx.args or "")
    if m is None:
        return Reply(text=t("gaps.answer_usage", ref="GAP-1"))
    gap_id, body = int(m.group(1)), m.group(2).strip()
    ref = f"GAP-{gap_id}"
    if not body:
        return Reply(text=t("gaps.answer_usage", ref=ref))
    rule_id = None
    rm = _RULE.match(body)
    if rm:
        rule_id, body = rm.group(1).lower(), rm.group(2).strip()
        try:
            engine = await knowledge(ctx.core).ready_engine()
        except KBError:
            return Reply(text=t("ask.kb_broken", comms_lead=_comms_lead(ctx, t)))
        if rule_id not in engine.kb.by_id:
            return Reply(text=t("gaps.rule_unknown", rule=rule_id[:80]))
    rec = records(ctx.core)
    name = ctx.person.display_name or ctx.person.email or t("gaps.role")
    status, gap = await rec.answer_gap(
        gap_id, text=body or None, rule=rule_id, by_id=ctx.person.id, by_name=name
    )
    if status == "missing" or gap is None:
        return Reply(text=t("gaps.missing", ref=ref))
    if status == "withdrawn":
        return Reply(text=t("gaps.withdrawn", ref=ref))
    if status == "answered":
        return Reply(
            text=t(
                "gaps.already",
                ref=ref,
                date=_date(gap.answered_at, ctx.lang),
                name=gap.answered_by_name or "-",
            )
        )
    delivered = await deliver_answer(ctx.core, gap)
    return Reply(text=t("gaps.sent" if delivered else "gaps.queued", ref=ref))


async def deliver_answer(core: Core, gap: KbGap) -> bool:
    """Send the answer of a gap already claimed for this sender; the job retries a failure."""
    rec = records(core)
    if gap.person_id is None:
        return False
    async with core.db.session() as s:
        person = await s.get(Person, gap.person_id)
    try:
        await core.notify(gap.person_id, await answer_for_asker(core, gap, person))
    except Exception as exc:
        error = str(exc) if isinstance(exc, DeliveryError) else type(exc).__name__
        log.warning("gap answer not delivered yet", extra={"gap": gap.id, "error": error[:300]})
        await rec.failed("asker", gap.id, error)
        return False
    await rec.sent("asker", gap.id)
    return True
