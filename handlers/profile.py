"""Each person's own settings: language, time zone, quiet hours; their department (proposed, then confirmed)."""

from __future__ import annotations

import logging
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, or_, update
from sqlmodel import select

from bot.capability import Capability, ScheduledJob
from bot.core import Context, Core, DeliveryError
from bot.i18n import normalize_language
from bot.messages import Button, Field, Incoming, Reply, button_id
from bot.router import COMMUNICATOR, LEAD, Router
from handlers.roles import effective_roles
from storage.models import Person, ProgramEvent

log = logging.getLogger(__name__)

# Stored as start and end of a person's quiet hours for "off": an empty window.
NO_QUIET_HOURS = "00:00"

TEXTS = {
    "language.desc": {"en": "set your language (de, en or auto)", "de": {"du": "deine Sprache festlegen (de, en oder auto)", "sie": "Ihre Sprache festlegen (de, en oder auto)"}},
    "language.usage": {"en": "language de|en|auto", "de": "sprache de|en|auto"},
    "language.set": {"en": "From now on I write to you in English.", "de": {"du": "Ab jetzt schreibe ich dir auf Deutsch.", "sie": "Ab jetzt schreibe ich Ihnen auf Deutsch."}},
    "language.auto": {
        "en": "From now on I answer in the language you write in.",
        "de": {"du": "Ab jetzt antworte ich in der Sprache, in der du schreibst.", "sie": "Ab jetzt antworte ich in der Sprache, in der Sie schreiben."},
    },
    "language.bad": {
        "en": "I speak German (de) and English (en). Write for example *language en*, or *language auto*.",
        "de": {"du": "Ich spreche Deutsch (de) und Englisch (en). Schreib zum Beispiel *sprache de* oder *sprache auto*.",
               "sie": "Ich spreche Deutsch (de) und Englisch (en). Schreiben Sie zum Beispiel *sprache de* oder *sprache auto*."},
    },
    "timezone.desc": {"en": "set your time zone", "de": {"du": "deine Zeitzone festlegen", "sie": "Ihre Zeitzone festlegen"}},
    "timezone.usage": {"en": "timezone Europe/Berlin", "de": "zeitzone Europe/Berlin"},
    "timezone.set": {"en": "Your time zone is now {tz}.", "de": {"du": "Deine Zeitzone ist jetzt {tz}.", "sie": "Ihre Zeitzone ist jetzt {tz}."}},
    "timezone.bad": {
        "en": "“{value}” is not a time zone I know. Use a name like Europe/Berlin or America/New_York.",
        "de": {"du": "„{value}“ ist keine Zeitzone, die ich kenne. Nutze einen Namen wie Europe/Berlin oder America/New_York.",
               "sie": "„{value}“ ist keine Zeitzone, die ich kenne. Nutzen Sie einen Namen wie Europe/Berlin oder America/New_York."},
    },
    "quiet.desc": {"en": "set your quiet hours (no nudges then)", "de": {"du": "deine Ruhezeiten festlegen (dann keine Erinnerungen)", "sie": "Ihre Ruhezeiten festlegen (dann keine Erinnerungen)"}},
    "quiet.usage": {"en": "quiet hours 20:00-08:00|off|default", "de": "ruhezeiten 20:00-08:00|aus|standard"},
    "quiet.off": {"en": "No quiet hours for you from now on: nudges may come at any time of day. *quiet hours default* brings back the company's ({start}–{end}).",
                  "de": {"du": "Ab jetzt hast du keine Ruhezeiten: Erinnerungen können zu jeder Tageszeit kommen. *ruhezeiten standard* holt die des Unternehmens zurück ({start}–{end}).",
                         "sie": "Ab jetzt haben Sie keine Ruhezeiten: Erinnerungen können zu jeder Tageszeit kommen. *ruhezeiten standard* holt die des Unternehmens zurück ({start}–{end})."}},
    "quiet.set": {"en": "No nudges between {start} and {end} from now on.", "de": "Ab jetzt keine Erinnerungen zwischen {start} und {end}."},
    "quiet.default": {"en": "Your quiet hours are back to the company's default ({start}–{end}).", "de": {"du": "Deine Ruhezeiten sind wieder die des Unternehmens ({start}–{end}).", "sie": "Ihre Ruhezeiten sind wieder die des Unternehmens ({start}–{end})."}},
    "quiet.bad": {
        "en": "Write the quiet hours as start-end in 24-hour time, for example *quiet hours 20:00-08:00*, or *quiet hours off* (none), or *quiet hours default* (the company's).",
        "de": {"du": "Schreib die Ruhezeiten als Beginn-Ende im 24-Stunden-Format, zum Beispiel *ruhezeiten 20:00-08:00*, oder *ruhezeiten aus* (keine), oder *ruhezeiten standard* (die des Unternehmens).",
               "sie": "Schreiben Sie die Ruhezeiten als Beginn-Ende im 24-Stunden-Format, zum Beispiel *ruhezeiten 20:00-08:00*, oder *ruhezeiten aus* (keine), oder *ruhezeiten standard* (die des Unternehmens)."},
    },
}

