"""Who is in the escalation policy (the rota) and whom a step of the climb alerts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import select

from bot.core import Context, Core
from bot.router import BACKUP, LEAD
from handlers.crisis.config import LEAD_ROLES, ROLE_NAMES, CrisisConfig, Level, Policy
from handlers.crisis.models import CrisisReport
from handlers.crisis.state import config
from storage.models import Identity, Person, RoleGrant


async def _role_emails(core: Core, role: str) -> list[str]:
    """The addresses behind a role name, app.yaml plus the changes made in chat."""
    want = LEAD if role in LEAD_ROLES else BACKUP
    async with core.db.session() as s:
        grants = (await s.exec(select(RoleGrant).where(RoleGrant.role == want, RoleGrant.department == "")
                               .order_by(RoleGrant.changed_at))).all()
    return _emails_of_role(core, role, [(g.role, g.email, g.granted) for g in grants])


def _emails_of_role(core: Core, role: str, grants: Iterable[tuple[str, str, bool]]) -> list[str]:
    """The addresses behind a role name from app.yaml and the grants (role, email, granted), oldest first."""
    cfg = core.settings.app.roles
    want = LEAD if role in LEAD_ROLES else BACKUP
    out: list[str] = []
    if want == LEAD and cfg.comms_lead:
        out.append(cfg.comms_lead.lower())
    if want == BACKUP:
        out += [b.lower() for b in cfg.backup]
    for grant_role, grant_email, granted in grants:
        if grant_role != want:
            continue
        email = grant_email.lower()
        if granted and email not in out:
            out.append(email)
        elif not granted and email in out:
            out.remove(email)
    return out


async def _level_emails(core: Core, level: Level) -> list[str]:
    out: list[str] = []
    for entry in level.who:
        for email in (await _role_emails(core, entry)) if entry in ROLE_NAMES else [entry]:
            if email not in out:
                out.append(email)
    return out


async def policy_emails(core: Core) -> list[str]:
    """Everyone who may acknowledge, resolve or hand over: the ``who`` of every level of both policies."""
    out: list[str] = []
    for level in config(core).all_levels():
        for email in await _level_emails(core, level):
            if email not in out:
                out.append(email)
    return out


async def rota_emails(core: Core) -> list[str]:
    """Who may read crisis reports and act on them: everyone the policy names (every level of both
    policies) and the comms lead. Nobody else, whatever their role: a backup the policy leaves out
    is not on the rota."""
    out = await policy_emails(core)
    return out + [e for e in await _role_emails(core, "comms_lead") if e not in out]


async def _on_rota(ctx: Context) -> bool:
    email = (ctx.person.email or "").lower()
    return bool(email) and not ctx.person.is_guest and email in await rota_emails(ctx.core)


@dataclass
class Target:
    via: str  # chat | channel | email | webhook
    target: str
    label: str  # what the trail shows: the role or address the policy names


async def _targets(core: Core, level: Level) -> list[Target]:
    return _level_targets(level, {e: await _role_emails(core, e) for e in level.who if e in ROLE_NAMES})


def _level_targets(level: Level, role_emails: dict[str, list[str]]) -> list[Target]:
    out: list[Target] = []
    for entry in level.who:
        emails = role_emails[entry] if entry in ROLE_NAMES else [entry]
        out += [Target("chat", e, entry if entry in ROLE_NAMES else e) for e in emails]
    if level.channel:
        out.append(Target("channel", level.channel, level.channel))
    out += [Target("email", str(e).lower(), str(e).lower()) for e in level.email]
    out += [Target("webhook", u, u) for u in level.webhook]
    seen: set[tuple[str, str]] = set()
    return [x for x in out if (x.via, x.target) not in seen and not seen.add((x.via, x.target))]


def _position(cfg: CrisisConfig, report: CrisisReport) -> tuple[Policy, int, int, int]:
    policy = cfg.policy(report.policy)
    n = len(policy.levels)
    return policy, report.step % n, report.step // n, n * policy.rounds


@dataclass
class _Step:
    """One escalation step claimed by this process: the attempts to send, the claim token to finish it with."""

    report: CrisisReport
    token: str
    policy: Policy
    level: int
    round: int
    targets: int
    to_send: list[tuple[Target, int]]  # (target, attempt id)
    reached_before: bool  # an attempt of this step went out before (a resumed step)
    # Chat targets read with the claim: address -> (person, accounts). Others are looked up when sent.
    people: dict[str, tuple[Person, list[Identity]]] = field(default_factory=dict)
