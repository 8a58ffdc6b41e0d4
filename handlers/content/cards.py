"""The neutral rich replies of content: the add form, the approval card, the nudge with its share
buttons and tracked links, the thank-you, the run report, and the labels they share.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from sqlmodel import select

from bot.config import Settings
from bot.core import Context, Core
from bot.i18n import Translator
from bot.messages import Button, Form, FormField, Reply
from bot.messages import Field as RField
from bot.router import BACKUP, LEAD, NudgeNote
from bot.text import one_line
from handlers.content.config import content_config, program_tz, public_url
from handlers.content.items import TEXT_MAX, parse_date, resolve_audience, text_for
from handlers.content.models import ContentDelivery, ContentItem, ContentLink, ContentRun
from handlers.content.schedule import next_slot
from handlers.content.sharetexts import offered
from storage.models import Person, aware
from storage.models_feeds import FeedState


def is_approver(ctx: Context) -> bool:
    return ctx.has(LEAD, BACKUP)


def form_button(t: Translator, typed: dict[str, str]) -> Button:
    return Button(t("content.form.open" if not typed else "content.form.again"), "content.form",
                  value={"f": typed, "_lang": t.lang} if typed else {"_lang": t.lang}, style="primary")


def _audience_options(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    if is_approver(ctx):
        departments = list(ctx.settings.app.departments)
        options = [("all", t("content.audience.all")), ("core", t("content.audience.core"))]
    else:
        # A communicator may address all members or their own departments; the check stays in _checked.
        departments = [d for d in ctx.settings.app.departments if d in ctx.departments]
        options = [("all", t("content.audience.all"))]
    return options + [(d, t("content.audience.department", department=d)) for d in departments]


def _date_initial(value: str | None) -> str | None:
    d = parse_date(value) if value else None
    return d.isoformat() if d else None


def content_form(ctx: Context, typed: dict[str, str]) -> Form:
    """The add form, filled with what was entered before (after a refused submission)."""
    t = ctx.t
    texts = [FormField("en", t("content.form.en"), "multiline", optional=True, initial=typed.get("en"),
                       hint=t("content.form.text_hint", limit=TEXT_MAX)),
             FormField("de", t("content.form.de"), "multiline", optional=True, initial=typed.get("de"),
                       hint=t("content.form.text_hint", limit=TEXT_MAX))]
    if t.lang == "de":
        texts.reverse()
    options = _audience_options(ctx)
    audience = typed.get("audience") or "all"
    resolved = resolve_audience(audience, ctx.settings)
    if resolved is not None:
        audience = resolved[1] if resolved[0] == "department" else resolved[0]
    return Form(
        title=t("content.form.title"),
        submit_label=t("content.form.submit"),
        action_id="content.form.submit",
        fields=[
            FormField("url", t("content.form.url"), "url", initial=typed.get("url")),
            FormField("title", t("content.form.title_field"), optional=True, initial=typed.get("title"),
                      hint=t("content.form.title_hint")),
            *texts,
            FormField("audience", t("content.form.audience"), "select", options=options,
                      initial=audience if any(v == audience for v, _ in options) else "all"),
            FormField("from", t("content.form.from"), "date", optional=True, initial=_date_initial(typed.get("from"))),
            FormField("until", t("content.form.until"), "date", optional=True,
                      initial=_date_initial(typed.get("until"))),
            FormField("image", t("content.form.image"), "url", optional=True, initial=typed.get("image")),
            FormField("rights", t("content.form.rights"), optional=True, initial=typed.get("rights"),
                      hint=t("content.form.rights_hint")),
        ],
        value={"_lang": t.lang},
        button=form_button(t, typed),
        fallback=t("content.help"),
    )


def form_reply(ctx: Context, typed: dict[str, str]) -> Reply:
    return Reply(text=ctx.t("content.form.intro"), form=content_form(ctx, typed))


def audience_label(item: ContentItem, t: Translator) -> str:
    if item.audience == "department":
        return t("content.audience.department", department=item.department or "-")
    return t(f"content.audience.{item.audience}")


def item_langs(item: ContentItem) -> str:
    return "/".join(lang for lang, text in (("de", item.text_de), ("en", item.text_en)) if text)


def valid_text(item: ContentItem, t: Translator, settings: Settings) -> str:
    if not item.valid_from and not item.valid_until:
        return ""
    tz = program_tz(settings)
    fmt = "%d.%m.%Y" if t.lang == "de" else "%Y-%m-%d"
    start = aware(item.valid_from).astimezone(tz).strftime(fmt) if item.valid_from else ""
    end = (aware(item.valid_until) - timedelta(seconds=1)).astimezone(tz).strftime(fmt) if item.valid_until else ""
    return t("content.valid", range=f"{start}–{end}")


def status_text(item: ContentItem, t: Translator) -> str:
    """The item's state; a rejected one with the lead's note, so its author sees why."""
    status = t(f"content.status.{item.status}")
    if item.status == "rejected" and item.decision_note:
        return status + t("content.approval.note", note=item.decision_note)
    return status


FEED_REASONS = ("timeout", "too_large", "not_feed", "http", "unreachable", "host_not_allowed", "private_address",
                "no_link", "other_host", "no_metadata", "bad_url", "error")


def feed_reason(t: Translator, code: str | None, detail: str | None) -> str:
    """A failure or a skipped entry of a feed (handlers/feeds.py), worded for the reader."""
    key = f"content.feed.why.{code if code in FEED_REASONS else 'error'}"
    return t(key, detail=detail or "-")


async def feed_status_fields(core: Core, t: Translator) -> list[RField]:
    """Feeds that fail and entries the last fetch skipped (handlers/feeds.py keeps them in feed_state)."""
    async with core.db.session() as s:
        states = (await s.exec(select(FeedState).order_by(FeedState.name))).all()
    tz = program_tz(core.settings)
    fmt = "%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M"
    out = []
    for st in states:
        if st.error:
            since = aware(st.failing_since or st.fetched_at)
            out.append(RField(t("content.feed.failing", name=st.name), t(
                "content.feed.failing_line", why=feed_reason(t, st.error, st.error_detail),
                since=since.astimezone(tz).strftime(fmt) if since else "-")))
        skipped = st.skipped or []
        if skipped:
            lines = [f"{one_line(e.get('link') or e.get('title') or '-', 80)}: {feed_reason(t, e.get('reason'), e.get('detail'))}"
                     for e in skipped[:5]]
            if len(skipped) > 5:
                lines.append(f"… (+{len(skipped) - 5})")
            out.append(RField(t("content.feed.skipped", name=st.name, count=len(skipped)), "\n".join(lines)))
    return out


def next_nudge_text(core: Core, t: Translator) -> str:
    try:
        cfg = content_config(core.settings)
    except Exception:
        return "-"
    slot = next_slot(cfg, core.settings, core.now())
    local = slot.astimezone(program_tz(core.settings))
    return local.strftime("%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M") + f" {local.tzname()}"


def approval_reply(item: ContentItem, t: Translator, settings: Settings, creator: str | None) -> Reply:
    text = t("content.approval.text", title=item.title, url=item.url)
    for lang, body in (("de", item.text_de), ("en", item.text_en)):
        if body:
            text += f"\n\n{lang.upper()}: {body}"
    fields = [RField(t("content.approval.audience"), audience_label(item, t))]
    valid = valid_text(item, t, settings).lstrip(", ")
    if valid:
        fields.append(RField(t("content.approval.valid"), valid))
    if item.image_url:
        fields.append(RField(t("content.approval.image"), f"{item.image_url} ({item.image_rights or '-'})"))
    if creator:
        fields.append(RField(t("content.approval.by"), creator))
    return Reply(
        title=t("content.approval.title", id=item.id), text=text, fields=fields,
        buttons=[
            Button(t("content.approval.approve"), "content.approve", value={"i": item.id, "_lang": t.lang}, style="primary"),
            Button(t("content.approval.reject"), "content.reject", value={"i": item.id, "_lang": t.lang}, style="danger"),
        ],
    )


async def report_reply(core: Core, run: ContentRun, counts: dict[str, int], t: Translator) -> Reply:
    async with core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery).where(
            ContentDelivery.run_id == run.id, ContentDelivery.status.in_(("failed", "uncertain", "skipped")))
            .order_by(ContentDelivery.id).limit(60))).all()
    fields = []
    for status, label in (("failed", "content.report.failed"), ("uncertain", "content.report.uncertain"), ("skipped", "content.report.skipped")):
        lines = [f"#{r.id} {r.pseudonym}" + (f" ({t('content.reason.' + r.reason)})" if r.reason in ("gone", "unreachable", "no_account") else "")
                 for r in rows if r.status == status][:20]
        if lines:
            fields.append(RField(t(label), ", ".join(lines)))
    if run.kind == "thanks":
        month = run.cycle.split(":", 1)[1]
        title = t("content.report.title_thanks", month=t(f"content.month.{int(month[5:7])}") + f" {month[:4]}")
    else:
        title = t("content.report.title", cycle=run.cycle)
    return Reply(title=title, text=t("content.report.text", **{k: counts[k] for k in ("sent", "failed", "uncertain", "skipped")}),
                 fields=fields, context=t("content.report.context"))


def first_name(person: Person | None, t: Translator) -> str | None:
    name = " ".join((person.display_name or "").split()) if person else ""
    if not name or "@" in name:
        return None
    # "Vielen Dank, Anna Schmidt!" in the Sie form; first names where people say du (and in English).
    return name if t.lang == "de" and t.address == "sie" else name.split(" ")[0]


def thanks_reply(core: Core, delivery_id: int | None, data: dict[str, Any], name: str | None, t: Translator,
                 *, stopped: bool = False) -> Reply:
    """The thank-you: the person's own figures, never a place in a ranking."""
    month = str(data.get("month") or "")
    month_name = t(f"content.month.{int(month[5:7])}") if len(month) == 7 else month
    shares, clicks = int(data.get("shares") or 0), int(data.get("clicks") or 0)
    posts = t("content.thanks.posts_one") if shares == 1 else t("content.thanks.posts", n=shares)
    times = t("content.thanks.times_one") if clicks == 1 else t("content.thanks.times", n=clicks)
    key = "both" if shares and clicks else "shares" if shares else "clicks"
    text = (t(f"content.thanks.{key}", month=month_name, posts=posts, times=times) + "\n\n"
            + t("content.thanks.body", program=core.settings.app.program.name))
    buttons = [] if stopped else [Button(t("content.thanks.stop"), "content.thanks_off",
                                         value={"d": delivery_id, "_lang": t.lang})]
    return Reply(title=t("content.thanks.title", name=name) if name else t("content.thanks.title_anon"), text=text,
                 buttons=buttons, context=t("content.thanks.set_off" if stopped else "content.thanks.context"))