TEXTS_DEPARTMENT = {
    "department.desc": {"en": "show or propose your department", "de": {"du": "deine Abteilung zeigen oder vorschlagen", "sie": "Ihre Abteilung zeigen oder vorschlagen"}},
    "department.usage": {"en": "department NAME|none", "de": "abteilung NAME|keine"},
    "department.show": {
        "en": "Your department: {department}{pending}. Departments: {departments}.",
        "de": {"du": "Deine Abteilung: {department}{pending}. Abteilungen: {departments}.",
               "sie": "Ihre Abteilung: {department}{pending}. Abteilungen: {departments}."},
    },
    "department.pending": {"en": " (proposed: {department}, waiting for {who})", "de": " (vorgeschlagen: {department}, wartet auf {who})"},
    "department.cleared": {
        "en": "Your department is no longer set: department-only polls and results are closed to you now.",
        "de": {"du": "Deine Abteilung ist nicht mehr gesetzt: Abteilungsumfragen und ihre Ergebnisse sind dir jetzt verschlossen.",
               "sie": "Ihre Abteilung ist nicht mehr gesetzt: Abteilungsumfragen und ihre Ergebnisse sind Ihnen jetzt verschlossen."},
    },
    "department.none": {"en": "none", "de": "keine"},
    "department.proposed": {
        "en": "Noted: you proposed {department}. Its polls and results open to you once {who} confirms it; I've told them.",
        "de": {"du": "Notiert: Du hast {department} vorgeschlagen. Ihre Umfragen und Ergebnisse öffnen sich für dich, sobald {who} bestätigt; ich habe Bescheid gegeben.",
               "sie": "Notiert: Sie haben {department} vorgeschlagen. Ihre Umfragen und Ergebnisse öffnen sich für Sie, sobald {who} bestätigt; ich habe Bescheid gegeben."},
    },
    "department.proposed_unreached": {
        "en": "Noted: you proposed {department}. Its polls and results open to you once {who} confirms it; I couldn't reach them, so please ask them to write *department confirm {email}*.",
        "de": {"du": "Notiert: Du hast {department} vorgeschlagen. Ihre Umfragen und Ergebnisse öffnen sich für dich, sobald {who} bestätigt; ich konnte niemanden erreichen, bitte sie, *abteilung bestätigen {email}* zu schreiben.",
               "sie": "Notiert: Sie haben {department} vorgeschlagen. Ihre Umfragen und Ergebnisse öffnen sich für Sie, sobald {who} bestätigt; ich konnte niemanden erreichen, bitten Sie sie, *abteilung bestätigen {email}* zu schreiben."},
    },
    "department.already": {"en": "{department} is already your confirmed department.", "de": {"du": "{department} ist schon deine bestätigte Abteilung.", "sie": "{department} ist schon Ihre bestätigte Abteilung."}},
    "department.configured": {
        "en": "Your department is {department}, set in the program's configuration (app.yaml); the comms lead can change it there.",
        "de": {"du": "Deine Abteilung ist {department}, festgelegt in der Programmkonfiguration (app.yaml); die Kommunikationsleitung kann sie dort ändern.",
               "sie": "Ihre Abteilung ist {department}, festgelegt in der Programmkonfiguration (app.yaml); die Kommunikationsleitung kann sie dort ändern."},
    },
    "department.who": {"en": "the comms lead or a communicator of {department}", "de": "die Kommunikationsleitung oder eine Kommunikatorin bzw. ein Kommunikator von {department}"},
    "department.bad": {
        "en": "Pick one of the departments: {departments}. For example *department {example}*.",
        "de": {"du": "Wähle eine der Abteilungen: {departments}. Zum Beispiel *abteilung {example}*.",
               "sie": "Wählen Sie eine der Abteilungen: {departments}. Zum Beispiel *abteilung {example}*."},
    },
    # To the lead and the department's communicators.
    "department.ask_title": {"en": "Department to confirm", "de": "Abteilung bestätigen"},
    "department.ask": {
        "en": "{name} ({email}) says they work in {department}. Confirming opens {department}'s polls and results to them.",
        "de": "{name} ({email}) gibt an, in {department} zu arbeiten. Die Bestätigung öffnet die Umfragen und Ergebnisse von {department} für diese Person.",
    },
    "department.confirm_button": {"en": "Confirm {department}", "de": "{department} bestätigen"},
    "department.decline_button": {"en": "Decline", "de": "Ablehnen"},
    "department.confirm_desc": {"en": "confirm a person's department (lead, that department's communicators)",
                                "de": "die Abteilung einer Person bestätigen (Kommunikationsleitung, Kommunikator*innen der Abteilung)"},
    "department.confirm_usage": {"en": "department confirm EMAIL [DEPARTMENT]", "de": "abteilung bestätigen E-MAIL [ABTEILUNG]"},
    "department.list_desc": {"en": "who is in which department, and proposals waiting", "de": "wer in welcher Abteilung ist, und offene Vorschläge"},
    "department.confirm_bad": {
        "en": "Write *department confirm EMAIL [DEPARTMENT]*, for example *department confirm erik@example.com Sales*.",
        "de": {"du": "Schreib *abteilung bestätigen E-MAIL [ABTEILUNG]*, zum Beispiel *abteilung bestätigen erik@example.com Sales*.",
               "sie": "Schreiben Sie *abteilung bestätigen E-MAIL [ABTEILUNG]*, zum Beispiel *abteilung bestätigen erik@example.com Sales*."},
    },
    "department.unknown_person": {"en": "Nobody with the address {email} has written to me yet.", "de": "Mit der Adresse {email} hat mir noch niemand geschrieben."},
    "department.no_proposal": {
        "en": "{email} has not proposed a department; name it: *department confirm {email} DEPARTMENT*.",
        "de": {"du": "{email} hat keine Abteilung vorgeschlagen; nenne sie: *abteilung bestätigen {email} ABTEILUNG*.",
               "sie": "{email} hat keine Abteilung vorgeschlagen; nennen Sie sie: *abteilung bestätigen {email} ABTEILUNG*."},
    },
    "department.not_yours": {
        "en": "Only the comms lead or a communicator of {department} can confirm {department}.",
        "de": "{department} können nur die Kommunikationsleitung oder Kommunikator*innen von {department} bestätigen.",
    },
    "department.config_wins": {
        "en": "{email}'s department is {department} in app.yaml, which wins over chat; change it there.",
        "de": "Die Abteilung von {email} ist in app.yaml {department}, und app.yaml geht vor; ändern Sie sie dort.",
    },
    "department.confirmed": {"en": "{email} is now confirmed in {department}.", "de": "{email} ist jetzt in {department} bestätigt."},
    "department.stale": {
        "en": "{email} no longer proposes {department}; nothing changed.",
        "de": "{email} schlägt {department} nicht mehr vor; nichts wurde geändert.",
    },
    "department.declined": {"en": "Declined: {email} stays out of {department}.", "de": "Abgelehnt: {email} bleibt außerhalb von {department}."},
    "department.you_confirmed": {
        "en": "Your department {department} is confirmed: its polls and results are open to you.",
        "de": {"du": "Deine Abteilung {department} ist bestätigt: Ihre Umfragen und Ergebnisse stehen dir offen.",
               "sie": "Ihre Abteilung {department} ist bestätigt: Ihre Umfragen und Ergebnisse stehen Ihnen offen."},
    },
    "department.you_declined": {
        "en": "Your proposal of {department} as your department was not confirmed. Ask the comms lead if you think it should be.",
        "de": {"du": "Dein Vorschlag {department} als Abteilung wurde nicht bestätigt. Frag die Kommunikationsleitung, wenn du meinst, dass er stimmt.",
               "sie": "Ihr Vorschlag {department} als Abteilung wurde nicht bestätigt. Fragen Sie die Kommunikationsleitung, wenn Sie meinen, dass er stimmt."},
    },
    "department.list_title": {"en": "Departments", "de": "Abteilungen"},
    "department.list_text": {
        "en": "Confirmed members (app.yaml wins) and proposals waiting for confirmation.",
        "de": "Bestätigte Mitglieder (app.yaml geht vor) und Vorschläge, die auf Bestätigung warten.",
    },
    "department.list_proposed": {"en": "{department}: proposed", "de": "{department}: vorgeschlagen"},
}

