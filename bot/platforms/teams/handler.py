"""The activity handler: botbuilder's dispatch of a turn to the adapter's methods."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount
from botbuilder.schema.teams import MessagingExtensionAction

if TYPE_CHECKING:
    from bot.platforms.teams.adapter import TeamsAdapter

log = logging.getLogger("ambassador.teams")


class _AmbassadorBot(TeamsActivityHandler):
    """Maps Teams activity kinds to the adapter; holds no state of its own."""

    def __init__(self, teams: TeamsAdapter) -> None:
        self._teams = teams

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._teams.on_message(turn_context)

    async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
        # Action.Submit with msteams {"type": "invoke"} arrives as a nameless invoke.
        await self._teams.on_card_invoke(turn_context)
        return InvokeResponse(status=200)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name in ("composeExtension/fetchTask", "composeExtension/submitAction"):
            # TeamsActivityHandler serializes the response body to a dict and
            # CloudAdapter.process serializes it again, which fails for a dict
            # (botbuilder 4.17: every message action would answer 500). The
            # model goes to the adapter unserialized instead.
            action = MessagingExtensionAction().deserialize(
                activity.value if isinstance(activity.value, dict) else {}
            )
            return InvokeResponse(status=200, body=await self._teams.on_message_action(turn_context, action))
        if activity.name:
            # Invokes this bot offers nothing for (task modules, searches, file consent, ...):
            # botbuilder would deserialize their value first and fail on an odd one with a 500.
            return InvokeResponse(status=501)
        return await super().on_invoke_activity(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # botbuilder would look up every added member first (a connector call each, and a failed
        # turn when one lookup fails); the bot greets nobody who joins, so it needs none of them.
        # The team itself is kept: people named in app.yaml are looked up in it by address.
        await self._teams.remember_team(turn_context.activity)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        await self._teams.on_members_removed(members_removed, turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._teams.on_installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        log.info(
            "Teams app uninstalled",
            extra={
                "conversation_type": activity.conversation.conversation_type
                if activity.conversation
                else None
            },
        )