# -- the message -----------------------------------------------------------------------------------

SOURCES = {"li": "linkedin", "xi": "xing", "x": "x"}


def tracked_url(core: Core, item: ContentItem, token: str, source: str | None = None) -> str:
    base = public_url(core.settings)
    if base:
        return f"{base}/r/{token}" + (f"?s={source}" if source else "")
    # No public address: no click counting, but the target's analytics still sees the attribution.
    return with_utm(core.settings, item.url, token, source)


def with_utm(settings: Settings, url: str, token: str, source: str | None) -> str:
    cfg = content_config(settings)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    have = {k for k, _ in query}
    extra = [("utm_source", SOURCES.get(source or "", "ambassador")), ("utm_medium", cfg.utm.medium),
             ("utm_campaign", cfg.utm.campaign), ("utm_content", token)]
    query += [(k, v) for k, v in extra if k not in have]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def share_buttons(core: Core, item: ContentItem, link: ContentLink, text: str, t: Translator, n: str) -> list[Button]:
    li = tracked_url(core, item, link.token, "li")
    xi = tracked_url(core, item, link.token, "xi")
    x = tracked_url(core, item, link.token, "x")
    post = one_line(text, 1500)
    return [
        Button(t("content.nudge.linkedin", n=n), "content.share", url="https://www.linkedin.com/feed/?shareActive=true&text="
               + quote(f"{post}\n{li}".strip(), safe="")),
        Button(t("content.nudge.xing", n=n), "content.share", url="https://www.xing.com/spi/shares/new?url=" + quote(xi, safe="")),
        Button(t("content.nudge.x", n=n), "content.share", url="https://x.com/intent/post?text=" + quote(one_line(text, 230), safe="")
               + "&url=" + quote(x, safe="")),
        # _lang: the answer comes in the message's language (the core adds it to answers it dispatches).
        Button(t("content.nudge.shared", n=n), "content.shared", value={"l": link.id, "_lang": t.lang}, style="primary"),
        Button(t("content.nudge.declined", n=n), "content.declined", value={"l": link.id, "_lang": t.lang}),
    ]


