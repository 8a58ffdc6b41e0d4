"""The crisis capability in chat: the ``crisis`` command and its buttons (report, severity, details,
acknowledge, resolve, hand over, list, show), each a plain handler returning its reply."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from bot.core import Context, DeliveryError
from bot.messages import Button, Incoming, Reply
from bot.messages import Field as ReplyField
from bot.router import BACKUP, EMPLOYEE, LEAD, Router
from bot.text import clip
from handlers.crisis.cards import _alert_reply, _owner_buttons, _receipt
from handlers.crisis.config import DELIVERY_TIMEOUT, MAX_REPORT_TEXT, SEVERITIES
from handlers.crisis.helpers import _event, _lang_of, _load, _name, _person, _tz, fmt_time
from handlers.crisis.holds import hold, lift
from handlers.crisis.jobs import (
    _alerted_before,
    _first_alert,
    _reachable_elsewhere_only,
    _release_claim,
    _Sent,
    _tell_alerted,
    _tell_all_alerted,
    _tell_reporter,
)
from handlers.crisis.models import CrisisEvent, CrisisReport
from handlers.crisis.reports import Draft, _draft, _store, platform_of
from handlers.crisis.rota import _on_rota, policy_emails, rota_emails
from handlers.crisis.state import _spawn
from handlers.crisis.trail import trail

log = logging.getLogger("ambassador.crisis")


RECEIPT_AFTER = 2.0  # the reporter's receipt waits for the first alert to go out this long at most

_SUB = {
    "ack": {"ack", "acknowledge", "übernehmen", "quittieren", "bestätigen"},
    "resolve": {"resolve", "close", "abschließen", "erledigt", "schließen"},
    "handover": {"handover", "hand-over", "übergeben", "übergabe"},
    "add": {"add", "details", "ergänzen", "nachtrag"},
    "severity": {"severity", "dringlichkeit"},
    "list": {"list", "liste"},
    "show": {"show", "zeige", "zeigen"},
    "hold": {"hold", "stopp", "anhalten"},
    "lift": {"lift", "aufheben", "freigeben"},
}
_SUBWORD = {w: name for name, words in _SUB.items() for w in words}
_COMMAND_WORD = re.compile(r"^(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:report crisis|krise melden|crisis|krise)(?!\w)[:\s]*",
                           re.IGNORECASE)
_REF = re.compile(r"\b([A-Za-z]{1,5}-\d{4}-\d{1,9})\b")


def register(router: Router) -> None:
    for sub in ("list", "show", "ack", "resolve", "hold", "lift"):
        router.help_entries.append((f"crisis.help.{sub}.usage", f"crisis.help.{sub}.desc", frozenset({LEAD, BACKUP})))
    # "crisis" in both lists: it tells nothing about the language, the report's text does.
    # long_text: a report is never refused for its length (the shortcut reports someone else's message,
    # which the reporter cannot shorten); what is beyond MAX_REPORT_TEXT is cut, and the reporter told.
    router.command("crisis", en=["crisis", "report crisis"], de=["krise", "crisis", "krise melden"],
                   roles=[EMPLOYEE], help_key="crisis.desc", usage_key="crisis.usage", long_text=True)(crisis_command)
    router.action("crisis.report", roles=[EMPLOYEE], long_text=True)(report_action)
    router.action("crisis.severity", roles=[EMPLOYEE])(severity_action)
    router.action("crisis.add", roles=[EMPLOYEE])(add_action)
    router.action("crisis.ack", roles=[EMPLOYEE])(ack_action)
    router.action("crisis.resolve", roles=[EMPLOYEE])(resolve_action)
    router.action("crisis.handover", roles=[EMPLOYEE])(handover_action)


def _unknown(ctx: Context, ref: str) -> Reply:
    """The answer to a reference that does not exist, and to one the asker may not read: the same,
    so that nobody off the rota learns whether a report exists."""
    return Reply(text=ctx.t("crisis.unknown_ref", ref=clip(ref, 40)))


def _source_key(msg: Incoming) -> str | None:
    return f"{msg.platform}:{msg.event_id}"[:300] if msg.event_id else None


async def _report(ctx: Context, msg: Incoming, draft: Draft) -> Reply:
    t = ctx.t
    if not draft.text and not draft.attachments:
        return Reply(text=t("crisis.empty"))
    report, _, step = await _store(ctx.core, ctx.person, draft, lang=ctx.lang, source_key=_source_key(msg),
                                   claim=True)
    title = "crisis.receipt_title"
    if step is not None and await _reachable_elsewhere_only(ctx.core, step):
        # This process (a terminal chat beside the running bot) cannot reach the first level: it leaves
        # the alert to the process that can, instead of recording that nobody was reached.
        await _release_claim(ctx.core, step)
        title = "crisis.receipt_title_elsewhere"
    elif step is not None:
        sent = _Sent()
        _spawn(ctx.core, _first_alert(ctx.core, step, ctx.person, sent))
        # The alert goes out before the receipt: when many reports arrive at once, comms hearing of
        # them is what must not wait. A slow platform holds the receipt up RECEIPT_AFTER at most.
        try:
            await asyncio.wait_for(sent.event.wait(), RECEIPT_AFTER)
        except TimeoutError:
            pass
        if sent.event.is_set():
            # Said only when true: someone was alerted; or nobody could be, and the reporter hears whom to call.
            title = "crisis.receipt_title_alerted" if sent.reached else "crisis.receipt_title_unreached"
    elif await _alerted_before(ctx.core, report):
        title = "crisis.receipt_title_alerted"  # the same report again (a retry, a rerun): as it stands
    receipt = _receipt(t, report)
    if title == "crisis.receipt_title_unreached":
        receipt.text = t("crisis.receipt_unreached", people=", ".join(await policy_emails(ctx.core)) or "-") \
            + "\n\n" + receipt.text
    receipt.title = t(title, ref=report.ref)
    if draft.cut:
        receipt.text += "\n" + t("crisis.cut", kept=f"{MAX_REPORT_TEXT:,}", cut=f"{draft.cut:,}")
    return receipt


async def report_action(ctx: Context, msg: Incoming) -> Reply:
    """The "Report to comms" shortcut and the report button other capabilities offer."""
    text = str(msg.values.get("text") or msg.text or "")
    permalink = msg.values.get("permalink") or msg.meta.get("message_link")
    source = "shortcut" if msg.source == "shortcut" else "action"
    return await _report(ctx, msg, _draft(msg, text, source, permalink=str(permalink) if permalink else None))


async def crisis_command(ctx: Context, msg: Incoming) -> Reply | list[Reply]:
    args = ctx.args.strip()
    word, _, rest = args.partition(" ")
    sub = _SUBWORD.get(word.lower())
    rest = rest.strip()
    ref_match = _REF.search(rest)
    if sub in ("ack", "resolve", "handover", "add", "severity", "show") and (ref_match or not rest):
        if not ref_match:
            return Reply(text=ctx.t("crisis.need_ref", verb=word.lower()))
        ref = ref_match[1].upper()
        after = (rest[: ref_match.start()] + rest[ref_match.end():]).strip()
        if sub == "ack":
            return await acknowledge(ctx, ref)
        if sub == "resolve":
            return await resolve(ctx, ref, after, without_note=False)
        if sub == "handover":
            return await hand_over(ctx, ref, after)
        if sub == "add":
            return await add_details(ctx, msg, ref, after)
        if sub == "severity":
            return await set_severity(ctx, ref, after.lower())
        return await show(ctx, ref)
    if sub == "list" and not rest:
        return await list_reports(ctx)
    if sub in ("hold", "lift"):
        clearly = ("--" in rest) if sub == "hold" else len(rest.split()) <= 3
        if await _on_rota(ctx):
            if sub == "lift" or rest:
                return await hold(ctx, rest) if sub == "hold" else await lift(ctx, rest)
            return Reply(text=ctx.t("crisis.hold_usage"))
        if clearly:
            return Reply(text=ctx.t("crisis.refused", what=ctx.t("crisis.what_hold")))
    # Anything else is a report: never lose one to a parsing rule. The raw text keeps its line breaks.
    raw = _COMMAND_WORD.match(msg.text.strip())
    body = msg.text.strip()[raw.end():] if raw else args
    source = "command" if msg.source == "command" else "message"
    return await _report(ctx, msg, _draft(msg, body, source))


async def _may_change(ctx: Context, report: CrisisReport) -> bool:
    """The reporter keeps their own report (details, severity); otherwise only the rota."""
    return (report.reporter_id is not None and report.reporter_id == ctx.person.id) or await _on_rota(ctx)


async def set_severity(ctx: Context, ref: str, severity: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None or not await _may_change(ctx, report):
        return _unknown(ctx, ref)
    by_word = {t(f"crisis.sev.{s}"): s for s in SEVERITIES} | {s: s for s in SEVERITIES}
    severity = by_word.get(severity.strip().lower(), "")
    if severity not in SEVERITIES:
        return Reply(text=t("crisis.severity_set", ref=report.ref, severity=t(f"crisis.sev.{report.severity}")))
    if severity != report.severity:
        async with ctx.db.session() as s:
            await s.execute(update(CrisisReport).where(CrisisReport.id == report.id).values(severity=severity))
            s.add(CrisisEvent(report_id=report.id, kind="severity_changed", at=ctx.core.now(), actor_id=ctx.person.id,
                              actor_pseudonym=ctx.person.pseudonym, detail={"from": report.severity, "to": severity}))
            await s.commit()
        if report.status != "resolved":
            # Those who already have the alert judge by its severity: they hear of the change.
            _spawn(ctx.core, _tell_all_alerted(ctx.core, report, ctx.person.id, "crisis.severity_notice",
                                               name=_name(ctx.person), sev_from=f"crisis.sev.{report.severity}",
                                               sev_to=f"crisis.sev.{severity}"))
    return Reply(text=t("crisis.severity_set", ref=report.ref, severity=t(f"crisis.sev.{severity}")))


async def severity_action(ctx: Context, msg: Incoming) -> Reply:
    return await set_severity(ctx, str(msg.values.get("ref") or ""), str(msg.values.get("severity") or ""))


async def add_action(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("crisis.add_how", ref=str(msg.values.get("ref") or "K-…")))


async def add_details(ctx: Context, msg: Incoming, ref: str, text: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None or not await _may_change(ctx, report):
        return _unknown(ctx, ref)
    draft = _draft(msg, text, "details")
    if not draft.text and not draft.attachments:
        return Reply(text=t("crisis.add_how", ref=report.ref))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        row = await s.get(CrisisReport, report.id)
        stamp = fmt_time(now, _tz(ctx.core))
        row.text = clip((row.text + f"\n\n[{stamp}] " if row.text else "") + draft.text, MAX_REPORT_TEXT)
        row.links = (row.links + [u for u in draft.links if u not in row.links])[:20]
        row.attachments = row.attachments + draft.attachments
        if not row.place and draft.links:
            row.place, row.url = platform_of(draft.links[0], draft.text), draft.links[0]
        s.add(row)
        s.add(CrisisEvent(report_id=report.id, kind="details_added", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym,
                          detail={"chars": len(draft.text), "links": len(draft.links),
                                  "attachments": [a["name"] for a in draft.attachments]}))
        await s.commit()
    if report.owner_id and report.owner_id != ctx.person.id and report.status != "resolved":
        owner = await _person(ctx.core, report.owner_id)
        ot = ctx.core.translator(_lang_of(ctx.core, owner))
        try:
            await ctx.core.notify(report.owner_id, [Reply(text=ot("crisis.details_notice", ref=report.ref,
                                                                  text=clip(draft.text, 1500)))])
        except DeliveryError as exc:
            await _event(ctx.core, "delivery_failed", report_id=report.id, via="chat", target="owner",
                         what="details", error=str(exc)[:300])
    return Reply(text=t("crisis.added", ref=report.ref))


def _ref_of(ctx: Context, msg: Incoming) -> str:
    found = _REF.search(ctx.args)
    return str(msg.values.get("ref") or "").strip() or (found[1] if found else "")


async def ack_action(ctx: Context, msg: Incoming) -> Reply:
    return await acknowledge(ctx, _ref_of(ctx, msg))


async def resolve_action(ctx: Context, msg: Incoming) -> Reply:
    return await resolve(ctx, _ref_of(ctx, msg), str(msg.values.get("note") or ""),
                         without_note=bool(msg.values.get("no_note")))


async def handover_action(ctx: Context, msg: Incoming) -> Reply:
    return await hand_over(ctx, _ref_of(ctx, msg), str(msg.values.get("to") or msg.values.get("value") or ""))


async def _resolved_reply(ctx: Context, report: CrisisReport) -> Reply:
    owner = await _person(ctx.core, report.owner_id)
    return Reply(text=ctx.t("crisis.already_resolved", ref=report.ref, name=_name(owner, report.owner_pseudonym),
                            time=fmt_time(report.resolved_at, _tz(ctx.core)), note=report.resolution_note or "-"))


async def _taken_reply(ctx: Context, report: CrisisReport) -> Reply:
    if report.owner_id == ctx.person.id:
        return Reply(text=ctx.t("crisis.already_yours", ref=report.ref), buttons=_owner_buttons(ctx.t, report.ref))
    owner = await _person(ctx.core, report.owner_id)
    return Reply(text=ctx.t("crisis.taken_by", ref=report.ref, name=_name(owner, report.owner_pseudonym),
                            time=fmt_time(report.acked_at, _tz(ctx.core))))


async def _unresolved(ctx: Context, ref: str, verb: str) -> CrisisReport | Reply:
    """The report the rota acts on (acknowledge, resolve, hand over), or the reply when there is none to
    act on: no reference, not on the rota or no such report (the same answer), or resolved already."""
    if not ref:
        return Reply(text=ctx.t("crisis.need_ref", verb=verb))
    if not await _on_rota(ctx):
        return _unknown(ctx, ref)
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if report.status == "resolved":
        return await _resolved_reply(ctx, report)
    return report


async def acknowledge(ctx: Context, ref: str) -> Reply:
    t = ctx.t
    report = await _unresolved(ctx, ref, "ack")
    if isinstance(report, Reply):
        return report
    if report.status == "acknowledged":
        return await _taken_reply(ctx, report)
    now = ctx.core.now()
    async with ctx.db.session() as s:
        res = await s.execute(
            update(CrisisReport).where(CrisisReport.id == report.id, CrisisReport.status == "open")
            .values(status="acknowledged", owner_id=ctx.person.id, owner_pseudonym=ctx.person.pseudonym,
                    acked_at=now, next_at=None)
        )
        if res.rowcount != 1:
            await s.rollback()
            report = await _load(ctx.core, report.ref)
            return await (_resolved_reply(ctx, report) if report.status == "resolved" else _taken_reply(ctx, report))
        s.add(CrisisEvent(report_id=report.id, kind="acknowledged", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"step": report.step}))
        await s.commit()
    log.info("crisis acknowledged", extra={"ref": report.ref})
    name = _name(ctx.person)
    await asyncio.gather(_tell_reporter(ctx.core, report, "crisis.reporter_taken", name=name,
                                        time=fmt_time(now, _tz(ctx.core))),
                         _tell_alerted(ctx.core, report, ctx.person, name))
    return Reply(text=t("crisis.acked", ref=report.ref), buttons=_owner_buttons(t, report.ref))


async def resolve(ctx: Context, ref: str, note: str, *, without_note: bool) -> Reply:
    t = ctx.t
    report = await _unresolved(ctx, ref, "resolve")
    if isinstance(report, Reply):
        return report
    note = note.strip()[:4000]
    if not note and not without_note:
        return Reply(text=t("crisis.resolve_ask", ref=report.ref),
                     buttons=[Button(label=t("crisis.resolve_without"), action_id="crisis.resolve",
                                     value={"ref": report.ref, "no_note": True})])
    now = ctx.core.now()
    async with ctx.db.session() as s:
        values: dict[str, Any] = {"status": "resolved", "resolved_at": now, "resolution_note": note or None,
                                  "next_at": None}
        if report.owner_id is None:
            values.update(owner_id=ctx.person.id, owner_pseudonym=ctx.person.pseudonym)
        res = await s.execute(update(CrisisReport).where(CrisisReport.id == report.id,
                                                         CrisisReport.status != "resolved").values(**values))
        if res.rowcount != 1:
            await s.rollback()
            return await _resolved_reply(ctx, await _load(ctx.core, report.ref))
        s.add(CrisisEvent(report_id=report.id, kind="resolved", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"note": note} if note else {}))
        await s.commit()
    log.info("crisis resolved", extra={"ref": report.ref})
    await _tell_reporter(ctx.core, report, "crisis.reporter_resolved")
    return Reply(text=t("crisis.resolved", ref=report.ref))


async def hand_over(ctx: Context, ref: str, to: str) -> Reply:
    t = ctx.t
    report = await _unresolved(ctx, ref, "handover")
    if isinstance(report, Reply):
        return report
    me = (ctx.person.email or "").lower()
    others = [e for e in await rota_emails(ctx.core) if e != me]
    to = to.strip().strip("<>").removeprefix("mailto:").lower()
    if not to:
        if not others:
            return Reply(text=t("crisis.handover_nobody", ref=report.ref))
        return Reply(text=t("crisis.handover_pick", ref=report.ref), buttons=[
            Button(label=email, action_id=f"crisis.handover:{i}", value={"ref": report.ref, "to": email})
            for i, email in enumerate(others[:10])
        ])
    if to not in others:
        return Reply(text=t("crisis.handover_not_in_policy", email=clip(to, 80), people=", ".join(others) or "-"))
    target = await ctx.core.person_by_email(to)
    name = _name(target) if target else to
    now = ctx.core.now()
    try:
        if target is None:
            raise DeliveryError(f"nobody with the address {to} is known on Slack or Teams")
        tt = ctx.core.translator(_lang_of(ctx.core, target))
        alert = _alert_reply(ctx.core, report, tt, None, await _person(ctx.core, report.reporter_id))
        alert.title = tt("crisis.handover_title", name=_name(ctx.person), ref=report.ref)
        await asyncio.wait_for(ctx.core.notify(target.id, [alert]), DELIVERY_TIMEOUT)
    except (DeliveryError, TimeoutError) as exc:
        error = str(exc)[:300] or "timed out"
        await _event(ctx.core, "delivery_failed", report_id=report.id, actor=ctx.person, via="chat", target=to,
                     what="handover", error=error)
        return Reply(text=t("crisis.handover_failed", name=name, error=clip(error, 200), ref=report.ref))
    async with ctx.db.session() as s:
        moved = await s.execute(update(CrisisReport).where(CrisisReport.id == report.id, CrisisReport.status != "resolved")
                                .values(status="acknowledged", owner_id=target.id, owner_pseudonym=target.pseudonym,
                                        acked_at=report.acked_at or now, next_at=None))
        if moved.rowcount != 1:
            # Resolved by someone else while the alert went out: the trail says so, the sender hears it.
            await s.rollback()
            return await _resolved_reply(ctx, await _load(ctx.core, report.ref) or report)
        s.add(CrisisEvent(report_id=report.id, kind="handed_over", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym,
                          detail={"to_pseudonym": target.pseudonym}))
        await s.commit()
    return Reply(text=t("crisis.handed_over", ref=report.ref, name=name))


async def list_reports(ctx: Context) -> Reply:
    t = ctx.t
    if not await _on_rota(ctx):
        return Reply(text=t("crisis.not_on_rota"))
    async with ctx.db.session() as s:
        reports = (await s.exec(select(CrisisReport).order_by(CrisisReport.id.desc()).limit(20))).all()
    if not reports:
        return Reply(text=t("crisis.list_none"))
    tz = _tz(ctx.core)
    fields = [ReplyField(r.ref or "?", f"{fmt_time(r.created_at, tz)} · {t(f'crisis.sev.{r.severity}')} · "
                                       f"{t(f'crisis.status.{r.status}')} · {clip(' '.join(r.text.split()), 80)}")
              for r in reports]
    return Reply(title=t("crisis.list_title"), text="", fields=fields)


async def show(ctx: Context, ref: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if not await _on_rota(ctx):
        if report.reporter_id is not None and report.reporter_id == ctx.person.id:
            # The reporter sees their own report as they got it, with its status, not the trail.
            receipt = _receipt(t, report)
            receipt.title = t("crisis.yours_title", ref=report.ref, status=t(f"crisis.status.{report.status}"))
            return receipt
        return _unknown(ctx, ref)
    tz = _tz(ctx.core)
    lines = [f"{fmt_time(at, tz, seconds=True)}  {text}" for at, text in await trail(ctx.core, report, t)]
    return Reply(title=f"{report.ref}: {t(f'crisis.status.{report.status}')}, {t(f'crisis.sev.{report.severity}')}",
                 text="\n".join([clip(report.text, 1500) or t("crisis.no_text"), "", f"*{t('crisis.trail')}*",
                                 *lines[-40:]]))
