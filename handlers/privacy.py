"""What "my data" shows and "forget me" removes beyond each capability's own hooks: the rows that
name a person in passing (messages sent to them, share links and clicks, polls and holds they
started, alerts addressed to them, a meeting summary signed with their name).

Each capability's hook (content, polls, feedback, crisis, ask) keeps its own rows; this module
walks the rest, so that after "forget me" no e-mail address, name or platform id of the person
is left in any table (tests/test_privacy_people.py dumps every table to check).
"""

from __future__ import annotations

from sqlalchemy import Text, cast, func, update
from sqlmodel import select

from bot.capability import Capability
from bot.core import Context
from bot.text import reader_date
from storage.models_content import ContentClicks, ContentItem, ContentLink
from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport, Hold
from storage.models_polls import Meeting, Poll, PollOutbox, PollSeries

TEXTS = {
    "privacy.sent": {"en": "Messages sent to you (polls, reminders, results)", "de": {"du": "An dich gesendete Nachrichten (Umfragen, Erinnerungen, Ergebnisse)", "sie": "An Sie gesendete Nachrichten (Umfragen, Erinnerungen, Ergebnisse)"}},
    "privacy.sent_line": {"en": "{n}, the last on {date}", "de": "{n}, zuletzt am {date}"},
    "privacy.links": {"en": "Share links made for you", "de": {"du": "Für dich erzeugte Teilen-Links", "sie": "Für Sie erzeugte Teilen-Links"}},
    "privacy.links_line": {"en": "{n} links, {clicks} clicks in {months} month(s); first click {first}, last click {last}",
                           "de": "{n} Links, {clicks} Klicks in {months} Monat(en); erster Klick {first}, letzter Klick {last}"},
    "privacy.started": {"en": "Started or decided by you", "de": {"du": "Von dir gestartet oder entschieden", "sie": "Von Ihnen gestartet oder entschieden"}},
    "privacy.started_line": {
        "en": "{polls} polls, {series} recurring polls, {items} content items written, {decided} decided, {holds} posting holds, {owned} crisis reports taken on, {summaries} meeting summaries",
        "de": "{polls} Umfragen, {series} wiederkehrende Umfragen, {items} Inhalte geschrieben, {decided} entschieden, {holds} Posting-Stopps, {owned} Krisenmeldungen übernommen, {summaries} Sitzungszusammenfassungen",
    },
    "privacy.alerts": {"en": "Crisis alerts addressed to you", "de": {"du": "An dich gerichtete Krisenalarme", "sie": "An Sie gerichtete Krisenalarme"}},
    "privacy.none": {"en": "none", "de": "keine"},
}


def _signed_by(ctx: Context) -> list[str]:
    """How a meeting summary names its writer (handlers/meetings/chat.py): the display name, else the address."""
    return [v for v in (ctx.person.display_name, ctx.person.email) if v]


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t, pid, lang = ctx.t, ctx.person.id, ctx.lang
    email = (ctx.person.email or "").lower()
    async with ctx.db.session() as s:
        sent, last_sent = (await s.exec(select(func.count(), func.max(PollOutbox.sent_at))
                                        .where(PollOutbox.person_id == pid))).one()
        links, clicks, first, last = (await s.exec(select(
            func.count(), func.coalesce(func.sum(ContentLink.clicks), 0), func.min(ContentLink.first_click_at),
            func.max(ContentLink.last_click_at)).where(ContentLink.person_id == pid))).one()
        months = (await s.exec(select(func.count()).select_from(ContentClicks).join(
            ContentLink, ContentLink.id == ContentClicks.link_id).where(ContentLink.person_id == pid))).one()

        async def n(model, *where) -> int:
            return (await s.exec(select(func.count()).select_from(model).where(*where))).one()

        started = dict(
            polls=await n(Poll, Poll.creator_id == pid), series=await n(PollSeries, PollSeries.creator_id == pid),
            items=await n(ContentItem, ContentItem.created_by_id == pid),
            decided=await n(ContentItem, ContentItem.decided_by_id == pid),
            holds=await n(Hold, (Hold.created_by_id == pid) | (Hold.lifted_by_id == pid)),
            owned=await n(CrisisReport, CrisisReport.owner_id == pid),
            summaries=await n(Meeting, Meeting.summary_by.in_(_signed_by(ctx) or [""])),
        )
        alerts = await n(CrisisAttempt, (CrisisAttempt.person_id == pid) | (func.lower(CrisisAttempt.target) == email))
    return [
        (t("privacy.sent"), t("privacy.sent_line", n=sent, date=reader_date(last_sent, lang)) if sent else t("privacy.none")),
        (t("privacy.links"), t("privacy.links_line", n=links, clicks=clicks, months=months, first=reader_date(first, lang),
                               last=reader_date(last, lang)) if links else t("privacy.none")),
        (t("privacy.started"), t("privacy.started_line", **started)),
        (t("privacy.alerts"), str(alerts) if alerts else t("privacy.none")),
    ]


async def forget(ctx: Context) -> None:
    """Text columns that carry the person's address or name get their pseudonym instead."""
    pid, pseudonym = ctx.person.id, ctx.person.pseudonym
    email = (ctx.person.email or "").lower()
    async with ctx.db.session() as s:
        signed = _signed_by(ctx)
        if signed:
            await s.execute(update(Meeting).where(Meeting.summary_by.in_(signed)).values(summary_by=pseudonym))
        if email:
            # An alert's target is the address the policy resolved to; its trail keeps the pseudonym.
            await s.execute(update(CrisisAttempt).where(func.lower(CrisisAttempt.target) == email)
                            .values(target=pseudonym))
            await s.execute(update(CrisisAttempt).where(func.lower(CrisisAttempt.error).contains(email))
                            .values(error="(address removed)"))
            events = (await s.exec(select(CrisisEvent).where(
                func.lower(cast(CrisisEvent.detail, Text)).contains(email)))).all()
            for e in events:
                e.detail = {k: (pseudonym if isinstance(v, str) and v.lower() == email else v)
                            for k, v in (e.detail or {}).items()}
        await s.execute(update(CrisisAttempt).where(CrisisAttempt.person_id == pid).values(person_id=None))
        await s.commit()


# Nothing to say in the chat: it adds the program-wide records (roles, authored items, holds) to
# "my data" and "forget me".
CAPABILITY = Capability(name="privacy", texts=(TEXTS,), data_providers=(my_data,), forget_hooks=(forget,))
