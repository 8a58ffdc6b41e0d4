"""The escalation: each step's alerts (chat, channel, e-mail, webhook) sent and recorded, the climb
from level to level and round to round, and the job that works off due steps and hold notices.

Every alert is an attempt row written before it is sent and finished after: a process that dies in
between leaves 'sending', and that alert is sent again (a lost alert is worse than a repeated one).
A step nobody could be reached at is followed at once by the next.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, insert, or_, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from bot import notify as mail
from bot.core import Core, DeliveryError
from bot.messages import Reply
from handlers.crisis.cards import _alert_reply
from handlers.crisis.config import CLAIM, DELIVERY_TIMEOUT, FIRST_CLAIM, RECORD_RETRIES
from handlers.crisis.helpers import _event, _lang_of, _person
from handlers.crisis.holds import tell_members
from handlers.crisis.models import CrisisAttempt, CrisisEvent, CrisisReport, Hold
from handlers.crisis.reports import _statements
from handlers.crisis.rota import Target, _position, _Step, _targets, policy_emails
from handlers.crisis.state import _spawn, _state, config, group_commit
from storage.models import Identity, Person, aware

log = logging.getLogger("ambassador.crisis")

FIRST_CLAIM_RENEW = 5.0  # seconds: while that alert is still being sent, its claim is renewed this often


async def _tell_reporter(core: Core, report: CrisisReport, key: str, **values: Any) -> None:
    if report.reporter_id is None:
        return
    t = core.translator(report.reporter_lang)
    try:
        await asyncio.wait_for(core.notify(report.reporter_id, [Reply(text=t(key, ref=report.ref, **values))]),
                               DELIVERY_TIMEOUT)
        await _event(core, "reporter_told", report_id=report.id, what=key.rsplit("_", 1)[-1])
    except (DeliveryError, TimeoutError) as exc:
        await _event(core, "delivery_failed", report_id=report.id, via="chat", target="reporter",
                     error=str(exc)[:300] or "timed out")


async def _tell_alerted(core: Core, report: CrisisReport, taker: Person, name: str) -> None:
    """Everyone alerted so far learns that someone has it, so two people don't act at once."""
    await _tell_all_alerted(core, report, taker.id, "crisis.taken_notice", name=name)


async def _tell_all_alerted(core: Core, report: CrisisReport, but: int | None, key: str, **values: Any) -> None:
    """A text to everyone alerted of the report so far (and its owner), but the one who caused it."""
    async with core.db.session() as s:
        ids = set((await s.exec(select(CrisisAttempt.person_id).where(
            CrisisAttempt.report_id == report.id, CrisisAttempt.status == "sent",
            CrisisAttempt.person_id.is_not(None)))).all())
    if report.owner_id is not None:
        ids.add(report.owner_id)
    ids.discard(but)

    async def one(person_id: int) -> None:
        t = core.translator(_lang_of(core, await _person(core, person_id)))
        text = t(key, ref=report.ref, **{k: t(v) if k.startswith("sev") else v for k, v in values.items()})
        try:
            await asyncio.wait_for(core.notify(person_id, [Reply(text=text)]), DELIVERY_TIMEOUT)
        except (DeliveryError, TimeoutError):
            log.warning("could not tell an alerted person", extra={"ref": report.ref, "what": key})

    await asyncio.gather(*(one(i) for i in ids))


