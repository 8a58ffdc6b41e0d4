"""Roles from chat: the comms lead lists, gives and takes roles without a restart."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlmodel import select

from bot.capability import Capability
from bot.core import Context
from bot.messages import Field, Incoming, Reply
from bot.router import BACKUP, COMMUNICATOR, CORE, LEAD, Router
from storage.models import RoleGrant, utcnow

TEXTS = {
    "roles.desc": {"en": "list who has which role", "de": "zeigen, wer welche Rolle hat"},
    "role.desc": {"en": "give or take a role", "de": "eine Rolle geben oder nehmen"},
    "role.usage": {"en": "role add|remove EMAIL core|communicator|backup [DEPARTMENT]",
                   "de": "rolle add|remove E-MAIL core|communicator|backup [ABTEILUNG]"},
    "roles.title": {"en": "Roles", "de": "Rollen"},
    "roles.text": {"en": "From app.yaml, with the changes made in chat.", "de": "Aus app.yaml, mit den Änderungen aus dem Chat."},
    "roles.nobody": {"en": "nobody", "de": "niemand"},
    "role.bad": {
        "en": "Write *role add EMAIL ROLE [DEPARTMENT]* or *role remove EMAIL ROLE [DEPARTMENT]*; roles are core, communicator (with a department) and backup.",
        "de": {"du": "Schreib *rolle add E-MAIL ROLLE [ABTEILUNG]* oder *rolle remove E-MAIL ROLLE [ABTEILUNG]*; Rollen sind core, communicator (mit Abteilung) und backup.",
               "sie": "Schreiben Sie *rolle add E-MAIL ROLLE [ABTEILUNG]* oder *rolle remove E-MAIL ROLLE [ABTEILUNG]*; Rollen sind core, communicator (mit Abteilung) und backup."},
    },
    "role.bad_email": {"en": "“{value}” is not a valid e-mail address.", "de": "„{value}“ ist keine gültige E-Mail-Adresse."},
    "role.need_department": {
        "en": "A communicator needs a department, for example *role add {email} communicator Sales*. Known departments: {departments}.",
        "de": "Kommunikator*innen brauchen eine Abteilung, zum Beispiel *rolle add {email} communicator Sales*. Bekannte Abteilungen: {departments}.",
    },
    "role.unknown_department": {
        "en": "“{department}” is not a department in app.yaml. Known departments: {departments}.",
        "de": "„{department}“ ist keine Abteilung aus app.yaml. Bekannte Abteilungen: {departments}.",
    },
    "role.added": {"en": "{email} is now {role}{dept}.", "de": "{email} ist jetzt {role}{dept}."},
    "role.removed": {"en": "{email} is no longer {role}{dept}.", "de": "{email} ist nicht mehr {role}{dept}."},
    "role.not_held": {"en": "{email} is not {role}{dept}, so there is nothing to remove; nothing changed.",
                      "de": "{email} ist nicht {role}{dept}, es gibt also nichts zu entfernen; nichts wurde geändert."},
}

_ROLE_WORDS = {
    "core": CORE, "kerngruppe": CORE,
    "communicator": COMMUNICATOR, "kommunikator": COMMUNICATOR, "kommunikatorin": COMMUNICATOR,
    "backup": BACKUP, "vertretung": BACKUP,
}


def register(router: Router) -> None:
    router.command("roles", en=["roles"], de=["rollen"], roles=[LEAD], help_key="roles.desc")(roles)
    router.command("role", en=["role"], de=["rolle"], roles=[LEAD], help_key="role.desc", usage_key="role.usage")(role)


async def effective_roles(ctx: Context) -> dict[tuple[str, str], set[str]]:
    """(role, department) -> e-mail addresses, config plus chat changes."""
    cfg = ctx.settings.app.roles
    out: dict[tuple[str, str], set[str]] = {}

    def put(role: str, dept: str, email: str) -> None:
        out.setdefault((role, dept), set()).add(email.lower())

    if cfg.comms_lead:
        put(LEAD, "", cfg.comms_lead)
    for b in cfg.backup:
        put(BACKUP, "", b)
    for c in cfg.communicators:
        put(COMMUNICATOR, c.department, c.email)
    for m in cfg.core_group:
        put(CORE, "", m)
    async with ctx.db.session() as s:
        for g in (await s.exec(select(RoleGrant).order_by(RoleGrant.changed_at))).all():
            if g.granted:
                put(g.role, g.department, g.email)
            else:
                out.get((g.role, g.department), set()).discard(g.email)
    return out


async def roles(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    table = await effective_roles(ctx)
    fields = []
    for (role, dept), emails in sorted(table.items(), key=lambda kv: (-_rank(kv[0][0]), kv[0][1])):
        label = t(f"role.{role}") + (f" ({dept})" if dept else "")
        fields.append(Field(label, ", ".join(sorted(emails)) or t("roles.nobody")))
    return Reply(title=t("roles.title"), text=t("roles.text"), fields=fields)


def _rank(role: str) -> int:
    return [CORE, COMMUNICATOR, BACKUP, LEAD].index(role) if role in (CORE, COMMUNICATOR, BACKUP, LEAD) else -1


async def role(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    parts = ctx.args.split()
    if len(parts) < 3 or parts[0].lower() not in ("add", "remove", "hinzufügen", "entfernen"):
        return Reply(text=t("role.bad"))
    grant = parts[0].lower() in ("add", "hinzufügen")
    try:
        email = validate_email(parts[1].strip("<>").removeprefix("mailto:"), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return Reply(text=t("role.bad_email", value=parts[1][:80]))
    role_name = _ROLE_WORDS.get(parts[2].lower())
    if role_name is None:
        return Reply(text=t("role.bad"))
    dept = " ".join(parts[3:]).strip()
    known = ctx.settings.app.departments
    if role_name == COMMUNICATOR:
        if not dept:
            return Reply(text=t("role.need_department", email=email, departments=", ".join(known) or "-"))
        match = next((d for d in known if d.lower() == dept.lower()), None)
        if known and match is None:
            return Reply(text=t("role.unknown_department", department=dept[:60], departments=", ".join(known)))
        dept = match or dept
    else:
        dept = ""
    if not grant and email not in (await effective_roles(ctx)).get((role_name, dept), set()):
        return Reply(text=t("role.not_held", email=email, role=t(f"role1.{role_name}"), dept=f" ({dept})" if dept else ""))
    async with ctx.db.session() as s:
        row = (
            await s.exec(select(RoleGrant).where(RoleGrant.email == email, RoleGrant.role == role_name,
                                                 RoleGrant.department == dept))
        ).first()
        if row is None:
            row = RoleGrant(email=email, role=role_name, department=dept)
            s.add(row)
        row.granted, row.changed_by, row.changed_at = grant, ctx.person.email, utcnow()
        await s.commit()
    key = "role.added" if grant else "role.removed"
    return Reply(text=t(key, email=email, role=t(f"role1.{role_name}"), dept=f" ({dept})" if dept else ""))


CAPABILITY = Capability(name="roles", register=register, texts=(TEXTS,))