_RANGE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to|bis)\s*(\d{1,2})(?::(\d{2}))?$", re.IGNORECASE)


def register(router: Router) -> None:
    router.command("language", en=["language"], de=["sprache"], personal=True, help_key="language.desc", usage_key="language.usage")(language)
    router.command("timezone", en=["timezone", "time zone"], de=["zeitzone"], personal=True, help_key="timezone.desc", usage_key="timezone.usage")(timezone)
    router.command("department", en=["department"], de=["abteilung"], personal=True, help_key="department.desc", usage_key="department.usage")(department)
    router.command("department confirm", en=["department confirm"], de=["abteilung bestätigen"], roles=[LEAD, COMMUNICATOR],
                   help_key="department.confirm_desc", usage_key="department.confirm_usage")(department_confirm)
    router.command("department list", en=["department list", "departments"], de=["abteilung liste", "abteilungen"],
                   roles=[LEAD, COMMUNICATOR], help_key="department.list_desc")(department_list)
    router.action("department.confirm", roles=[LEAD, COMMUNICATOR])(department_confirm_action)
    router.action("department.decline", roles=[LEAD, COMMUNICATOR])(department_decline_action)
    router.command("quiet hours", en=["quiet hours"], de=["ruhezeiten", "ruhezeit"], personal=True, help_key="quiet.desc", usage_key="quiet.usage")(quiet_hours)


