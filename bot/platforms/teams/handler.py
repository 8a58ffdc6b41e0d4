"""The activity handler: the Agents SDK's Teams dispatch of a turn to the adapter's methods."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import ChannelAccount, InvokeResponse
from microsoft_agents.activity.teams import MessagingExtensionAction
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.teams import TeamsActivityHandler
from pydantic import ValidationError

if TYPE_CHECKING:
    from bot.platforms.teams.adapter import TeamsAdapter

log = logging.getLogger("ambassador.teams")

MESSAGE_ACTIONS = ("composeExtension/fetchTask", "composeExtension/submitAction")


class _AmbassadorBot(TeamsActivityHandler):
    """Maps Teams activity kinds to the adapter; holds no state of its own."""

    def __init__(self, teams: TeamsAdapter) -> None:
        self._teams = teams

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._teams.on_message(turn_context)

    async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
        # Action.Submit with msteams {"type": "invoke"} arrives as a nameless invoke.
        await self._teams.on_card_invoke(turn_context)
        return InvokeResponse(status=int(HTTPStatus.OK))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name in MESSAGE_ACTIONS:
            # The message actions' fetch and the buttons pressed in their dialog: one way in for both.
            try:
                action = MessagingExtensionAction.model_validate(
                    activity.value if isinstance(activity.value, dict) else {})
            except ValidationError:
                log.warning("Teams message action refused: its value is not a message action",
                            extra={"activity_name": activity.name})
                return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
            response = await self._teams.on_message_action(turn_context, action)
            return InvokeResponse(status=int(HTTPStatus.OK),
                                  body=response.model_dump(by_alias=True, exclude_none=True, mode="json"))
        if activity.name:
            # Invokes this bot offers nothing for (task modules, searches, file consent, ...): the SDK would
            # read their value into its models first and fail the turn (a 500) on an odd one. Its answer
            # for an invoke nobody handles is 501; so is this one, said once in the log.
            log.info("Teams invoke not handled: the bot offers nothing for it (501)",
                     extra={"activity_name": str(activity.name)[:100]})
            return InvokeResponse(status=int(HTTPStatus.NOT_IMPLEMENTED))
        return await super().on_invoke_activity(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> Any:
        activity = turn_context.activity
        if activity.channel_data is None:
            activity.channel_data = {}  # the SDK reads it as TeamsChannelData, which None is not
        return await super().on_conversation_update_activity(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # The SDK would look up every added member first (a connector call each, and a failed
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

    async def on_unrecognized_activity_type(self, turn_context: TurnContext) -> None:
        log.info("Teams activity of a type the bot does not handle: ignored",
                 extra={"activity_type": str(turn_context.activity.type)[:100]})
