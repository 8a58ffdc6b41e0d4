"""Voluntary by design: join (with a privacy notice and recorded consent), leave,
status, my data, forget me."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import select

from bot.capability import Capability, DemoSeed
from bot.core import Context
from bot.core_texts import role_titles
from bot.keys import ProgramKeyError
from bot.messages import Button, Field, Incoming, Reply
from bot.router import EMPLOYEE, Router
from bot.text import reader_date
from storage.models import (
    Consent,
    ConversationRef,
    Identity,
    InboundTask,
    Person,
    ProgramEvent,
    RoleGrant,
    utcnow,
)

TEXTS = {
    "join.desc": {"en": "join the ambassador program (voluntary)", "de": "dem Botschafterprogramm beitreten (freiwillig)"},
    "leave.desc": {"en": "leave the program, effective at once", "de": "das Programm verlassen, sofort wirksam"},
    "status.desc": {"en": "your program status", "de": {"du": "dein Programmstatus", "sie": "Ihr Programmstatus"}},
    "mydata.desc": {"en": "see everything stored about you", "de": {"du": "alles sehen, was über dich gespeichert ist", "sie": "alles sehen, was über Sie gespeichert ist"}},
    "forget.desc": {"en": "delete your data", "de": {"du": "deine Daten löschen", "sie": "Ihre Daten löschen"}},
    "join.notice_title": {"en": "Joining {program}: privacy notice", "de": "Beitritt zu {program}: Datenschutzhinweis"},
    "join.notice": {
        "en": (
            "Taking part is voluntary: you get no disadvantage if you don't, and you can leave at any time with *leave*.\n"
            "*What is stored:* your name, e-mail address and chat ids, your department, language, time zone and quiet hours, "
            "when you joined or left, and later what you share, vote or ask the bot.\n"
            "*Why:* to send you shareable content, run polls and show the program's figures (in figures, never a ranking without your consent).\n"
            "*How long:* while you take part, and program figures for at most {days} days; *forget me* deletes your data at once.\n"
            "Questions: {contact}"
        ),
        "de": {
            "du": (
                "Mitmachen ist freiwillig: Du hast keinen Nachteil, wenn du es nicht tust, und kannst jederzeit mit *austreten* gehen.\n"
                "*Was gespeichert wird:* dein Name, deine E-Mail-Adresse und Chat-IDs, Abteilung, Sprache, Zeitzone und Ruhezeiten, "
                "wann du beigetreten oder ausgetreten bist, und später, was du teilst, abstimmst oder den Bot fragst.\n"
                "*Wozu:* um dir teilbare Inhalte zu schicken, Umfragen durchzuführen und die Zahlen des Programms zu zeigen (als Zahlen, nie als Rangliste ohne deine Zustimmung).\n"
                "*Wie lange:* solange du mitmachst, Programmzahlen höchstens {days} Tage; *vergiss mich* löscht deine Daten sofort.\n"
                "Fragen: {contact}"
            ),
            "sie": (
                "Mitmachen ist freiwillig: Sie haben keinen Nachteil, wenn Sie es nicht tun, und können jederzeit mit *austreten* gehen.\n"
                "*Was gespeichert wird:* Ihr Name, Ihre E-Mail-Adresse und Chat-IDs, Abteilung, Sprache, Zeitzone und Ruhezeiten, "
                "wann Sie beigetreten oder ausgetreten sind, und später, was Sie teilen, abstimmen oder den Bot fragen.\n"
                "*Wozu:* um Ihnen teilbare Inhalte zu schicken, Umfragen durchzuführen und die Zahlen des Programms zu zeigen (als Zahlen, nie als Rangliste ohne Ihre Zustimmung).\n"
                "*Wie lange:* solange Sie mitmachen, Programmzahlen höchstens {days} Tage; *vergiss mich* löscht Ihre Daten sofort.\n"
                "Fragen: {contact}"
            ),
        },
    },
    "join.confirm": {"en": "I agree, join", "de": "Einverstanden, beitreten"},
    "join.cancel": {"en": "Not now", "de": "Jetzt nicht"},
    "join.done": {
        "en": "Welcome to {program}! You'll get shareable content from now on. *leave* ends it at any time.",
        "de": {"du": "Willkommen bei {program}! Ab jetzt bekommst du teilbare Inhalte. *austreten* beendet es jederzeit.",
               "sie": "Willkommen bei {program}! Ab jetzt bekommen Sie teilbare Inhalte. *austreten* beendet es jederzeit."},
    },
    "join.already": {
        "en": "You're already a member since {date}. *leave* ends it at any time.",
        "de": {"du": "Du bist schon seit {date} dabei. *austreten* beendet es jederzeit.",
               "sie": "Sie sind schon seit {date} dabei. *austreten* beendet es jederzeit."},
    },
    "join.cancelled": {
        "en": "No problem, nothing was stored. You can join later with *join*.",
        "de": {"du": "Kein Problem, es wurde nichts gespeichert. Du kannst später mit *beitreten* dazukommen.",
               "sie": "Kein Problem, es wurde nichts gespeichert. Sie können später mit *beitreten* dazukommen."},
    },
    "leave.done": {
        "en": "You've left {program}, effective now: no more content or reminders. You're welcome back any time with *join*. "
              "Your data stays until you say *forget me*.",
        "de": {"du": "Du hast {program} verlassen, ab sofort: keine Inhalte und Erinnerungen mehr. Mit *beitreten* bist du jederzeit wieder dabei. "
                     "Deine Daten bleiben, bis du *vergiss mich* schreibst.",
               "sie": "Sie haben {program} verlassen, ab sofort: keine Inhalte und Erinnerungen mehr. Mit *beitreten* sind Sie jederzeit wieder dabei. "
                      "Ihre Daten bleiben, bis Sie *vergiss mich* schreiben."},
    },
    "leave.not_member": {
        "en": "You're not a member of the program, so there's nothing to leave.",
        "de": {"du": "Du bist kein Mitglied des Programms, es gibt also nichts zu verlassen.",
               "sie": "Sie sind kein Mitglied des Programms, es gibt also nichts zu verlassen."},
    },
    "status.title": {"en": "Your program status", "de": {"du": "Dein Programmstatus", "sie": "Ihr Programmstatus"}},
    "status.member": {"en": "Member since {date}", "de": "Mitglied seit {date}"},
    "status.not_member": {"en": "Not a member", "de": "Kein Mitglied"},
    "status.membership": {"en": "Membership", "de": "Mitgliedschaft"},
    "status.roles": {"en": "Roles", "de": "Rollen"},
    "status.language": {"en": "Language", "de": "Sprache"},
    "status.timezone": {"en": "Time zone", "de": "Zeitzone"},
    "status.quiet": {"en": "Quiet hours", "de": "Ruhezeiten"},
    "status.department": {"en": "Department", "de": "Abteilung"},
    "status.guest": {
        "en": "guest: no access to the ambassador program (it is for employees only)",
        "de": "Gast: kein Zugang zum Botschafterprogramm (es ist nur für Beschäftigte)",
    },
    "status.unverified": {
        "en": "not known yet: the chat platform has not told me who you are, so no program access for now",
        "de": {"du": "noch unbekannt: Die Chat-Plattform hat mir noch nicht gesagt, wer du bist, daher vorerst kein Programmzugang",
               "sie": "noch unbekannt: Die Chat-Plattform hat mir noch nicht gesagt, wer Sie sind, daher vorerst kein Programmzugang"},
    },
    "status.auto": {"en": "automatic", "de": "automatisch"},
    "status.quiet_off": {"en": "none", "de": "keine"},
    "status.quiet_company": {"en": "{start}–{end} (the company's)", "de": "{start}–{end} (die des Unternehmens)"},
    "mydata.title": {"en": "Everything stored about you", "de": {"du": "Alles, was über dich gespeichert ist", "sie": "Alles, was über Sie gespeichert ist"}},
    "mydata.intro": {
        "en": "This is all the bot keeps about you. *forget me* deletes it.",
        "de": {"du": "Das ist alles, was der Bot über dich speichert. *vergiss mich* löscht es.",
               "sie": "Das ist alles, was der Bot über Sie speichert. *vergiss mich* löscht es."},
    },
    "mydata.name": {"en": "Name", "de": "Name"},
    "mydata.email": {"en": "E-mail", "de": "E-Mail"},
    "mydata.accounts": {"en": "Chat accounts", "de": "Chat-Konten"},
    "mydata.consents": {"en": "Consents", "de": "Einwilligungen"},
    "mydata.consent_line": {"en": "privacy notice v{version} on {given}{withdrawn}", "de": "Datenschutzhinweis v{version} am {given}{withdrawn}"},
    "mydata.withdrawn": {"en": ", withdrawn on {date}", "de": ", widerrufen am {date}"},
    "mydata.events": {"en": "Program events", "de": "Programm-Ereignisse"},
    "mydata.pseudonym": {"en": "Pseudonym in figures", "de": "Pseudonym in Statistiken"},
    "mydata.known": {"en": "Known to the bot", "de": "Dem Bot bekannt"},
    "mydata.known_line": {"en": "since {created}; account last checked with the platform {checked}; joined {joined}; left {left}",
                          "de": "seit {created}; Konto zuletzt bei der Plattform geprüft {checked}; beigetreten {joined}; ausgetreten {left}"},
    "mydata.department_proposed": {"en": "Department proposed (not confirmed)", "de": "Vorgeschlagene Abteilung (nicht bestätigt)"},
    "mydata.conversations": {"en": "Stored chat addresses (to write to you)", "de": {"du": "Gespeicherte Chat-Adressen (um dir zu schreiben)", "sie": "Gespeicherte Chat-Adressen (um Ihnen zu schreiben)"}},
    "mydata.grants": {"en": "Roles given or taken in chat", "de": "Im Chat gegebene oder genommene Rollen"},
    "mydata.grant_line": {"en": "{role}{dept} {state} on {date}", "de": "{role}{dept} {state} am {date}"},
    "mydata.granted": {"en": "given", "de": "gegeben"},
    "mydata.revoked": {"en": "taken", "de": "genommen"},
    "mydata.grants_made": {"en": "Role changes you made", "de": {"du": "Rollenänderungen durch dich", "sie": "Rollenänderungen durch Sie"}},
    "mydata.pending": {"en": "Messages from you still being worked on", "de": {"du": "Nachrichten von dir in Bearbeitung", "sie": "Nachrichten von Ihnen in Bearbeitung"}},
    "mydata.none": {"en": "none", "de": "keine"},
    "forget.confirm_text": {
        "en": "This deletes your name, e-mail address, chat accounts, settings and consents, and ends your membership. "
              "Program figures keep only an anonymous pseudonym. This can't be undone.",
        "de": {"du": "Das löscht deinen Namen, deine E-Mail-Adresse, Chat-Konten, Einstellungen und Einwilligungen und beendet deine Mitgliedschaft. "
                     "Programmzahlen behalten nur ein anonymes Pseudonym. Das lässt sich nicht rückgängig machen.",
               "sie": "Das löscht Ihren Namen, Ihre E-Mail-Adresse, Chat-Konten, Einstellungen und Einwilligungen und beendet Ihre Mitgliedschaft. "
                      "Programmzahlen behalten nur ein anonymes Pseudonym. Das lässt sich nicht rückgängig machen."},
    },
    "forget.confirm": {"en": "Delete my data", "de": "Meine Daten löschen"},
    "forget.cancel": {"en": "Keep it", "de": "Behalten"},
    "forget.done": {
        "en": "Done: your data is deleted. If you write to me again, I start from scratch.",
        "de": {"du": "Erledigt: Deine Daten sind gelöscht. Wenn du mir wieder schreibst, fange ich bei null an.",
               "sie": "Erledigt: Ihre Daten sind gelöscht. Wenn Sie mir wieder schreiben, fange ich bei null an."},
    },
    "forget.kept": {"en": "Nothing was deleted.", "de": "Es wurde nichts gelöscht."},
}


def register(router: Router) -> None:
    router.command("join", en=["join"], de=["beitreten", "mitmachen"], roles=[EMPLOYEE], personal=True, help_key="join.desc")(join)
    router.action("join.start", roles=[EMPLOYEE], personal=True)(join)
    router.action("join.confirm", roles=[EMPLOYEE], personal=True)(join_confirm)
    router.action("join.cancel", personal=True)(join_cancel)
    router.command("leave", en=["leave"], de=["austreten", "verlassen"], personal=True, help_key="leave.desc")(leave)
    router.command("status", en=["status"], de=["status", "mein status"], personal=True, help_key="status.desc")(status)
    router.command("my data", en=["my data"], de=["meine daten"], personal=True, help_key="mydata.desc")(my_data)
    router.command("forget me", en=["forget me"], de=["vergiss mich"], personal=True, help_key="forget.desc")(forget_me)
    router.action("forget.start", personal=True)(forget_me)
    router.action("forget.confirm", personal=True)(forget_confirm)
    router.action("forget.cancel", personal=True)(forget_cancel)


def _task_user(ctx: Context, task: InboundTask) -> str | None:
    """Whose accepted, unfinished work a task is (its record is sealed with the program key)."""
    try:
        return ctx.settings.key.unseal(task.payload).get("user_id")
    except ProgramKeyError:
        return None


async def join(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if ctx.person.is_member:
        return Reply(text=t("join.already", date=reader_date(ctx.person.joined_at, ctx.lang)))
    app = ctx.settings.app
    contact = app.program.privacy_contact or app.roles.comms_lead or "-"
    return Reply(
        title=t("join.notice_title", program=app.program.name),
        text=t("join.notice", days=app.privacy.retention_days, contact=contact),
        buttons=[
            Button(label=t("join.confirm"), action_id="join.confirm", style="primary",
                   value={"notice_version": app.privacy.notice_version}),
            Button(label=t("join.cancel"), action_id="join.cancel"),
        ],
    )


async def join_confirm(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    app = ctx.settings.app
    async with ctx.db.session() as s:
        person = await s.get(Person, ctx.person.id)
        if person.is_member:
            return Reply(text=t("join.already", date=reader_date(person.joined_at, ctx.lang)))
        version = _notice_version(msg.values.get("notice_version"), app.privacy.notice_version)
        if version is None:
            # Not a notice this bot showed: consent is recorded only for one it did, so show it (again).
            return await join(ctx, msg)
        now = utcnow()
        person.is_member, person.joined_at, person.left_at = True, now, None
        if ctx.person.language is None:
            person.language = ctx.lang  # from now on the bot writes in the language the person joined in
        s.add(Consent(person_id=person.id, notice_version=version, given_at=now))
        s.add(ProgramEvent(kind="join", person_id=person.id, pseudonym=person.pseudonym, at=now))
        await s.commit()
    # Other capabilities' lines for the welcome (the course offers itself), read from their declarations.
    lines, buttons = await ctx.core.router.join_lines(ctx)
    return Reply(text="\n\n".join([t("join.done", program=app.program.name), *lines]), buttons=buttons)


def _notice_version(value: Any, current: int) -> int | None:
    """The privacy notice version a join button carries (none: the current one); None when it names none."""
    if value is None or value == "":
        return current
    try:
        version = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return version if 1 <= version <= current and not isinstance(value, bool) else None


async def join_cancel(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("join.cancelled"))


async def leave(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if not ctx.person.is_member:
        return Reply(text=t("leave.not_member"))
    await ctx.core.leave(ctx.person)
    return Reply(text=t("leave.done", program=ctx.settings.app.program.name))


def _role_list(ctx: Context) -> str:
    # A guest (or someone the platform has not vouched for yet) has no role at all: saying
    # "employee" would promise program access they do not have.
    if ctx.person.is_guest:
        return ctx.t("status.guest")
    if not ctx.roles:
        return ctx.t("status.unverified")
    return role_titles(ctx.roles, ctx.t, ctx.departments)


def _settings_fields(ctx: Context) -> list[Field]:
    t = ctx.t
    p = ctx.person
    app = ctx.settings.app
    if p.quiet_start and p.quiet_start == p.quiet_end:
        quiet = t("status.quiet_off")
    elif p.quiet_start:
        quiet = f"{p.quiet_start}–{p.quiet_end}"
    elif app.quiet_hours.start == app.quiet_hours.end:
        quiet = t("status.quiet_off")
    else:
        quiet = t("status.quiet_company", start=app.quiet_hours.start, end=app.quiet_hours.end)
    return [
        Field(t("status.language"), p.language or t("status.auto")),
        Field(t("status.timezone"), p.timezone or app.timezone),
        Field(t("status.quiet"), quiet),
    ]


async def status(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    p = ctx.person
    membership = t("status.member", date=reader_date(p.joined_at, ctx.lang)) if p.is_member else t("status.not_member")
    fields = [Field(t("status.membership"), membership), Field(t("status.roles"), _role_list(ctx))]
    fields += _settings_fields(ctx)
    buttons = [] if p.is_member or p.is_guest else [Button(label=t("help.join_button"), action_id="join.start", style="primary")]
    return Reply(title=t("status.title"), text="", fields=fields, buttons=buttons)


async def my_data(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    p = ctx.person
    lang = ctx.lang
    async with ctx.db.session() as s:
        identities = (await s.exec(select(Identity).where(Identity.person_id == p.id))).all()
        consents = (await s.exec(select(Consent).where(Consent.person_id == p.id).order_by(Consent.given_at))).all()
        events = (await s.exec(select(ProgramEvent).where(ProgramEvent.person_id == p.id).order_by(ProgramEvent.at))).all()
        accounts = {(i.platform, i.user_id) for i in identities}
        conversations = [c for c in (await s.exec(select(ConversationRef).where(
            ConversationRef.user_id.in_([u for _, u in accounts] or [""])))).all() if (c.platform, c.user_id) in accounts]
        email = (p.email or "").lower()
        grants = (await s.exec(select(RoleGrant).where(func.lower(RoleGrant.email) == email)
                               .order_by(RoleGrant.changed_at))).all() if email else []
        grants_made = (await s.exec(select(func.count()).select_from(RoleGrant)
                                    .where(func.lower(RoleGrant.changed_by) == email))).one() if email else 0
        pending = sum(1 for task in (await s.exec(select(InboundTask).where(InboundTask.status == "pending"))).all()
                      if (task.platform, _task_user(ctx, task)) in accounts)
    consent_lines = [
        t("mydata.consent_line", version=c.notice_version, given=reader_date(c.given_at, lang),
          withdrawn=t("mydata.withdrawn", date=reader_date(c.withdrawn_at, lang)) if c.withdrawn_at else "")
        for c in consents
    ]
    event_lines = [f"{reader_date(e.at, lang)} {e.kind}" for e in events]
    membership = t("status.member", date=reader_date(p.joined_at, lang)) if p.is_member else t("status.not_member")
    fields = [
        Field(t("mydata.name"), p.display_name or "-"),
        Field(t("mydata.email"), p.email or "-"),
        Field(t("mydata.accounts"), ", ".join(f"{i.platform} {i.user_id}" for i in identities)),
        Field(t("mydata.conversations"), ", ".join(
            f"{c.platform} {c.conversation_id} ({reader_date(c.updated_at, lang)})" for c in conversations) or t("mydata.none")),
        Field(t("status.department"), p.department or "-"),
        Field(t("mydata.department_proposed"), p.department_proposed or "-"),
        Field(t("status.membership"), membership),
        Field(t("mydata.known"), t("mydata.known_line", created=reader_date(p.created_at, lang),
                                   checked=reader_date(p.profile_checked_at, lang), joined=reader_date(p.joined_at, lang),
                                   left=reader_date(p.left_at, lang))),
        Field(t("status.roles"), _role_list(ctx)),
        *_settings_fields(ctx),
        Field(t("mydata.consents"), "; ".join(consent_lines) or t("mydata.none")),
        Field(t("mydata.events"), "; ".join(event_lines) or t("mydata.none")),
        Field(t("mydata.grants"), "; ".join(
            t("mydata.grant_line", role=t(f"role1.{g.role}"), dept=f" ({g.department})" if g.department else "",
              state=t("mydata.granted" if g.granted else "mydata.revoked"), date=reader_date(g.changed_at, lang))
            for g in grants) or t("mydata.none")),
        Field(t("mydata.grants_made"), str(grants_made)),
        Field(t("mydata.pending"), str(pending)),
        Field(t("mydata.pseudonym"), p.pseudonym),
    ]
    for provider in ctx.core.router.data_providers:
        fields += [Field(label, value) for label, value in await provider(ctx)]
    return Reply(title=t("mydata.title"), text=t("mydata.intro"), fields=fields,
                 buttons=[Button(label=t("forget.confirm"), action_id="forget.start", style="danger")])


async def forget_me(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    return Reply(
        text=t("forget.confirm_text"),
        buttons=[
            Button(label=t("forget.confirm"), action_id="forget.confirm", style="danger"),
            Button(label=t("forget.cancel"), action_id="forget.cancel"),
        ],
    )


async def forget_confirm(ctx: Context, msg: Incoming) -> Reply:
    for hook in ctx.core.router.forget_hooks:
        await hook(ctx)
    async with ctx.db.session() as s:
        person = await s.get(Person, ctx.person.id)
        if person is not None:
            if person.is_member:
                s.add(ProgramEvent(kind="leave", person_id=None, pseudonym=person.pseudonym, data={"reason": "forget"}))
            # Records kept for the figures lose the link to the person; only the pseudonym stays.
            events = (await s.exec(select(ProgramEvent).where(ProgramEvent.person_id == person.id))).all()
            for e in events:
                e.person_id = None
            await s.execute(delete(Consent).where(Consent.person_id == person.id))
            email = (person.email or "").lower()
            if email:
                # Roles given to the person go; roles the person gave keep who gave them as a pseudonym.
                await s.execute(delete(RoleGrant).where(func.lower(RoleGrant.email) == email))
                await s.execute(update(RoleGrant).where(func.lower(RoleGrant.changed_by) == email)
                                .values(changed_by=person.pseudonym))
            accounts = {(i.platform, i.user_id)
                        for i in (await s.exec(select(Identity).where(Identity.person_id == person.id))).all()}
            for platform, user_id in accounts:
                await s.execute(delete(ConversationRef).where(ConversationRef.platform == platform,
                                                              ConversationRef.user_id == user_id))
            # Work accepted from the person and not finished (this very message among it) carries their
            # platform id, profile and words; finished work keeps none (bot/core.py empties it).
            for task in (await s.exec(select(InboundTask).where(InboundTask.status == "pending"))).all():
                if (task.platform, _task_user(ctx, task)) in accounts:
                    await s.delete(task)
            await s.execute(delete(Identity).where(Identity.person_id == person.id))
            await s.delete(person)
            await s.commit()
    # Deleted rows must not linger in the database file (SQLite: secure_delete, WAL checkpoint).
    await ctx.db.scrub()
    return Reply(text=ctx.t("forget.done"))


async def forget_cancel(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("forget.kept"))


# -- the demo workspace (bot/demo.py) ---------------------------------------------------------------


def demo_plan(demo: Any) -> None:
    """Everyone of the workspace joins in the first days; sara within the meeting report's period."""
    for i, person in enumerate(demo.members()):
        first = (person.email or "").split("@")[0].split(".")[0]
        when = demo.recent(0.08) if first == "sara" else demo.day(0 if i < 2 else demo.rng.uniform(0, 9))
        demo.at(when, lambda person=person: _demo_join(demo, person))


async def _demo_join(demo: Any, person: Person) -> None:
    """What join_confirm writes: the member, the consent, the program event."""
    now = demo.core.now()
    async with demo.core.db.session() as s:
        row = await s.get(Person, person.id)
        row.is_member, row.joined_at, row.left_at = True, now, None
        # As a platform would report it: their own language setting stays automatic, so the one the
        # terminal speaks (--lang, LANG) answers them, and messages the bot starts use this one.
        row.locale = row.locale or ("en" if demo.rng.random() < 0.3 else "de")
        s.add(Consent(person_id=row.id, notice_version=demo.settings.app.privacy.notice_version, given_at=now))
        s.add(ProgramEvent(kind="join", person_id=row.id, pseudonym=row.pseudonym, at=now))
        await s.commit()


CAPABILITY = Capability(name="membership", register=register, texts=(TEXTS,), demo=DemoSeed(plan=demo_plan))