async def _deliver(core: Core, report: CrisisReport, target: Target, level_info, reporter: Person | None,
                   people: dict[str, tuple[Person, list[Identity]]] | None = None) -> tuple[Person | None, str]:
    """Send one alert; returns (the person alerted, how) or raises with the reason.

    ``people``: chat targets read with the report (address -> person, accounts); others are looked up now.
    """
    if target.via == "chat":
        known = (people or {}).get(target.target)
        person, accounts = known if known is not None else (await core.person_by_email(target.target), None)
        if person is None:
            raise DeliveryError(f"nobody with the address {target.target} is known on Slack or Teams")
        if not person.active:
            raise DeliveryError(f"{target.target} is deactivated on the chat platform")
        t = core.translator(_lang_of(core, person))
        return person, await core.notify(person.id, [_alert_reply(core, report, t, level_info, reporter)],
                                         identities=accounts)
    t = core.translator(core.settings.app.language.default)
    alert = _alert_reply(core, report, t, level_info, reporter)
    if target.via == "channel":
        platform, _, conversation = target.target.partition(":")
        await core.post_to_channel(platform, conversation, [alert])
        return None, platform
    if target.via == "email":
        smtp = mail.SmtpSettings.from_env()
        body = alert.plain() + "\n\n" + t("crisis.alert_how", ref=report.ref) + "\n"
        await mail.send_email(smtp, [target.target], alert.title or report.ref or "", body)
        return None, "email"
    level, round_, policy = level_info
    await mail.post_webhook(target.target, {
        "event": "crisis.alert", "reference": report.ref, "severity": report.severity, "status": report.status,
        "summary": alert.title, "text": report.text[:5000], "place": report.place, "url": report.url,
        "links": report.links, "level": level + 1, "round": round_ + 1, "rounds": policy.rounds,
        "reported_at": aware(report.created_at).isoformat(), "acknowledge": f"crisis ack {report.ref}",
    })
    return None, "webhook"


