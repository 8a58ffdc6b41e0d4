"""The chat side of content: commands and buttons, in English and German, and their registration."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core import Context, Core
from bot.messages import BUTTON_VALUE_MAX, Button, Incoming, Reply, button_id
from bot.messages import Field as RField
from bot.router import BACKUP, COMMUNICATOR, LEAD, MEMBER, Router, normalize_command_text
from bot.text import one_line
from handlers.content.cards import (
    audience_label,
    feed_status_fields,
    first_name,
    form_button,
    form_reply,
    is_approver,
    item_langs,
    next_nudge_text,
    nudge_reply,
    replace,
    status_text,
    thanks_reply,
    valid_text,
)
from handlers.content.config import program_tz
from handlers.content.items import (
    ItemDraft,
    Problem,
    describe_problems,
    needs_approval,
    parse_fields,
    store_item,
    validate_item,
)
from handlers.content.jobs import send_approval_requests
from handlers.content.models import ContentDelivery, ContentItem, ContentLink, ContentPref
from handlers.content.runs import status_summary
from handlers.content.sharetexts import counts_text, ensure_texts, none_note
from handlers.content.thanks import thanks_preview_data
from storage.models import Person, ProgramEvent

log = logging.getLogger("ambassador.content")


# -- chat: the content queue -----------------------------------------------------------

_ADD_HEAD = re.compile(
    r"^\s*(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:content\s+add|content\s+new|inhalt\s+neu|inhalt\s+hinzufügen|inhalte\s+neu)\b",
    re.IGNORECASE,
)


async def content_overview(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("content.help"), buttons=[form_button(ctx.t, {})])


async def content_add(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    # The router folds line breaks; the fields are read from the message as written.
    raw_text = _ADD_HEAD.sub("", msg.text, count=1) if _ADD_HEAD.match(msg.text) else ctx.args
    if not raw_text.strip():
        return form_reply(ctx, {})
    values, problems = parse_fields(raw_text)
    draft, problems = _checked(ctx, values, problems)
    if draft is None:
        return Reply(text=t("content.err.title", problems=describe_problems(problems, t)))
    return await _added(ctx, draft)


def _checked(ctx: Context, values: dict[str, Any], problems: list[Problem]) -> tuple[ItemDraft | None, list[Problem]]:
    """The rules of an item added in chat (text or form): valid, and an audience the author may address."""
    t = ctx.t
    draft, more = validate_item(values, ctx.settings, ctx.core.now(), default_lang=ctx.lang)
    problems = problems + more
    if draft is not None and not is_approver(ctx):
        allowed = draft.audience == "all" or (draft.audience == "department" and draft.department in ctx.departments)
        if not allowed:
            problems.append(("content.err.audience_denied", {
                "departments": ", ".join(ctx.departments) or "-",
                "value": draft.department or t("content.audience.core")}))
    return (None if problems else draft), problems


async def _added(ctx: Context, draft: ItemDraft) -> Reply:
    t = ctx.t
    approver = is_approver(ctx)
    approval = needs_approval(ctx.settings, draft.audience, approver)
    item, _ = await store_item(ctx.core, draft, via="chat", creator=ctx.person, approved=not approval)
    note = None
    if approval:
        await send_approval_requests(ctx.core)
        key = "content.added.pending"
    else:
        key = "content.added.approved"
        note = none_note(item, await ensure_texts(ctx.core, item.id), t)
    text = t(key, id=item.id, title=item.title, audience=audience_label(item, t), langs=item_langs(item),
             valid=valid_text(item, t, ctx.settings), next=next_nudge_text(ctx.core, t))
    return Reply(text=f"{text}\n\n{note}" if note else text)


# -- chat: the form -------------------------------------------------------------------------------

# The form's fields, named as parse_fields names them, so both ways share validate_item.
FORM_FIELDS = ("url", "title", "en", "de", "audience", "from", "until", "image", "rights")
# The command words of a ready-to-edit text, in the person's language.
_TYPED_WORDS = {
    "en": {"head": "content add", "url": "url", "title": "title", "audience": "audience", "en": "en", "de": "de",
           "from": "from", "until": "until", "image": "image", "rights": "rights"},
    "de": {"head": "inhalt neu", "url": "url", "title": "titel", "audience": "zielgruppe", "en": "en", "de": "de",
           "from": "ab", "until": "bis", "image": "bild", "rights": "rechte"},
}
_TYPED_AUDIENCE = {"de": {"all": "alle", "core": "kern"}}


def form_input(values: dict[str, Any]) -> dict[str, str]:
    """What was entered in the form: the known fields only (a submission cannot set a status or a
    file key), as text, the empty ones left out."""
    out: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = values.get(name)
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text:
            out[name] = text
    return out


def typed_text(typed: dict[str, str], lang: str) -> str:
    """What was entered as a ``content add`` message, one field per line, ready to correct and send."""
    words = _TYPED_WORDS.get(lang, _TYPED_WORDS["en"])
    lines = [words["head"]]
    for name in FORM_FIELDS:
        if typed.get(name):
            value = typed[name]
            if name == "audience":
                value = _TYPED_AUDIENCE.get(lang, {}).get(value, value)
            lines.append(f"{words[name]}: {value}")
    return "\n".join(lines)


async def form_action(ctx: Context, msg: Incoming) -> Reply:
    """The "Add with a form" button (and "Open the form again", which carries what was entered)."""
    typed = msg.values.get("f")
    return form_reply(ctx, form_input(typed) if isinstance(typed, dict) else {})


async def form_submit(ctx: Context, msg: Incoming) -> Reply:
    """A submitted add form: the same checks, storing and answer as ``content add``."""
    t = ctx.t
    typed = form_input(msg.values)
    draft, problems = _checked(ctx, dict(typed), [])
    if draft is not None:
        # On Teams the answer replaces the card with the form, which cannot then be sent twice.
        return replace(await _added(ctx, draft), update=True)
    retry = form_button(t, typed)
    size = len(json.dumps(retry.value, ensure_ascii=False, separators=(",", ":")))
    fits = size <= BUTTON_VALUE_MAX
    text = "\n\n".join([t("content.err.title", problems=describe_problems(problems, t)),
                         t("content.form.retry" if fits else "content.form.retry_text"),
                         typed_text(typed, t.lang)])
    return Reply(text=text, buttons=[retry] if fits else [])


def _visible(ctx: Context, item: ContentItem) -> bool:
    if is_approver(ctx):
        return True
    if item.created_by_id == ctx.person.id:
        return True
    return item.audience == "department" and item.department in ctx.departments


async def content_list(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    async with ctx.db.session() as s:
        items = (await s.exec(select(ContentItem).order_by(ContentItem.id.desc()))).all()
        stats = await item_stats(s)
    items = [i for i in items if _visible(ctx, i)]
    if not items:
        return Reply(text=t("content.list.empty"))
    shown = [i for i in items if i.status != "retired"][:20] or items[:5]
    fields = []
    for item in shown:
        sent, shared, clicks = stats.get(item.id, (0, 0, 0))
        line = t("content.list.line", status=status_text(item, t), audience=audience_label(item, t),
                 langs=item_langs(item), valid=valid_text(item, t, ctx.settings), shared=shared, sent=sent, clicks=clicks)
        if item.source:
            line += t("content.list.source", source=item.source)
        if item.share_texts_at is not None:
            line += t("content.list.share", counts=counts_text(item.share_texts))
        fields.append(RField(f"#{item.id} {item.title}", line))
    more = len(items) - len(shown)
    return Reply(title=t("content.list.title"), text="", fields=fields,
                 context=t("content.list.more", count=more) if more > 0 else None)


async def item_stats(s) -> dict[int, tuple[int, int, int]]:
    rows = (
        await s.exec(
            select(ContentLink.item_id, func.count(), func.count(ContentLink.shared_at), func.coalesce(func.sum(ContentLink.clicks), 0))
            .join(ContentDelivery, ContentDelivery.id == ContentLink.delivery_id)
            .where(ContentDelivery.status.in_(("sent", "uncertain")))
            .group_by(ContentLink.item_id)
        )
    ).all()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}


def _item_number(args: str) -> int | None:
    m = re.search(r"#?(\d+)", args)
    return int(m.group(1)) if m else None


async def content_retire(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    number = _item_number(ctx.args)
    if number is None:
        return Reply(text=t("content.need_number"))
    async with ctx.db.session() as s:
        item = await s.get(ContentItem, number)
        if item is None:
            return Reply(text=t("content.no_item", id=number))
        if not _visible(ctx, item):
            # An item for every member is the comms lead's, not another department's.
            key = "content.not_yours_all" if not item.department else "content.not_yours"
            return Reply(text=t(key, id=number))
        if item.status == "retired":
            return Reply(text=t("content.already_retired", id=number))
        item.status = "retired"
        await s.commit()
    return Reply(text=t("content.retired", id=item.id, title=item.title))


async def content_status(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    summary = await status_summary(ctx.core)
    nxt = t("content.status.next", next=next_nudge_text(ctx.core, t))
    feeds = await feed_status_fields(ctx.core, t)
    if not summary["runs"]:
        text = t("content.status.none", next=next_nudge_text(ctx.core, t))
        return Reply(text=text, fields=feeds) if feeds else Reply(text=text)
    fields = [RField(f"{r['cycle']} ({r['wave']})", t("content.status.line", **r["counts"])) for r in summary["runs"][:6]]
    return Reply(title=t("content.status.title"), text=nxt, fields=fields + feeds)


async def _decide(ctx: Context, item_id: int | None, status: str, note: str | None = None) -> Reply:
    t = ctx.t
    if item_id is None:
        return Reply(text=t("content.need_number"))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        res = await s.execute(
            update(ContentItem).where(ContentItem.id == item_id, ContentItem.status.in_(("pending", "draft")))
            .values(status=status, decided_by_id=ctx.person.id, decided_at=now, decision_note=note)
        )
        await s.commit()
        item = await s.get(ContentItem, item_id)
    if item is None:
        return Reply(text=t("content.no_item", id=item_id), update=True)
    if res.rowcount != 1:
        return Reply(text=t("content.approval.decided", id=item.id, title=item.title, status=t(f"content.status.{item.status}")),
                     update=True)
    who = ctx.person.display_name or ctx.person.email or ctx.person.pseudonym
    texts = await ensure_texts(ctx.core, item.id) if status == "approved" else None
    if item.created_by_id and item.created_by_id != ctx.person.id:
        async with ctx.db.session() as s:
            creator = await s.get(Person, item.created_by_id)
        if creator is not None:
            ct = ctx.core.translator(ctx.core.language_of(creator))
            text = (ct("content.approval.told_approved", id=item.id, title=item.title) if status == "approved" else
                    ct("content.approval.told_rejected", id=item.id, title=item.title,
                       note=ct("content.approval.note", note=note) if note else ""))
            if none := none_note(item, texts, ct):
                text += "\n\n" + none
            try:
                await ctx.core.notify(creator.id, [Reply(text=text)])
            except Exception as exc:  # the decision stands; the creator sees it in "content list"
                log.warning("creator not told about the decision", extra={"item": item.id, "error": str(exc)[:200]})
    key = "content.approval.approved" if status == "approved" else "content.approval.rejected"
    text = t(key, id=item.id, title=item.title, who=who)
    if status == "rejected" and not note:
        text += " " + t("content.approval.reason_hint", id=item.id)
    if none := none_note(item, texts, t):
        text += "\n\n" + none
    return Reply(text=text, update=True)


async def approve_action(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, button_id(msg.values.get("i")), "approved")


async def reject_action(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, button_id(msg.values.get("i")), "rejected")


async def approve_command(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, _item_number(ctx.args), "approved")


async def reason_command(ctx: Context, msg: Incoming) -> Reply:
    """The lead's reason for a rejection made with the button: kept on the item, sent to its author."""
    t = ctx.t
    number = _item_number(ctx.args)
    note = re.sub(r"^\s*#?\d+\s*", "", ctx.args).strip()[:500]
    if number is None or not note:
        return Reply(text=t("content.approval.reason_hint", id=number or 12))
    async with ctx.db.session() as s:
        item = await s.get(ContentItem, number)
        if item is None:
            return Reply(text=t("content.no_item", id=number))
        if item.status != "rejected":
            return Reply(text=t("content.approval.reason_not_rejected", id=number))
        item.decision_note = note
        await s.commit()
        creator = await s.get(Person, item.created_by_id) if item.created_by_id else None
    if creator is not None and creator.id != ctx.person.id:
        ct = ctx.core.translator(ctx.core.language_of(creator))
        try:
            await ctx.core.notify(creator.id, [Reply(text=ct("content.approval.told_reason", id=item.id,
                                                             title=item.title, note=note))])
        except Exception as exc:  # the note stands; the author sees it in "content list"
            log.warning("creator not told the reason", extra={"item": item.id, "error": str(exc)[:200]})
    return Reply(text=t("content.approval.reason_set", id=number))


