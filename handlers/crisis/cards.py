"""The crisis capability's rich replies, neutral of any platform: the reporter's receipt and the alert."""

from __future__ import annotations

from bot.core import Core
from bot.messages import Button, Reply
from bot.messages import Field as ReplyField
from bot.text import clip
from handlers.crisis.config import SEVERITIES, Policy
from handlers.crisis.helpers import _name, _tz, fmt_time
from handlers.crisis.models import CrisisReport
from storage.models import Person


def _receipt(t, report: CrisisReport) -> Reply:
    fields = [ReplyField(t("crisis.severity"), t("crisis.severity_proposed", severity=t(f"crisis.sev.{report.severity}")))]
    if report.place or report.url:
        fields.append(ReplyField(t("crisis.where"), " ".join(x for x in (report.place, report.url) if x)))
    if len(report.links) > 1:
        fields.append(ReplyField(t("crisis.links"), " ".join(report.links[1:])))
    text = t("crisis.receipt", ref=report.ref)
    if report.attachments:
        names = ", ".join(a["name"] for a in report.attachments)
        fields.append(ReplyField(t("crisis.attachments"), names))
        if not report.text:
            text += "\n" + t("crisis.unreadable", names=names, ref=report.ref)
    buttons = [
        Button(label=t(f"crisis.sev.{sev}").capitalize(), action_id=f"crisis.severity:{sev}",
               value={"ref": report.ref, "severity": sev},
               style="primary" if sev == report.severity else None)
        for sev in SEVERITIES
    ]
    buttons.append(Button(label=t("crisis.add_button"), action_id="crisis.add", value={"ref": report.ref}))
    return Reply(title=t("crisis.receipt_title", ref=report.ref), text=text, fields=fields, buttons=buttons,
                 context=t("crisis.receipt_context", ref=report.ref))


def _owner_buttons(t, ref: str) -> list[Button]:
    return [Button(label=t("crisis.resolve_button"), action_id="crisis.resolve", value={"ref": ref}),
            Button(label=t("crisis.handover_button"), action_id="crisis.handover", value={"ref": ref})]


def _alert_reply(core: Core, report: CrisisReport, t, level_info: tuple[int, int, Policy] | None,
                 reporter: Person | None) -> Reply:
    tz = _tz(core)
    fields = []
    if report.place or report.url:
        fields.append(ReplyField(t("crisis.where"), " ".join(x for x in (report.place, report.url) if x)))
    if len(report.links) > 1:
        fields.append(ReplyField(t("crisis.links"), " ".join(report.links[1:6])))
    if report.permalink and report.permalink != report.url:
        fields.append(ReplyField(t("crisis.message"), report.permalink))
    if report.attachments:
        fields.append(ReplyField(t("crisis.attachments"), ", ".join(
            a["name"] + (f" ({a['url']})" if a.get("url") else "") for a in report.attachments[:5])))
    who = _name(reporter, report.reporter_pseudonym)
    if reporter is not None and reporter.email and reporter.email not in who:
        who += f" <{reporter.email}>"
    fields.append(ReplyField(t("crisis.reported_by"), who))
    fields.append(ReplyField(t("crisis.reported_at"), f"{fmt_time(report.created_at, tz)} ({tz})"))
    context = None
    if level_info is not None:
        level, round_, policy = level_info
        fields.append(ReplyField(t("crisis.escalation"), t("crisis.escalation_value", level=level + 1,
                                                           levels=len(policy.levels), round=round_ + 1,
                                                           rounds=policy.rounds)))
        last = level == len(policy.levels) - 1 and round_ == policy.rounds - 1
        context = (t("crisis.alert_context_last") if last
                   else t("crisis.alert_context", minutes=f"{policy.levels[level].timeout:g}"))
    value = {"ref": report.ref, "_lang": t.lang}
    return Reply(
        title=t("crisis.alert_title", ref=report.ref, severity=t(f"crisis.sev.{report.severity}")),
        text=clip(report.text, 2500) or t("crisis.no_text"),
        fields=fields,
        buttons=[Button(label=t("crisis.ack_button"), action_id="crisis.ack", value=dict(value), style="primary"),
                 Button(label=t("crisis.resolve_button"), action_id="crisis.resolve", value=dict(value)),
                 Button(label=t("crisis.handover_button"), action_id="crisis.handover", value=dict(value))],
        context=context,
    )