def note_data(note: NudgeNote) -> dict[str, Any]:
    """A capability's note for a nudge as the delivery keeps it (JSON)."""
    b = note.button
    return {"text": note.text, "button": None if b is None else {"label": b.label, "action": b.action_id, "value": b.value}}


def _notes(notes: list[dict[str, Any]] | None) -> tuple[list[str], list[Button]]:
    texts, buttons = [], []
    for note in notes or ():
        if note.get("text"):
            texts.append(str(note["text"]))
        if b := note.get("button"):
            buttons.append(Button(str(b["label"]), str(b["action"]), value=dict(b.get("value") or {})))
    return texts, buttons


def _item_lines(core: Core, item: ContentItem, link: ContentLink, t: Translator, n: str,
                choice: int) -> tuple[list[str], list[Button]]:
    """An unanswered item of the nudge: its text (the chosen ready share text where the item has them),
    link and image, and the buttons that share that text."""
    ready = offered(item, t.lang)
    lines: list[str] = []
    extra: list[Button] = []
    if ready is None:  # texts not made yet: the item's own text, as before
        text = text_for(item, t.lang) or item.text_en or item.text_de or ""
        lines.append(text)
    elif ready:
        choice %= len(ready)
        text = ready[choice]
        lines += [t("content.share.ready", n=choice + 1, total=len(ready)), text]
        if len(ready) > 1:
            extra.append(Button(t("content.share.other", n=n), "content.text",
                                value={"l": link.id, "k": (choice + 1) % len(ready), "_lang": t.lang}))
    else:  # none passed the guidelines: the link alone is offered
        text = ""
        lines.append(t("content.share.link_only"))
    lines.append(tracked_url(core, item, link.token))
    if item.image_url:
        lines.append(t("content.nudge.image", url=item.image_url, rights=item.image_rights or "-"))
    return lines, share_buttons(core, item, link, text, t, n) + extra