async def reject_command(ctx: Context, msg: Incoming) -> Reply:
    number = _item_number(ctx.args)
    note = re.sub(r"^\s*#?\d+\s*", "", ctx.args).strip() or None
    return await _decide(ctx, number, "rejected", note[:500] if note else None)




# -- chat: a member's own settings ----------------------------------------------------------------

FREQ_WORDS = {
    "weekly": "weekly", "every week": "weekly", "wöchentlich": "weekly", "woechentlich": "weekly",
    "jede woche": "weekly", "on": "weekly", "an": "weekly", "resume": "weekly", "weiter": "weekly",
    "biweekly": "biweekly", "every two weeks": "biweekly", "fortnightly": "biweekly",
    "zweiwöchentlich": "biweekly", "zweiwoechentlich": "biweekly", "alle zwei wochen": "biweekly",
    "14-tägig": "biweekly", "vierzehntägig": "biweekly",
    "pause": "pause", "paused": "pause", "off": "pause", "stop": "pause", "aus": "pause", "pausieren": "pause",
}


async def _pref(core: Core, person_id: int) -> ContentPref | None:
    async with core.db.session() as s:
        return await s.get(ContentPref, person_id)


async def set_frequency(core: Core, person_id: int, frequency: str) -> None:
    await set_pref(core, person_id, frequency=frequency)