class _Sent:
    """A first alert's progress, for the receipt: set once every alert of the step went out or failed."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.reached = False


async def _reachable_elsewhere_only(core: Core, step: _Step) -> bool:
    """True when no target of the step can be reached from this process, but its people have accounts
    on a platform another process serves (the terminal chat beside a running Slack or Teams bot)."""
    chat = [t.target for t, _ in step.to_send if t.via == "chat"]
    if not chat or len(chat) != len(step.to_send) or any(email in step.people for email in chat):
        return False
    async with core.db.session() as s:
        platforms = set((await s.exec(select(Identity.platform).join(Person, Person.id == Identity.person_id)
                                      .where(Person.email.in_(chat)))).all())
    return bool(platforms - set(core.senders))


async def _alerted_before(core: Core, report: CrisisReport) -> bool:
    async with core.db.session() as s:
        return (await s.exec(select(CrisisAttempt.id).where(CrisisAttempt.report_id == report.id,
                                                           CrisisAttempt.status == "sent").limit(1))).first() is not None


async def _release_claim(core: Core, step: _Step) -> None:
    """Give the step back unsent: its attempts were never tried, so none of them is left behind."""
    async with core.db.session() as s:
        released = await s.execute(update(CrisisReport).where(CrisisReport.id == step.report.id,
                                                              CrisisReport.claim_token == step.token)
                                   .values(claim_until=None, claim_token=None))
        if released.rowcount == 1:
            await s.execute(delete(CrisisAttempt).where(CrisisAttempt.id.in_([a for _, a in step.to_send]),
                                                        CrisisAttempt.status == "sending"))
        await s.commit()


async def _first_alert(core: Core, step: _Step, reporter: Person, sent: _Sent | None = None) -> None:
    holding = asyncio.get_running_loop().create_task(_hold_first_claim(core, step.report.id, step.token))
    try:
        done = await _run_step(core, step, reporter, sent)
    finally:
        holding.cancel()
    if not done:
        await advance(core, step.report.id)


async def _hold_first_claim(core: Core, report_id: int, token: str) -> None:
    """Renew the short claim of a first alert while this process is still sending it.

    The claim is short so that the job takes over soon when the reporting process dies; a platform
    that is merely slow (a 429 with a long Retry-After) must not look like a dead process, or the
    job would send the same alert a second time while the first is still on its way.
    """
    reports = CrisisReport.__table__
    while True:
        await asyncio.sleep(FIRST_CLAIM_RENEW)
        try:
            async with core.db.engine.begin() as conn:
                kept = await conn.execute(
                    update(reports).where(reports.c.id == report_id, reports.c.claim_token == token)
                    .values(claim_until=core.now() + FIRST_CLAIM))
            if kept.rowcount != 1:
                return  # the step is finished (or was taken over): nothing to hold
        except Exception as exc:  # the database is away: the claim runs out and the job takes over
            log.warning("crisis claim not renewed", extra={"error": type(exc).__name__})


async def advance(core: Core, report_id: int) -> bool:
    """Alert the report's due step, if it is due and this process wins the claim.

    A step where nobody was reached is followed at once by the next one.
    Returns True when something was sent or decided.
    """
    did = False
    while True:  # ends: every round either returns or moves the report one step on
        step = await _claim(core, report_id)
        if step is None:
            return did
        if step == "exhausted":
            return True
        did = True
        async with core.db.session() as s:
            reporter = await s.get(Person, step.report.reporter_id) if step.report.reporter_id else None
        if await _run_step(core, step, reporter):
            return did


async def _claim(core: Core, report_id: int) -> _Step | Literal["exhausted"] | None:
    cfg = config(core)
    async with core.db.session() as s:
        report = await s.get(CrisisReport, report_id)
    now = core.now()
    if report is None or report.status != "open" or report.next_at is None or aware(report.next_at) > now:
        return None
    policy, level, round_, total = _position(cfg, report)
    targets = await _targets(core, policy.levels[level]) if report.step < total else []
    token = uuid.uuid4().hex
    async with core.db.session() as s:
        # Compare and set: one replica (one task) works on a report's step at a time.
        claimed = await s.execute(
            update(CrisisReport)
            .where(CrisisReport.id == report_id, CrisisReport.status == "open", CrisisReport.step == report.step,
                   CrisisReport.next_at <= now,
                   or_(CrisisReport.claim_until.is_(None), CrisisReport.claim_until < now))
            .values(claim_until=now + CLAIM, claim_token=token)
        )
        if claimed.rowcount != 1:
            await s.rollback()
            return None
        if report.step >= total:
            await s.execute(update(CrisisReport).where(CrisisReport.id == report_id)
                            .values(next_at=None, claim_until=None, claim_token=None))
            s.add(CrisisEvent(report_id=report_id, kind="exhausted", at=now,
                              detail={"rounds": policy.rounds, "levels": len(policy.levels)}))
            await s.commit()
            log.error("crisis escalation ended without acknowledgement", extra={"ref": report.ref})
            # The reporter must not believe someone has it: they hear whom to call instead.
            _spawn(core, _tell_reporter(core, report, "crisis.reporter_unanswered",
                                        people=", ".join(await policy_emails(core)) or "-"))
            return "exhausted"
        known = {(a.via, a.target): a for a in (await s.exec(select(CrisisAttempt).where(
            CrisisAttempt.report_id == report_id, CrisisAttempt.step == report.step))).all()}
        pending: list[tuple[Target, CrisisAttempt]] = []
        for target in targets:
            attempt = known.get((target.via, target.target))
            if attempt is None:
                attempt = CrisisAttempt(report_id=report_id, step=report.step, via=target.via, target=target.target,
                                        started_at=now)
            elif attempt.status == "sending":
                # The process that sent it stopped before it knew the outcome: send again.
                attempt.tries += 1
                attempt.started_at = now
                s.add(CrisisEvent(report_id=report_id, kind="resending", at=now,
                                  detail={"level": level + 1, "round": round_ + 1, "via": target.via,
                                          "target": target.label, "tries": attempt.tries}))
            else:
                continue
            s.add(attempt)
            pending.append((target, attempt))
        await s.commit()
    return _Step(report=report, token=token, policy=policy, level=level, round=round_, targets=len(targets),
                 to_send=[(x, a.id) for x, a in pending],
                 reached_before=any(a.status == "sent" for a in known.values()))


async def _run_step(core: Core, step: _Step, reporter: Person | None, sent: _Sent | None = None) -> bool:
    """Send a claimed step's alerts, record each outcome and move the report on; True when someone was reached.

    ``sent`` is set once every alert of the step has gone out or failed (before the outcome is stored).
    """
    report = step.report
    level_info = (step.level, step.round, step.policy)
    try:
        results = await asyncio.gather(*(
            asyncio.wait_for(_deliver(core, report, target, level_info, reporter, step.people), DELIVERY_TIMEOUT)
            for target, _ in step.to_send
        ), return_exceptions=True)
        if sent is not None:
            sent.reached = any(not isinstance(r, BaseException) for r in results)
    finally:
        if sent is not None:
            sent.event.set()
    done = core.now()
    # The alerts are out: their outcome is stored even across a short database outage (within the
    # claim), or the next claim would send every one of them again.
    for delay in RECORD_RETRIES:
        try:
            return await _record_step(core, step, results, done)
        except DBAPIError:
            log.warning("crisis step outcome not stored yet; trying again", extra={"ref": step.report.ref})
            await asyncio.sleep(delay)
    return await _record_step(core, step, results, done)


@dataclass
class _Outcome:
    """A sent step's results on their way into the database."""

    step: _Step
    results: list[Any]
    done: datetime


