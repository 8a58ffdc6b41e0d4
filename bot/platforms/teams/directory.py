"""Who is who in Teams: the teams the bot is in, member lookup by address, profiles."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import replace
from typing import Any

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    Channels,
    ConversationAccount,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.teams import TeamsInfo
from sqlmodel import select

from bot.messages import Profile
from bot.platforms.teams.activities import (
    TeamsDeliveryError,
    _http_status,
    _sendable_id,
    _stored_reference,
    _team_of,
    _tenant_of,
    _TurnFailed,
    _zone,
    read_reference,
)
from storage.models import ConversationRef

log = logging.getLogger("ambassador.teams")

# Member lookups cost a connector round trip per message; profiles change rarely.
PROFILE_TTL = 3600.0
# A failed lookup (the Emulator has no directory) is retried sooner.
PROFILE_FAILURE_TTL = 300.0
PROFILE_CACHE_MAX = 10_000
# Teams gives up on a request after 15 seconds; a slow directory must not eat that.
LOOKUP_TIMEOUT = 5.0
# ConversationRef rows of the teams the bot is in (user_id: the team id), where people are looked up by address.
TEAM_PLATFORM = "teams-team"
MAX_TEAMS_ASKED = 5


class TeamsDirectory:
    """Member lookups for TeamsAdapter (a mixin: it uses the adapter's connector and caches)."""


    async def remember_team(self, activity: Activity) -> None:
        """Keep a team the bot is in (installed, added, or written to in a channel): where people
        named in app.yaml by address are looked up (resolve_email). Written once per team and process."""
        team_id = _team_of(activity)
        if team_id is None or team_id in self._teams_known:
            return
        reference = activity.get_conversation_reference()
        reference.conversation = ConversationAccount(id=team_id, is_group=True, conversation_type="channel",
                                                     tenant_id=_tenant_of(activity))
        reference.user = None
        data = _stored_reference(reference)
        data.pop("user", None)
        await self.core.remember_conversation(TEAM_PLATFORM, team_id, team_id, data)
        self._teams_known.add(team_id)

    async def resolve_email(self, email: str) -> str | None:
        """The Teams user id for an e-mail address (their user principal name), looked up in the
        teams the bot is in, the most recently seen first; None when no such team has them.

        Teams has no directory lookup for a bot: until the bot is installed in a team (or someone
        writes to it), people are found only once they write to it themselves. Errors other than
        "not a member" are raised: "not found" must not be claimed when Teams could not be asked.
        """
        async with self.core.db.session() as s:
            teams = (await s.exec(
                select(ConversationRef).where(ConversationRef.platform == TEAM_PLATFORM)
                .order_by(ConversationRef.updated_at.desc()).limit(MAX_TEAMS_ASKED))).all()
        if not teams:
            log.info("no Teams team known yet: people are found by address once the bot is installed in a team")
            return None
        for row in teams:
            reference = read_reference(row.reference)
            try:
                member = await self._retrying("member lookup", functools.partial(self._member_in, reference, email))
            except (aiohttp.ClientError, TimeoutError) as exc:
                if _http_status(exc) in (403, 404):
                    continue  # not in this team (or the bot left it)
                raise TeamsDeliveryError(f"the Teams member lookup failed: {type(exc).__name__} {exc}") from exc
            except _TurnFailed as exc:
                raise TeamsDeliveryError(f"the Teams member lookup failed: {exc}") from exc.__cause__
            if member is None or not member.id or not _sendable_id(member.id):
                continue
            known = await self.core.conversation_of("teams", member.id)
            if known is None:
                # Reachable from now on: the first message opens the personal chat from the team.
                person = read_reference(row.reference)
                person.user = ChannelAccount(id=member.id, aad_object_id=member.aad_object_id)
                await self.core.remember_conversation("teams", member.id, row.conversation_id,
                                                      _stored_reference(person))
            return member.id
        return None

    async def _any_team(self) -> ConversationRef | None:
        async with self.core.db.session() as s:
            return (await s.exec(select(ConversationRef).where(ConversationRef.platform == TEAM_PLATFORM)
                                 .order_by(ConversationRef.updated_at.desc()))).first()

    async def _member_in(self, reference: Any, email: str) -> Any:
        """One member lookup in a team by address; the connector's error is raised here, not in the turn
        (a turn's error is logged as a failure; a person who is not in this team is no failure)."""
        found: dict[str, Any] = {}

        async def callback(turn_context: TurnContext) -> None:
            try:
                team_id = turn_context.activity.conversation.id  # the reference's conversation: the team
                found["member"] = await TeamsInfo.get_team_member(turn_context, team_id, email)
            except (aiohttp.ClientError, TimeoutError) as exc:
                found["error"] = exc

        await self.adapter.continue_conversation(self.app_id or "", reference.get_continuation_activity(), callback)
        if "error" in found:
            raise found["error"]
        return found.get("member")

    async def _profile(self, turn_context: TurnContext) -> Profile | None:
        activity = turn_context.activity
        user = activity.from_property
        now = time.monotonic()
        cached = self._profiles.get(user.id)
        if cached is not None and cached[0] > now:
            profile = cached[1]
        else:
            profile, ttl = await self._lookup(turn_context)
            if len(self._profiles) >= PROFILE_CACHE_MAX:
                self._profiles = {k: v for k, v in self._profiles.items() if v[0] > now}
                if len(self._profiles) >= PROFILE_CACHE_MAX:
                    self._profiles.clear()
            self._profiles[user.id] = (now + ttl, profile)
        if profile is None:
            return None
        return replace(
            profile, locale=activity.locale, timezone=_zone(activity.local_timezone) or profile.timezone
        )

    async def _lookup(self, turn_context: TurnContext) -> tuple[Profile | None, float]:
        activity = turn_context.activity
        user = activity.from_property
        try:
            member = await asyncio.wait_for(TeamsInfo.get_member(turn_context, user.id), LOOKUP_TIMEOUT)
        except Exception as exc:
            log.info(
                "Teams member lookup failed",
                extra={"channel": activity.channel_id, "error": type(exc).__name__},
            )
            if activity.channel_id == Channels.ms_teams:
                # In Teams a failed lookup says nothing about the person: keep
                # what is stored (a guest must not turn into an employee).
                return None, PROFILE_FAILURE_TTL
            return Profile(name=user.name), PROFILE_FAILURE_TTL
        upn = member.user_principal_name or ""
        email = member.email or (upn if "@" in upn and "#ext#" not in upn.lower() else None)
        home = self.settings.teams.tenant_id.lower()
        tenant = (member.tenant_id or "").lower()
        return (
            Profile(
                email=email,
                name=member.name or user.name,
                is_guest=(member.user_role or "").lower() in ("guest", "anonymous"),
                is_external=bool(home and tenant and tenant != home),
            ),
            PROFILE_TTL,
        )