async def _update(ctx: Context, **values) -> None:
    async with ctx.db.session() as s:
        person = await s.get(Person, ctx.person.id)
        for k, v in values.items():
            setattr(person, k, v)
            setattr(ctx.person, k, v)
        await s.commit()


async def language(ctx: Context, msg: Incoming) -> Reply:
    arg = ctx.args.strip().lower()
    if arg in ("auto", "automatisch"):
        await _update(ctx, language=None)
        return Reply(text=ctx.t("language.auto"))
    lang = normalize_language(arg)
    if not lang:
        return Reply(text=ctx.t("language.bad"))
    await _update(ctx, language=lang)
    return Reply(text=ctx.core.translator(lang)("language.set"))


async def timezone(ctx: Context, msg: Incoming) -> Reply:
    value = ctx.args.strip()
    try:
        if not value or "\x00" in value:
            raise ValueError
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return Reply(text=ctx.t("timezone.bad", value=value[:60]))
    await _update(ctx, timezone=value)
    return Reply(text=ctx.t("timezone.set", tz=value))


async def quiet_hours(ctx: Context, msg: Incoming) -> Reply:
    arg = ctx.args.strip().lower()
    app = ctx.settings.app
    if arg in ("default", "standard", "company", "unternehmen"):
        await _update(ctx, quiet_start=None, quiet_end=None)
        return Reply(text=ctx.t("quiet.default", start=app.quiet_hours.start, end=app.quiet_hours.end))
    if arg in ("off", "aus", "none", "keine"):
        # A window that ends where it starts holds no time: no quiet hours at all.
        await _update(ctx, quiet_start=NO_QUIET_HOURS, quiet_end=NO_QUIET_HOURS)
        return Reply(text=ctx.t("quiet.off", start=app.quiet_hours.start, end=app.quiet_hours.end))
    m = _RANGE.match(arg)
    if not m:
        return Reply(text=ctx.t("quiet.bad"))
    h1, m1, h2, m2 = int(m[1]), int(m[2] or 0), int(m[3]), int(m[4] or 0)
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return Reply(text=ctx.t("quiet.bad"))
    start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
    await _update(ctx, quiet_start=start, quiet_end=end)
    return Reply(text=ctx.t("quiet.set", start=start, end=end))


# -- departments: proposed by the person, confirmed by app.yaml, the lead or the department's communicator --


def configured_departments(app) -> dict[str, str]:
    """e-mail -> department named in app.yaml: ``people`` first, then a communicator's one department."""
    out: dict[str, str] = {}
    by_communicator: dict[str, set[str]] = {}
    for c in app.roles.communicators:
        by_communicator.setdefault(str(c.email).lower(), set()).add(c.department)
    for email, depts in by_communicator.items():
        if len(depts) == 1:  # a communicator of several departments is in none of them by app.yaml
            out[email] = next(iter(depts))
    for p in app.people:
        out[str(p.email).lower()] = p.department
    return out


