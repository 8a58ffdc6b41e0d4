"""Each person's own settings: language, time zone, quiet hours."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core import Context
from bot.i18n import normalize_language
from bot.messages import Incoming, Reply
from bot.router import Router
from storage.models import Person

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
    "quiet.usage": {"en": "quiet hours 20:00-08:00|off", "de": "ruhezeiten 20:00-08:00|aus"},
    "quiet.set": {"en": "No nudges between {start} and {end} from now on.", "de": "Ab jetzt keine Erinnerungen zwischen {start} und {end}."},
    "quiet.default": {"en": "Your quiet hours are back to the company's default ({start}–{end}).", "de": {"du": "Deine Ruhezeiten sind wieder die des Unternehmens ({start}–{end}).", "sie": "Ihre Ruhezeiten sind wieder die des Unternehmens ({start}–{end})."}},
    "quiet.bad": {
        "en": "Write the quiet hours as start-end in 24-hour time, for example *quiet hours 20:00-08:00*, or *quiet hours off*.",
        "de": {"du": "Schreib die Ruhezeiten als Beginn-Ende im 24-Stunden-Format, zum Beispiel *ruhezeiten 20:00-08:00*, oder *ruhezeiten aus*.",
               "sie": "Schreiben Sie die Ruhezeiten als Beginn-Ende im 24-Stunden-Format, zum Beispiel *ruhezeiten 20:00-08:00*, oder *ruhezeiten aus*."},
    },
}

TEXTS_DEPARTMENT = {
    "department.desc": {"en": "set your department", "de": {"du": "deine Abteilung festlegen", "sie": "Ihre Abteilung festlegen"}},
    "department.usage": {"en": "department NAME|none", "de": "abteilung NAME|keine"},
    "department.show": {"en": "Your department: {department}. Departments: {departments}.", "de": {"du": "Deine Abteilung: {department}. Abteilungen: {departments}.", "sie": "Ihre Abteilung: {department}. Abteilungen: {departments}."}},
    "department.cleared": {"en": "Your department is no longer set.", "de": {"du": "Deine Abteilung ist nicht mehr gesetzt.", "sie": "Ihre Abteilung ist nicht mehr gesetzt."}},
    "department.none": {"en": "none", "de": "keine"},
    "department.set": {"en": "Your department is now {department}.", "de": {"du": "Deine Abteilung ist jetzt {department}.", "sie": "Ihre Abteilung ist jetzt {department}."}},
    "department.bad": {
        "en": "Pick one of the departments: {departments}. For example *department {example}*.",
        "de": {"du": "Wähle eine der Abteilungen: {departments}. Zum Beispiel *abteilung {example}*.",
               "sie": "Wählen Sie eine der Abteilungen: {departments}. Zum Beispiel *abteilung {example}*."},
    },
}

_RANGE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to|bis)\s*(\d{1,2})(?::(\d{2}))?$", re.IGNORECASE)


def register(router: Router) -> None:
    router.texts(TEXTS)
    router.texts(TEXTS_DEPARTMENT)
    router.command("language", en=["language"], de=["sprache"], personal=True, help_key="language.desc", usage_key="language.usage")(language)
    router.command("timezone", en=["timezone", "time zone"], de=["zeitzone"], personal=True, help_key="timezone.desc", usage_key="timezone.usage")(timezone)
    router.command("department", en=["department"], de=["abteilung"], personal=True, help_key="department.desc", usage_key="department.usage")(department)
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
    if arg in ("off", "aus", "default", "standard"):
        await _update(ctx, quiet_start=None, quiet_end=None)
        return Reply(text=ctx.t("quiet.default", start=app.quiet_hours.start, end=app.quiet_hours.end))
    m = _RANGE.match(arg)
    if not m:
        return Reply(text=ctx.t("quiet.bad"))
    h1, m1, h2, m2 = int(m[1]), int(m[2] or 0), int(m[3]), int(m[4] or 0)
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return Reply(text=ctx.t("quiet.bad"))
    start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
    await _update(ctx, quiet_start=start, quiet_end=end)
    return Reply(text=ctx.t("quiet.set", start=start, end=end))


async def department(ctx: Context, msg: Incoming) -> Reply:
    """People say which department they are in: department polls, feedback and figures use it."""
    t = ctx.t
    known = ctx.settings.app.departments
    names = ", ".join(known) or "-"
    wanted = " ".join(ctx.args.split())
    if not wanted:
        return Reply(text=t("department.show", department=ctx.person.department or t("department.none"), departments=names))
    if wanted.lower() in ("none", "keine", "off", "aus", "-"):
        await _update(ctx, department=None)
        return Reply(text=t("department.cleared"))
    match = next((d for d in known if d.lower() == wanted.lower()), None)
    if match is None:
        return Reply(text=t("department.bad", departments=names, example=known[0] if known else "Sales"))
    await _update(ctx, department=match)
    return Reply(text=t("department.set", department=match))