def nudge_reply(core: Core, pairs: list[tuple[ContentItem | None, ContentLink]], t: Translator,
                notes: list[dict[str, Any]] | None = None, chosen: dict[int, int] | None = None) -> Reply:
    """The nudge; ``chosen``: link id -> the ready text picked with "Another text" (else the first)."""
    numbered = len(pairs) > 1
    parts = [t("content.nudge.intro")]
    buttons: list[Button] = []
    for pos, (item, link) in enumerate(pairs, start=1):
        n = f" ({pos})" if numbered else ""
        if item is None:
            parts.append(f"*{pos}.* " + t("content.nudge.gone_mark"))
            continue
        head = f"*{pos}. {item.title}*" if numbered else f"*{item.title}*"
        lines = [head]
        if link.shared_at:
            lines.append(t("content.nudge.shared_mark"))
        elif link.declined_at:
            lines.append(t("content.nudge.declined_mark"))
        else:
            more, item_buttons = _item_lines(core, item, link, t, n, (chosen or {}).get(link.id or 0, 0))
            lines += more
            buttons += item_buttons
        parts.append("\n".join(lines))
    extra_texts, extra_buttons = _notes(notes)  # other capabilities' lines (the course's reminder)
    parts += extra_texts
    buttons += extra_buttons
    # Once per message, after the items' buttons, and kept when the items are answered: feedback
    # (handlers/feedback.py) is open to everyone, also to someone who shares nothing.
    about = ",".join(str(item.id) for item, _ in pairs if item is not None)
    buttons.append(Button(t("content.nudge.feedback"), "feedback.start",
                          value={"context": f"content:{about}"[:200], "_lang": t.lang}))
    return Reply(title=t("content.nudge.title"), text="\n\n".join(parts), buttons=buttons, context=t("content.nudge.context"))


def replace(reply: Reply, **changes: Any) -> Reply:
    for k, v in changes.items():
        setattr(reply, k, v)
    return reply