async def nudges(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    arg = " ".join(ctx.args.lower().split())
    if not arg:
        pref = await _pref(ctx.core, ctx.person.id)
        current = pref.frequency if pref else "weekly"
        return Reply(text=t("content.nudges.current", frequency=t(f"content.nudges.freq.{current}")), buttons=[
            Button(t(f"content.nudges.btn.{f}"), "content.freq", value={"f": f}, style="primary" if f == current else None)
            for f in ("weekly", "biweekly", "pause")
        ])
    freq = FREQ_WORDS.get(arg)
    if freq is None:
        return Reply(text=t("content.nudges.bad"))
    await set_frequency(ctx.core, ctx.person.id, freq)
    return Reply(text=t(f"content.nudges.set.{freq}"))


async def frequency_action(ctx: Context, msg: Incoming) -> Reply:
    freq = str(msg.values.get("f") or "")
    if freq not in ("weekly", "biweekly", "pause"):
        return Reply(text=ctx.t("content.nudges.bad"))
    await set_frequency(ctx.core, ctx.person.id, freq)
    return Reply(text=ctx.t(f"content.nudges.set.{freq}"), update=True)


async def set_pref(core: Core, person_id: int, **values: Any) -> None:
    """Store a member's choice (frequency, thanks, thanks_public); two presses at once store it once."""
    for _ in range(2):
        async with core.db.session() as s:
            row = await s.get(ContentPref, person_id)
            if row is None:
                s.add(ContentPref(person_id=person_id, updated_at=core.now(), **values))
            else:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = core.now()
            try:
                await s.commit()
                return
            except IntegrityError:  # the other press inserted the row: update it
                await s.rollback()


_THANKS_SETTINGS: dict[str, tuple[str, bool]] = {
    "thanks off": ("thanks", False), "thanks on": ("thanks", True),
    "danke aus": ("thanks", False), "danke an": ("thanks", True),
    "thanks public on": ("thanks_public", True), "thanks public off": ("thanks_public", False),
    "danke öffentlich an": ("thanks_public", True), "danke öffentlich aus": ("thanks_public", False),
    "danke oeffentlich an": ("thanks_public", True), "danke oeffentlich aus": ("thanks_public", False),
}
_THANKS_ASK = {"thanks public", "danke öffentlich", "danke oeffentlich"}


async def thanks_command(ctx: Context, msg: Incoming) -> Reply | list[Reply] | None:
    t = ctx.t
    said = " ".join(normalize_command_text(msg.text).lower().rstrip(".!").split())
    setting = _THANKS_SETTINGS.get(said)
    reply: Reply
    if setting is not None:
        column, on = setting
        await set_pref(ctx.core, ctx.person.id, **{column: on})
        if column == "thanks":
            reply = Reply(text=t("content.thanks.set_on" if on else "content.thanks.set_off"))
        else:
            reply = Reply(text=t("content.thanks.public_on" if on else "content.thanks.public_off"))
    elif said in _THANKS_ASK:
        pref = await _pref(ctx.core, ctx.person.id)
        reply = Reply(text=t("content.thanks.public_ask",
                             state=t("content.yes" if pref and pref.thanks_public else "content.no")))
    else:
        # Not a setting: a draft or a question that only begins like one ("Danke an das ganze Team …",
        # "Thanks on behalf of …") goes where any other text goes.
        fallback = ctx.core.router.fallback
        if fallback is None:
            return Reply(text=t("core.unknown", text=one_line(msg.text, 60)))
        return await fallback.handler(dataclasses.replace(ctx, args=normalize_command_text(msg.text)), msg)
    # About the asker only: not for the whole channel.
    reply.private = not msg.is_direct
    return reply


async def thanks_off_action(ctx: Context, msg: Incoming) -> Reply:
    await set_pref(ctx.core, ctx.person.id, thanks=False)
    delivery_id = button_id(msg.values.get("d"))
    async with ctx.db.session() as s:
        row = await s.get(ContentDelivery, delivery_id) if delivery_id is not None else None
    if row is None or row.person_id != ctx.person.id or row.kind != "thanks":
        return Reply(text=ctx.t("content.thanks.set_off"), private=True)
    # The thank-you stays; its button gives way to the confirmation.
    return replace(thanks_reply(ctx.core, row.id, row.data or {}, first_name(ctx.person, ctx.t), ctx.t, stopped=True),
                   update=True)


async def thanks_preview(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    with_names = bool(re.search(r"(^|\s)(--)?(names|namen)\b", ctx.args.lower()))
    p = await thanks_preview_data(ctx.core)
    local = p["slot"].astimezone(program_tz(ctx.settings))
    when = local.strftime("%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M") + f" {local.tzname()}"
    month = t(f"content.month.{int(p['month'][5:7])}") + f" {p['month'][:4]}"
    text = t("content.thanks.preview.text", date=when, count=p["count"], month=month, top=p["top"],
             min=p["min_activity"], opted_out=p["opted_out"])
    if not p["enabled"]:
        text = t("content.thanks.preview.off") + "\n" + text
    fields = []
    if with_names and p["count"]:
        value = ", ".join(p["named"]) if p["named"] else t("content.thanks.preview.nobody_named")
        if p["named"] and p["unnamed"]:
            value += " " + t("content.thanks.preview.unnamed", count=p["unnamed"])
        fields.append(RField(t("content.thanks.preview.names"), value))
    return Reply(title=t("content.thanks.preview.title"), text=text, fields=fields,
                 context=t("content.thanks.preview.context"))


async def _answer(ctx: Context, msg: Incoming, column: str) -> Reply:
    t = ctx.t
    link_id = button_id(msg.values.get("l"))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        link = await s.get(ContentLink, link_id) if link_id is not None else None
        if link is None or link.person_id != ctx.person.id:
            return Reply(text=t("content.nudge.not_yours"), private=True)
        # Recorded once: the second press finds the answer there already.
        res = await s.execute(update(ContentLink).where(ContentLink.id == link.id, ContentLink.shared_at.is_(None),
                                                        ContentLink.declined_at.is_(None)).values(**{column: now}))
        if res.rowcount == 1 and column == "shared_at":
            s.add(ProgramEvent(kind="content_shared", person_id=ctx.person.id, pseudonym=ctx.person.pseudonym, at=now,
                               data={"item": link.item_id}))
        await s.commit()
    return await _nudge_again(ctx, link)


async def _nudge_again(ctx: Context, link: ContentLink, chosen: dict[int, int] | None = None) -> Reply:
    """The nudge ``link`` is part of, as it stands now (the message is updated in place)."""
    async with ctx.db.session() as s:
        links = (await s.exec(select(ContentLink).where(ContentLink.delivery_id == link.delivery_id)
                              .order_by(ContentLink.position))).all()
        items = {i.id: i for i in (await s.exec(select(ContentItem).where(
            ContentItem.id.in_([lk.item_id for lk in links] or [0])))).all()}
        delivery = await s.get(ContentDelivery, link.delivery_id)
    notes = (delivery.data or {}).get("notes") if delivery is not None else None  # kept on the updated message
    reply = nudge_reply(ctx.core, [(items.get(lk.item_id), lk) for lk in links], ctx.t, notes, chosen)
    return replace(reply, update=True)


async def text_action(ctx: Context, msg: Incoming) -> Reply:
    """"Another text": the nudge again, with the item's next ready share text behind its share buttons."""
    link_id = button_id(msg.values.get("l"))
    async with ctx.db.session() as s:
        link = await s.get(ContentLink, link_id) if link_id is not None else None
    if link is None or link.person_id != ctx.person.id:
        return Reply(text=ctx.t("content.nudge.not_yours"), private=True)
    return await _nudge_again(ctx, link, {link.id: button_id(msg.values.get("k")) or 0})


async def shared_action(ctx: Context, msg: Incoming) -> Reply:
    return await _answer(ctx, msg, "shared_at")


async def declined_action(ctx: Context, msg: Incoming) -> Reply:
    return await _answer(ctx, msg, "declined_at")


# -- registration ---------------------------------------------------------------------------------------

AUTHORS = (COMMUNICATOR, BACKUP, LEAD)


def register(router: Router) -> None:
    router.command("content", en=["content"], de=["inhalt", "inhalte"], roles=AUTHORS, help_key="content.desc")(content_overview)
    router.command("content add", en=["content add", "content new"], de=["inhalt neu", "inhalt hinzufügen", "inhalte neu"],
                   roles=AUTHORS, help_key="content.add.desc", usage_key="content.add.usage")(content_add)
    router.command("content list", en=["content list"], de=["inhalte liste", "inhalt liste", "inhalte auflisten"],
                   roles=AUTHORS, help_key="content.list.desc")(content_list)
    router.command("content retire", en=["content retire"], de=["inhalt zurückziehen", "inhalte zurückziehen"],
                   roles=AUTHORS, help_key="content.retire.desc", usage_key="content.retire.usage")(content_retire)
    router.command("content status", en=["content status", "nudge status"], de=["inhalte status", "inhalt status"],
                   roles=AUTHORS, help_key="content.status.desc")(content_status)
    router.command("content approve", en=["content approve"], de=["inhalt freigeben"], roles=(LEAD, BACKUP),
                   help_key="content.approve.desc", usage_key="content.approve.usage")(approve_command)
    router.command("content reject", en=["content reject"], de=["inhalt ablehnen"], roles=(LEAD, BACKUP),
                   help_key="content.reject.desc", usage_key="content.reject.usage")(reject_command)
    router.command("content reason", en=["content reason"], de=["inhalt grund"], roles=(LEAD, BACKUP),
                   help_key="content.reason.desc", usage_key="content.reason.usage")(reason_command)
    router.command("nudges", en=["nudges", "nudge"], de=["erinnerungen", "erinnerung"], roles=[MEMBER], personal=True,
                   help_key="content.nudges.desc", usage_key="content.nudges.usage")(nudges)
    router.action("content.form", roles=AUTHORS)(form_action)
    router.action("content.form.submit", roles=AUTHORS)(form_submit)
    router.action("content.approve", roles=(LEAD, BACKUP))(approve_action)
    router.action("content.reject", roles=(LEAD, BACKUP))(reject_action)
    router.action("content.shared", personal=True)(shared_action)
    router.action("content.declined", personal=True)(declined_action)
    router.action("content.text", personal=True)(text_action)
    router.action("content.freq", roles=[MEMBER], personal=True)(frequency_action)
    # Anyone may say it (no role refusal for a draft that merely begins with "Danke an …"): the handler
    # hands everything that is not exactly a setting on to the answer engine.
    router.command("thanks", en=["thanks off", "thanks on", "thanks public"],
                   de=["danke aus", "danke an", "danke öffentlich", "danke oeffentlich"],
                   help_key="content.thanks.desc", usage_key="content.thanks.usage")(thanks_command)
    router.command("content thanks", en=["content thanks preview", "content thanks"],
                   de=["inhalte danke vorschau", "inhalt danke vorschau", "inhalte danke", "inhalt danke"],
                   roles=(LEAD, BACKUP), help_key="content.thanks.preview.desc",
                   usage_key="content.thanks.preview.usage")(thanks_preview)
    router.action("content.thanks_off", personal=True)(thanks_off_action)