async def apply_configured_departments(core: Core) -> int:
    """Bring the people app.yaml names into their departments (a job, and before each department answer)."""
    changed = 0
    async with core.db.session() as s:
        for email, dept in configured_departments(core.settings.app).items():
            res = await s.execute(
                update(Person)
                .where(func.lower(Person.email) == email)
                .where(or_(Person.department.is_(None), Person.department != dept, Person.department_proposed.is_not(None)))
                .values(department=dept, department_proposed=None))
            changed += res.rowcount or 0
        await s.commit()
    return changed


def _match_department(known: list[str], wanted: str) -> str | None:
    return next((d for d in known if d.lower() == wanted.lower()), None)


def _who_confirms(t, department: str) -> str:
    return t("department.who", department=department)


async def _confirmers(ctx: Context, department: str) -> list[str]:
    """E-mail addresses of the comms lead and the department's communicators (app.yaml plus chat changes)."""
    table = await effective_roles(ctx)
    emails = sorted(table.get((LEAD, ""), set())) + sorted(table.get((COMMUNICATOR, department), set()))
    return list(dict.fromkeys(emails))


async def _sync_own(ctx: Context) -> str | None:
    """The asker's department from app.yaml (written through when it differs), or None."""
    dept = configured_departments(ctx.settings.app).get((ctx.person.email or "").lower())
    if dept is not None and (ctx.person.department != dept or ctx.person.department_proposed is not None):
        await _update(ctx, department=dept, department_proposed=None)
    return dept


async def department(ctx: Context, msg: Incoming) -> Reply:
    """People see their department and propose one; department polls and results use only a confirmed one."""
    t = ctx.t
    known = ctx.settings.app.departments
    names = ", ".join(known) or "-"
    wanted = " ".join(ctx.args.split())
    configured = await _sync_own(ctx)
    if not wanted:
        p = ctx.person
        pending = t("department.pending", department=p.department_proposed, who=_who_confirms(t, p.department_proposed)) \
            if p.department_proposed else ""
        return Reply(text=t("department.show", department=p.department or t("department.none"), pending=pending,
                            departments=names))
    if wanted.lower() in ("none", "keine", "off", "aus", "-"):
        # Leaving a department only takes access away, so the person's word is enough; app.yaml still wins.
        if configured is not None:
            return Reply(text=t("department.configured", department=configured))
        await _update(ctx, department=None, department_proposed=None)
        return Reply(text=t("department.cleared"))
    match = _match_department(known, wanted)
    if match is None:
        return Reply(text=t("department.bad", departments=names, example=known[0] if known else "Sales"))
    if configured is not None:
        return Reply(text=t("department.configured", department=configured))
    if ctx.person.department == match:
        await _update(ctx, department_proposed=None)
        return Reply(text=t("department.already", department=match))
    await _update(ctx, department_proposed=match)
    reached = await _ask_confirmers(ctx, match)
    key = "department.proposed" if reached else "department.proposed_unreached"
    return Reply(text=t(key, department=match, who=_who_confirms(t, match), email=ctx.person.email or "-"))


async def _ask_confirmers(ctx: Context, department: str) -> int:
    """A notice with Confirm / Decline buttons to the lead and the department's communicators; how many got it."""
    p = ctx.person
    reached = 0
    for email in await _confirmers(ctx, department):
        if email == (p.email or "").lower():
            continue
        try:
            person = await ctx.core.person_by_email(email)
            if person is None:
                continue
            t = ctx.core.translator(ctx.core.language_of(person))
            value = {"person": p.id, "department": department}
            await ctx.core.notify(person.id, [Reply(
                title=t("department.ask_title"),
                text=t("department.ask", name=p.display_name or p.email or p.pseudonym, email=p.email or "-",
                       department=department),
                buttons=[Button(label=t("department.confirm_button", department=department), action_id="department.confirm",
                                style="primary", value=value),
                         Button(label=t("department.decline_button"), action_id="department.decline", value=value)])])
            reached += 1
        except DeliveryError as exc:
            log.warning("department confirmation request not delivered", extra={"error": str(exc)[:200]})
    return reached


def _may_confirm(ctx: Context, department: str) -> bool:
    return LEAD in ctx.roles or department in ctx.departments