async def _record_step(core: Core, step: _Step, results: list[Any], done: datetime) -> bool:
    """Store a step's outcome and move the report on; steps finishing together share one transaction."""
    st = _state(core)
    if st.records is None:
        st.records = group_commit(core, _write_outcomes)
    return await st.records.submit(_Outcome(step, results, done))


async def _write_outcomes(core: Core, items: list[_Outcome]) -> list[bool]:
    sent: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    out: list[bool] = []

    def event(report_id: int, kind: str, at: datetime, detail: dict[str, Any]) -> None:
        events.append({"report_id": report_id, "hold_id": None, "kind": kind, "at": at, "actor_id": None,
                       "actor_pseudonym": None, "detail": detail})

    for item in items:
        step, done = item.step, item.done
        report = step.report
        reached = step.reached_before
        for (target, attempt_id), result in zip(step.to_send, item.results, strict=True):
            detail = {"level": step.level + 1, "round": step.round + 1, "via": target.via, "target": target.label}
            if isinstance(result, BaseException):
                if isinstance(result, TimeoutError):
                    error = f"no answer within {DELIVERY_TIMEOUT:g} s (it may still arrive)"
                elif isinstance(result, DeliveryError | mail.NotifyError):
                    error = str(result)
                else:
                    error = f"{type(result).__name__}: {result}"
                failed.append({"_id": attempt_id, "_error": error[:500], "_done": done})
                event(report.id, "delivery_failed", done, {**detail, "error": error[:300]})
            else:
                person, how = result
                reached = True
                sent.append({"_id": attempt_id, "_person": person.id if person else None, "_done": done})
                if person is not None:
                    detail["pseudonym"] = person.pseudonym
                event(report.id, "alerted", done, {**detail, "platform": how})
        last = step.level + 1 == len(step.policy.levels)
        if not reached:
            event(report.id, "level_unreached", done, {"level": step.level + 1, "round": step.round + 1,
                                                        "targets": step.targets, "at_once": not last})
        # Nobody reached: the next level at once. After the last level, though, the next round waits the
        # timeout like any other: when every platform is down, retrying at once would use up the rounds
        # before one comes back.
        wait = timedelta(minutes=step.policy.levels[step.level].timeout) if reached or last else timedelta(0)
        moved.append({"_id": report.id, "_token": step.token, "_step": report.step + 1, "_next": done + wait})
        out.append(reached)
    statements = _statements()
    async with core.db.engine.begin() as conn:
        if sent:
            await conn.execute(statements.sent, sent)
        if failed:
            await conn.execute(statements.failed, failed)
        if events:
            await conn.execute(insert(CrisisEvent.__table__), events)
        await conn.execute(statements.moved, moved)
    return out


async def run_due(core: Core) -> int:
    """The job: advance every due escalation and finish hold notices a stopped process left."""
    now = core.now()
    async with core.db.session() as s:
        due = (await s.exec(
            select(CrisisReport.id)
            .where(CrisisReport.status == "open", CrisisReport.next_at <= now)
            .where(or_(CrisisReport.claim_until.is_(None), CrisisReport.claim_until < now))
            .order_by(CrisisReport.next_at).limit(200)
        )).all()
        holds = (await s.exec(
            select(Hold.id).where(Hold.notice != "done")
            .where(or_(Hold.claim_until.is_(None), Hold.claim_until < now))
        )).all()
    count = 0
    for i in range(0, len(due), 10):
        results = await asyncio.gather(*(advance(core, rid) for rid in due[i:i + 10]), return_exceptions=True)
        for r in results:
            if isinstance(r, BaseException):
                log.error("crisis escalation step failed", exc_info=r)
            elif r:
                count += 1
    for hold_id in holds:
        await tell_members(core, hold_id)
    return count