async def _decide(ctx: Context, person_id: int | None, email: str | None, department: str | None, *,
                  confirm: bool, from_button: bool) -> Reply:
    t = ctx.t
    async with ctx.db.session() as s:
        if person_id is not None:
            person = await s.get(Person, person_id)
        else:
            person = (await s.exec(select(Person).where(func.lower(Person.email) == (email or "").lower()))).first()
        if person is None:
            return Reply(text=t("department.unknown_person", email=email or "-"))
        who = person.email or person.pseudonym
        if department is None:
            if not person.department_proposed:
                return Reply(text=t("department.no_proposal", email=who))
            department = person.department_proposed
        if not _may_confirm(ctx, department):
            return Reply(text=t("department.not_yours", department=department))
        if from_button and person.department_proposed != department:
            return Reply(text=t("department.stale", email=who, department=department))
        configured = configured_departments(ctx.settings.app).get((person.email or "").lower())
        if configured is not None:
            person.department, person.department_proposed = configured, None
            await s.commit()
            return Reply(text=t("department.config_wins", email=who, department=configured))
        if confirm:
            person.department = department
        if person.department_proposed == department or confirm:
            person.department_proposed = None
        s.add(ProgramEvent(kind="department_confirmed" if confirm else "department_declined", person_id=person.id,
                           pseudonym=person.pseudonym, data={"department": department, "by": ctx.person.pseudonym}))
        await s.commit()
        target_id, target_lang = person.id, ctx.core.language_of(person)
    pt = ctx.core.translator(target_lang)
    try:
        await ctx.core.notify(target_id, [Reply(text=pt("department.you_confirmed" if confirm else "department.you_declined",
                                                       department=department))])
    except DeliveryError as exc:
        log.info("department decision not delivered to the person", extra={"error": str(exc)[:200]})
    return Reply(text=t("department.confirmed" if confirm else "department.declined", email=who, department=department))


async def department_confirm(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    parts = ctx.args.split()
    if not parts:
        return Reply(text=t("department.confirm_bad"))
    email = parts[0].strip("<>").removeprefix("mailto:").lower()
    if "@" not in email:
        return Reply(text=t("department.confirm_bad"))
    department = None
    if len(parts) > 1:
        known = ctx.settings.app.departments
        department = _match_department(known, " ".join(parts[1:]))
        if department is None:
            return Reply(text=t("department.bad", departments=", ".join(known) or "-", example=known[0] if known else "Sales"))
    return await _decide(ctx, None, email, department, confirm=True, from_button=False)


def _button_target(msg: Incoming) -> tuple[int | None, str | None]:
    pid = button_id(msg.values.get("person"))  # Infinity, 2**80, a bool: not a person's id
    dept = msg.values.get("department")
    return pid, dept if isinstance(dept, str) else None


async def department_confirm_action(ctx: Context, msg: Incoming) -> Reply:
    pid, dept = _button_target(msg)
    if pid is None or dept is None:
        return Reply(text=ctx.t("department.confirm_bad"))
    return await _decide(ctx, pid, None, dept, confirm=True, from_button=True)


async def department_decline_action(ctx: Context, msg: Incoming) -> Reply:
    pid, dept = _button_target(msg)
    if pid is None or dept is None:
        return Reply(text=ctx.t("department.confirm_bad"))
    return await _decide(ctx, pid, None, dept, confirm=False, from_button=True)


async def department_list(ctx: Context, msg: Incoming) -> Reply:
    """The lead sees every department, a communicator their own: confirmed people and waiting proposals."""
    t = ctx.t
    await apply_configured_departments(ctx.core)
    depts = list(ctx.settings.app.departments) if LEAD in ctx.roles else list(ctx.departments)
    fields = []
    async with ctx.db.session() as s:
        for d in depts:
            confirmed = (await s.exec(select(Person.email).where(Person.department == d).order_by(Person.email))).all()
            proposed = (await s.exec(select(Person.email).where(Person.department_proposed == d)
                                     .order_by(Person.email))).all()
            fields.append(Field(d, ", ".join(e or "-" for e in confirmed) or t("department.none")))
            if proposed:
                fields.append(Field(t("department.list_proposed", department=d), ", ".join(e or "-" for e in proposed)))
    return Reply(title=t("department.list_title"), text=t("department.list_text"), fields=fields)


CAPABILITY = Capability(
    name="profile", register=register, texts=(TEXTS, TEXTS_DEPARTMENT),
    jobs=(ScheduledJob(300, "departments-from-config", apply_configured_departments),),
)
