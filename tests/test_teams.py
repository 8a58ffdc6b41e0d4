"""Microsoft Teams end to end: Bot Framework activities posted to /api/messages,
answered through the Microsoft 365 Agents SDK's real CloudAdapter to a local fake connector."""

from __future__ import annotations

import itertools
import json
import logging
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import jwt
import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.app import build_core, build_router, create_app
from bot.core import Core
from bot.messages import Button, Choice, Incoming, Reply
from bot.platforms.teams import (
    UNAUTHENTICATED_WARNING,
    TeamsAdapter,
    TeamsDeliveryError,
    cards,
    html_to_text,
)
from storage.models import Consent, ConversationRef, InboundTask, Person, ProcessedEvent, ProgramEvent
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, make_settings
from tests.fakes.teams import BOT_ID, OTHER_TENANT, TENANT, FakeConnector, Posted, member

EMPLOYEE = "29:erik-employee"
LEAD = "29:lea-lead"
GUEST = "29:gustav-guest"
OUTSIDER = "29:olga-outsider"
CHANNEL = "19:general@thread.tacv2;messageid=1700000000001"

USERS = {
    EMPLOYEE: member(EMPLOYEE, "Erik Employee", EMPLOYEE_EMAIL),
    LEAD: member(LEAD, "Lea Lead", LEAD_EMAIL),
    GUEST: member(GUEST, "Gustav Gast", "gustav@partner.example", role="guest"),
    OUTSIDER: member(OUTSIDER, "Olga Outsider", "olga@other.example", tenant=OTHER_TENANT),
}


def personal(user_id: str) -> str:
    return f"a:personal-{user_id}"


@dataclass
class Teams:
    client: Any
    connector: FakeConnector
    core: Core
    _ids: itertools.count

    @property
    def adapter(self) -> TeamsAdapter:
        return self.core.senders["teams"]  # type: ignore[return-value]

    def activity(
        self,
        *,
        type: str = "message",
        user: str = EMPLOYEE,
        conversation: str | None = None,
        conversation_type: str = "personal",
        **fields: Any,
    ) -> dict[str, Any]:
        conversation = conversation or personal(user)
        body: dict[str, Any] = {
            "type": type,
            "id": f"act-{next(self._ids)}",
            "timestamp": "2026-03-02T09:00:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {
                "id": user,
                "name": USERS.get(user, {}).get("name", "Someone"),
                "aadObjectId": f"aad-{user}",
            },
            "recipient": {"id": BOT_ID, "name": "Ambassador"},
            "conversation": {
                "id": conversation,
                "conversationType": conversation_type,
                "tenantId": TENANT,
                "isGroup": conversation_type != "personal",
            },
            "locale": "en-US",
            "localTimezone": "Europe/Berlin",
            "channelData": {"tenant": {"id": TENANT}},
        }
        if conversation_type == "channel":
            body["channelData"].update(
                team={"id": "19:team@thread.tacv2", "name": "Everyone"},
                channel={"id": "19:general@thread.tacv2", "name": "General"},
            )
        body.update(fields)
        return body

    def message(self, text: str, **kw: Any) -> dict[str, Any]:
        return self.activity(text=text, textFormat="plain", **kw)

    async def post(self, activity: dict[str, Any], *, status: int | tuple[int, ...] = (200, 201, 202)) -> Any:
        resp = await self.client.post("/api/messages", json=activity)
        expected = (status,) if isinstance(status, int) else status
        assert resp.status in expected, (resp.status, await resp.text())
        return resp

    async def say(self, text: str, **kw: Any) -> list[Posted]:
        return await self.send(self.message(text, **kw))

    async def send(self, activity: dict[str, Any]) -> list[Posted]:
        before = len(self.connector.posted)
        await self.post(activity)
        return self.connector.posted[before:]

    async def press(self, posted: Posted, title: str, user: str = EMPLOYEE) -> list[Posted]:
        """Press an Action.Submit button the way Teams sends it: a message activity with value."""
        card = posted.card
        assert card is not None, f"no card in {posted.activity}"
        action = next(a for a in cards.actions_of(card) if a["title"] == title)
        assert action["type"] == "Action.Submit"
        return await self.send(self.activity(user=user, value=action["data"]))

    async def count(self, model: Any, *where: Any) -> int:
        async with self.core.db.session() as s:
            return (await s.exec(select(func.count()).select_from(model).where(*where))).one()

    async def person(self, email: str) -> Person:
        async with self.core.db.session() as s:
            return (await s.exec(select(Person).where(Person.email == email))).one()


@pytest.fixture
async def connector():
    fake = await FakeConnector(users=dict(USERS)).start()
    yield fake
    await fake.close()


async def start_teams(tmp_path, aiohttp_client, connector: FakeConnector, **env: str) -> Teams:
    settings = make_settings(tmp_path, **env)
    core = build_core(settings)
    client = await aiohttp_client(create_app(settings, core=core, background=False))
    return Teams(client, connector, core, itertools.count(1))


@pytest.fixture
async def teams(tmp_path, aiohttp_client, connector) -> Teams:
    return await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")


# -- conversations ------------------------------------------------------------


async def test_help_in_personal_chat_answers_with_a_card_of_commands(teams: Teams):
    [reply] = await teams.say("help")
    assert reply.conversation_id == personal(EMPLOYEE)
    card = reply.card
    assert card is not None and card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"][0]["text"] == "What I can do for you"
    assert card["body"][0]["weight"] == "Bolder"
    facts = next(e for e in card["body"] if e["type"] == "FactSet")["facts"]
    commands = {f["title"] for f in facts}
    assert {"help", "join", "leave", "status", "my data", "forget me"} <= commands
    assert "roles" not in commands  # the lead's command is not offered to an employee
    [join] = card["actions"]
    assert join["title"] == "Join the program"
    assert join["style"] == "positive"
    assert join["data"]["action"] == "join.start"
    # Clients that cannot render the card, and notifications, still have text.
    assert "What I can do for you" in card["fallbackText"]
    assert reply.activity["summary"] == "What I can do for you"
    # The profile came from the member lookup, and the conversation is kept for later.
    assert (await teams.person(EMPLOYEE_EMAIL)).display_name == "Erik Employee"
    assert await teams.count(ConversationRef, ConversationRef.user_id == EMPLOYEE) == 1


async def test_join_through_the_card_then_leave(teams: Teams):
    [help_card] = await teams.say("help")
    [notice] = await teams.press(help_card, "Join the program")
    assert "privacy notice" in notice.card["body"][0]["text"]
    text = notice.all_text()
    assert "**What is stored:**" in text  # Slack-style *bold* became Teams markdown
    assert "Taking part is voluntary" in text
    assert await teams.count(Consent) == 0  # nothing is recorded before the confirmation

    [welcome] = await teams.press(notice, "I agree, join")
    assert [a["title"] for a in cards.actions_of(welcome.card)] == ["Start the course"]  # the course offers itself
    assert welcome.all_text().startswith("Welcome to Ambassador-Programm!")
    erik = await teams.person(EMPLOYEE_EMAIL)
    assert erik.is_member and erik.joined_at is not None
    assert await teams.count(Consent, Consent.person_id == erik.id) == 1

    [status] = await teams.say("status")
    assert "Member since" in status.all_text()

    [bye] = await teams.say("leave")
    assert bye.text.startswith("You've left Ambassador-Programm")
    assert not (await teams.person(EMPLOYEE_EMAIL)).is_member


async def test_the_emulator_without_a_member_directory_still_gets_answers(teams: Teams):
    activity = teams.message("help", user="emulator-user-1", channelId="emulator")
    activity["from"]["name"] = "Emil Emulator"
    del activity["conversation"]["conversationType"]
    [reply] = await teams.send(activity)
    assert reply.card["body"][0]["text"] == "What I can do for you"
    async with teams.core.db.session() as s:
        emil = (await s.exec(select(Person).where(Person.display_name == "Emil Emulator"))).one()
    assert emil.email is None and not emil.is_guest


async def test_role_gated_command_refused_for_an_employee_and_granted_for_the_lead(teams: Teams):
    [refused] = await teams.say("roles")
    assert refused.text.startswith("Only the comms lead can use “roles”")

    [table] = await teams.say("roles", user=LEAD)
    assert table.conversation_id == personal(LEAD)
    assert table.card["body"][0]["text"] == "Roles"
    assert "lea.lead@example.com" in table.all_text()


async def test_a_redelivered_activity_is_answered_and_stored_once(teams: Teams):
    activity = teams.message("help")
    await teams.post(activity)
    await teams.post(activity)
    assert len(teams.connector.to(personal(EMPLOYEE))) == 1
    # Kept as a keyed hash: the row names no conversation (docs/security.md).
    key = f"teams:{personal(EMPLOYEE)}:{activity['id']}"
    assert await teams.count(ProcessedEvent, ProcessedEvent.key == teams.core.settings.key.digest("events", key)) == 1
    assert await teams.count(InboundTask) == 1
    # The profile lookup was not repeated for the redelivery either (cached per process).
    assert len(teams.connector.member_lookups) == 1


async def test_a_channel_mention_is_answered_in_the_thread_and_other_channel_talk_ignored(teams: Teams):
    mention = teams.message(
        "<at>Ambassador</at> help",
        conversation=CHANNEL,
        conversation_type="channel",
        entities=[
            {
                "type": "mention",
                "text": "<at>Ambassador</at>",
                "mentioned": {"id": BOT_ID, "name": "Ambassador"},
            }
        ],
    )
    [reply] = await teams.send(mention)
    assert reply.conversation_id == CHANNEL
    assert reply.reply_to_id == mention["id"]
    assert reply.card["body"][0]["text"] == "What I can do for you"

    assert await teams.say("lunch anyone?", conversation=CHANNEL, conversation_type="channel") == []
    assert await teams.count(InboundTask) == 1
    # The channel thread is remembered only until a personal chat exists.
    async with teams.core.db.session() as s:
        ref = (await s.exec(select(ConversationRef).where(ConversationRef.user_id == EMPLOYEE))).one()
    assert ref.conversation_id == CHANNEL
    await teams.say("status")
    assert (await teams.core.conversation_of("teams", EMPLOYEE)).conversation_id == personal(EMPLOYEE)
    await teams.send(dict(mention, id="act-again"))
    assert (await teams.core.conversation_of("teams", EMPLOYEE)).conversation_id == personal(EMPLOYEE)


async def test_mention_removal_keeps_the_bots_name_elsewhere_in_the_text(teams: Teams):
    seen: list[Incoming] = []

    async def echo(ctx, msg: Incoming) -> Reply:
        seen.append(msg)
        return Reply(text="ok")

    teams.core.router.set_fallback(echo)
    await teams.say(
        "<at>Ambassador</at> may I post about the Ambassador program?",
        conversation=CHANNEL,
        conversation_type="channel",
        entities=[
            {
                "type": "mention",
                "text": "<at>Ambassador</at>",
                "mentioned": {"id": BOT_ID, "name": "Ambassador"},
            }
        ],
    )
    assert seen[0].text == "may I post about the Ambassador program?"
    assert seen[0].source == "mention" and not seen[0].is_direct


async def test_a_private_reply_to_a_channel_mention_goes_to_the_personal_chat(teams: Teams):
    async def secret(ctx, msg: Incoming) -> list[Reply]:
        return [Reply(text="for everyone"), Reply(text="only for you", private=True)]

    teams.core.router.set_fallback(secret)
    await teams.say("status")  # the personal chat exists
    await teams.say(
        "<at>Ambassador</at> tell me",
        conversation=CHANNEL,
        conversation_type="channel",
        entities=[
            {
                "type": "mention",
                "text": "<at>Ambassador</at>",
                "mentioned": {"id": BOT_ID, "name": "Ambassador"},
            }
        ],
    )
    assert [p.text for p in teams.connector.to(CHANNEL)] == ["for everyone"]
    assert teams.connector.to(personal(EMPLOYEE))[-1].text == "only for you"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"text": ""}, "Your message was empty. Type **help** to see what I can do."),
        ({"text": "x" * 40_000}, "Your message has 40,000 characters; I read at most 12,000."),
        (
            {
                "text": "",
                "attachments": [
                    {
                        "contentType": "application/vnd.microsoft.teams.file.download.info",
                        "name": "draft.pdf",
                        "content": {
                            "downloadUrl": "https://example.sharepoint.com/draft.pdf",
                            "fileType": "pdf",
                        },
                    },
                    {"contentType": "text/html", "content": "<div></div>"},
                ],
            },
            "I can't read attachments (draft.pdf).",
        ),
    ],
    ids=["empty", "40000-characters", "attachment-only"],
)
async def test_unusable_messages_get_a_clear_reply(teams: Teams, fields: dict[str, Any], expected: str):
    [reply] = await teams.send(teams.activity(**fields))
    assert reply.text.startswith(expected)


async def test_malformed_requests_get_400_and_nothing_is_stored(teams: Teams):
    for body in (
        b"{not json",
        b"[1, 2]",
        b'{"text": "no type"}',
        b'{"type": "message", "from": "x"}',
        b'{"type": "message", "from": {"id": "29:x"}, "conversation": {"id": "a:x"}}',
    ):
        resp = await teams.client.post(
            "/api/messages", data=body, headers={"Content-Type": "application/json"}
        )
        assert resp.status == 400, body
        assert "error" in await resp.json()
    resp = await teams.client.post("/api/messages", data=b"hello")
    assert resp.status == 415
    assert await teams.count(InboundTask) == 0
    assert teams.connector.posted == []


async def test_guests_and_other_organisations_cannot_join(tmp_path, aiohttp_client, connector):
    teams = await start_teams(
        tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1", MicrosoftAppTenantId=TENANT
    )
    [refused] = await teams.say("join", user=GUEST)
    assert refused.text.startswith("Guests and people from other organisations can't use “join”")
    [refused] = await teams.say("join", user=OUTSIDER)
    assert refused.text.startswith("Guests and people from other organisations can't use “join”")
    assert await teams.count(Consent) == 0
    # A guest's help offers no join button.
    [help_card] = await teams.say("help", user=GUEST)
    assert "actions" not in help_card.card
    # The employee of the home tenant may.
    [notice] = await teams.say("join")
    assert "privacy notice" in notice.card["body"][0]["text"]


async def test_a_member_removed_from_the_team_leaves_the_program(teams: Teams):
    [notice] = await teams.say("join")
    await teams.press(notice, "I agree, join")
    assert (await teams.person(EMPLOYEE_EMAIL)).is_member

    removed = teams.activity(
        type="conversationUpdate",
        user=LEAD,
        conversation="19:general@thread.tacv2",
        conversation_type="channel",
        membersRemoved=[{"id": EMPLOYEE, "aadObjectId": f"aad-{EMPLOYEE}"}],
    )
    removed["channelData"]["eventType"] = "teamMemberRemoved"
    await teams.post(removed)
    erik = await teams.person(EMPLOYEE_EMAIL)
    assert not erik.is_member and not erik.active and erik.left_at is not None
    assert await teams.count(ProgramEvent, ProgramEvent.kind == "leave") == 1

    # The bot itself being removed (uninstalled from the team) deactivates nobody.
    lea_removed = dict(removed, id="act-bot-gone", membersRemoved=[{"id": BOT_ID}])
    await teams.post(lea_removed)
    assert await teams.count(ProgramEvent, ProgramEvent.kind == "leave") == 1


async def test_installation_update_is_handled_and_the_personal_chat_remembered(teams: Teams):
    install = teams.activity(type="installationUpdate", action="add")
    await teams.post(install)
    assert (await teams.core.conversation_of("teams", EMPLOYEE)).conversation_id == personal(EMPLOYEE)
    await teams.post(teams.activity(type="installationUpdate", action="remove"))
    assert teams.connector.posted == []


# -- cards and message actions ------------------------------------------------------


async def test_card_submit_sent_as_invoke_is_answered_too(teams: Teams):
    before = len(teams.connector.posted)
    resp = await teams.post(teams.activity(type="invoke", value={"action": "join.start", "_lang": "en"}))
    assert resp.status == 200
    [notice] = teams.connector.posted[before:]
    assert "privacy notice" in notice.card["body"][0]["text"]


async def test_report_to_comms_message_action_files_a_crisis_report(teams: Teams):
    from storage.models_crisis import CrisisReport

    invoke = teams.activity(
        type="invoke",
        name="composeExtension/fetchTask",
        value={
            "commandId": "reportToComms",
            "commandContext": "message",
            "messagePayload": {
                "id": "1700000000888",
                "body": {"contentType": "html", "content": "<p>Video of the truck accident is going viral</p>"},
                "linkToMessage": "https://teams.microsoft.com/l/message/19:x/1700000000888",
            },
        },
    )
    body = await (await teams.post(invoke, status=200)).json()
    async with teams.core.db.session() as s:
        [report] = (await s.exec(select(CrisisReport))).all()
    assert report.text == "Video of the truck accident is going viral"
    assert report.permalink == "https://teams.microsoft.com/l/message/19:x/1700000000888"
    receipt = json.dumps(body["task"]["value"]["card"]["content"])
    assert report.ref in receipt  # the reporter sees the reference number in the dialog


async def test_check_before_posting_message_action_answers_in_a_dialog(teams: Teams):
    seen: list[Incoming] = []

    async def check(ctx, msg: Incoming) -> Reply:
        seen.append(msg)
        return Reply(title="Check before posting", text=f"Looks fine: *{msg.values['text'].split('!')[0]}*")

    teams.core.router.actions.pop("ask.check")  # the adapter's hand-over is under test, not the engine
    teams.core.router.action("ask.check")(check)
    invoke = teams.activity(
        type="invoke",
        name="composeExtension/fetchTask",
        value={
            "commandId": "checkBeforePosting",
            "commandContext": "message",
            "messagePayload": {
                "id": "1700000000999",
                "body": {
                    "contentType": "html",
                    "content": "<p>Wir suchen Verst&auml;rkung!</p><p>Bewirb dich&nbsp;<b>jetzt</b></p>",
                },
                "linkToMessage": "https://teams.microsoft.com/l/message/19:x/1700000000999",
            },
        },
    )
    resp = await teams.post(invoke, status=200)
    body = await resp.json()
    assert body["task"]["type"] == "continue"
    dialog = body["task"]["value"]
    assert dialog["title"] == "Check before posting"
    card = dialog["card"]["content"]
    assert "Looks fine: **Wir suchen Verstärkung**" in card["body"][1]["text"]
    [msg] = seen
    assert msg.source == "shortcut" and msg.action_id == "ask.check"
    assert msg.text == "Wir suchen Verstärkung!\nBewirb dich jetzt"
    assert msg.values == {"text": msg.text, "permalink": "https://teams.microsoft.com/l/message/19:x/1700000000999"}
    assert teams.connector.posted == []  # the answer is the dialog, not a chat message


def test_html_to_text():
    assert (
        html_to_text("<div>Hallo<br>Welt &amp; mehr</div><p></p><p>Ende</p>") == "Hallo\nWelt & mehr\n\nEnde"
    )


def test_cards_render_choices_buttons_and_context():
    delete = Button(label="Delete", action_id="x.delete", value={"id": 3}, style="danger")
    reply = Reply(
        text="Pick one",
        title="Poll",
        context="closes Friday",
        buttons=[delete, Button(label="Open", action_id="x.open", url="https://example.com")],
        choices=[
            Choice(label="Department", action_id="dept.pick", options=[("sales", "Sales"), ("hr", "HR")])
        ],
    )
    card = cards.adaptive_card(reply)
    kinds = [e["type"] for e in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "Input.ChoiceSet", "ActionSet", "TextBlock"]
    assert card["body"][-1]["isSubtle"] and card["body"][-1]["size"] == "Small"
    assert card["body"][2]["choices"] == [
        {"title": "Sales", "value": "sales"},
        {"title": "HR", "value": "hr"},
    ]
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Delete",
            "style": "destructive",
            "data": {"id": 3, "action": "x.delete"},
        },
        {"type": "Action.OpenUrl", "title": "Open", "url": "https://example.com"},
    ]
    assert delete.value == {"id": 3}  # rendering does not change the reply
    assert cards.render(Reply(text="*a* <https://example.com|site>\nb")) == {
        "type": "message",
        "text": "**a** site (https://example.com)\n\nb",  # a link always shows where it goes
        "textFormat": "markdown",
    }
    assert cards.to_teams_markdown("**already** and 2 * 3 * 4") == "**already** and 2 * 3 * 4"


async def test_a_picked_choice_reaches_the_handler_as_value(teams: Teams):
    seen: list[Incoming] = []

    async def picked(ctx, msg: Incoming) -> Reply:
        seen.append(msg)
        return Reply(text=f"picked {msg.values['value']}")

    teams.core.router.action("dept.pick")(picked)
    card = cards.adaptive_card(
        Reply(
            text="?",
            choices=[Choice(label="Department", action_id="dept.pick", options=[("sales", "Sales")])],
        )
    )
    data = dict(card["body"][2]["actions"][0]["data"], **{"dept.pick": "sales"})  # Teams merges the inputs
    [reply] = await teams.send(teams.activity(value=data))
    assert reply.text == "picked sales"
    assert seen[0].values["value"] == "sales"


# -- proactive messages ---------------------------------------------------------------


async def test_proactive_message_through_the_stored_reference_survives_a_429(teams: Teams):
    await teams.say("help")
    teams.connector.fail_next(429)
    await teams.adapter.send_to_person(
        EMPLOYEE, [Reply(title="This week's content", text="Three posts to share.")]
    )
    assert teams.connector.throttled == 1
    last = teams.connector.posted[-1]
    assert last.conversation_id == personal(EMPLOYEE)
    assert "Three posts to share." in last.all_text()

    # The ProactiveSender protocol the core uses for recovered work.
    await teams.adapter.send_to_conversation(personal(EMPLOYEE), [Reply(text="Recovered answer")], EMPLOYEE)
    assert teams.connector.posted[-1].text == "Recovered answer"


async def test_proactive_message_to_a_person_known_only_from_a_channel_opens_a_personal_chat(teams: Teams):
    await teams.say(
        "<at>Ambassador</at> status",
        conversation=CHANNEL,
        conversation_type="channel",
        entities=[
            {
                "type": "mention",
                "text": "<at>Ambassador</at>",
                "mentioned": {"id": BOT_ID, "name": "Ambassador"},
            }
        ],
    )
    await teams.adapter.send_to_person(EMPLOYEE, [Reply(text="Just for you")])
    [created] = teams.connector.created
    assert created["members"] == [{"id": EMPLOYEE}] and created["channelData"]["tenant"]["id"] == TENANT
    assert teams.connector.posted[-1].conversation_id == personal(EMPLOYEE)
    assert teams.connector.posted[-1].text == "Just for you"
    assert (await teams.core.conversation_of("teams", EMPLOYEE)).conversation_id == personal(EMPLOYEE)


async def test_people_named_by_address_are_found_in_a_team_the_bot_is_in_and_reached_in_a_personal_chat(
    teams: Teams,
):
    # Before the bot is in any team, an address cannot be looked up on Teams: not found, nothing asked.
    assert await teams.core.person_by_email(LEAD_EMAIL) is None
    assert teams.connector.member_lookups == []

    # Installed in a team (by Erik): the team is kept, Lea (who never wrote to the bot) is found there.
    await teams.post(teams.activity(type="installationUpdate", action="add", conversation="19:general@thread.tacv2",
                                    conversation_type="channel"))
    lea = await teams.core.person_by_email(LEAD_EMAIL.upper())
    assert lea is not None and lea.email == LEAD_EMAIL
    assert ("19:team@thread.tacv2", LEAD_EMAIL.upper().lower()) in [
        (c, u.lower()) for c, u in teams.connector.member_lookups]
    assert await teams.core.notify(lea.id, [Reply(text="You are the comms lead now")]) == "teams"
    [created] = teams.connector.created
    assert created["members"] == [{"id": LEAD}] and created["channelData"]["tenant"]["id"] == TENANT
    assert teams.connector.posted[-1].conversation_id == personal(LEAD)
    assert teams.connector.posted[-1].text == "You are the comms lead now"

    # Somebody not in the team: not found, said clearly to whoever sends.
    assert await teams.core.person_by_email("nobody@example.com") is None
    with pytest.raises(Exception, match="nobody with the address nobody@example.com"):
        await teams.core.notify_email("nobody@example.com", [Reply(text="Hello")])


async def test_a_post_to_a_channel_nobody_asked_in_reaches_it_once_the_bot_is_in_a_team(teams: Teams):
    crisis_channel = "19:crisis@thread.tacv2"
    with pytest.raises(TeamsDeliveryError, match="not in any team yet"):
        await teams.adapter.send_to_conversation(crisis_channel, [Reply(text="Crisis report K-2026-0001")], None)
    await teams.post(teams.activity(type="installationUpdate", action="add", conversation="19:general@thread.tacv2",
                                    conversation_type="channel"))
    await teams.adapter.send_to_conversation(crisis_channel, [Reply(text="Crisis report K-2026-0001")], None)
    [posted] = teams.connector.to(crisis_channel)
    assert posted.text == "Crisis report K-2026-0001"


def test_a_card_with_more_buttons_than_teams_shows_puts_them_in_rows():
    few = cards.adaptive_card(Reply(text="Pick", buttons=[Button(label=f"Option {i}", action_id=f"p:{i}")
                                                          for i in range(6)]))
    assert [a["title"] for a in few["actions"]] == [f"Option {i}" for i in range(6)]
    # A 20-option poll: Teams renders at most six actions of one set, so every button goes in a row.
    many = cards.adaptive_card(Reply(text="Pick", buttons=[Button(label=f"Option {i}", action_id=f"p:{i}")
                                                           for i in range(20)]))
    rows = [e["actions"] for e in many["body"] if e["type"] == "ActionSet"]
    assert "actions" not in many and [len(r) for r in rows] == [5, 5, 5, 5]
    assert [a["title"] for a in cards.actions_of(many)] == [f"Option {i}" for i in range(20)]
    assert all(a["data"][cards.ACTION_KEY] == f"p:{i}" for i, a in enumerate(cards.actions_of(many)))


class FakeMsal:
    """Entra ID's token endpoint as MSAL's ConfidentialClientApplication sees it: a cached token until it expires
    (acquire_token_for_client answers from MSAL's cache first)."""

    apps: list[FakeMsal] = []
    issued = 0

    def __init__(self, client_id: str, client_credential: Any = None, authority: str = "", **kw: Any) -> None:
        self.client_id, self.authority = client_id, authority
        self.cached: str | None = None
        FakeMsal.apps.append(self)

    def acquire_token_for_client(self, scopes: list[str], **kw: Any) -> dict[str, Any]:
        if self.cached is None:
            FakeMsal.issued += 1
            self.cached = f"token-{FakeMsal.issued}"
        return {"access_token": self.cached, "expires_in": 3600}


def use_fake_msal(monkeypatch) -> None:
    from microsoft_agents.authentication.msal import msal_auth

    monkeypatch.setattr(FakeMsal, "apps", [])
    monkeypatch.setattr(FakeMsal, "issued", 0)
    monkeypatch.setattr(msal_auth, "ConfidentialClientApplication", FakeMsal)


async def test_proactive_messages_are_signed_with_one_cached_token(tmp_path, aiohttp_client, connector, monkeypatch):
    use_fake_msal(monkeypatch)
    teams = await start_teams(
        tmp_path,
        aiohttp_client,
        connector,
        MicrosoftAppId="00000000-0000-4000-8000-00000000a11d",
        MicrosoftAppPassword="fake-password-for-tests",
        MicrosoftAppTenantId=TENANT,
    )
    reference = {
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "bot": {"id": BOT_ID},
        "user": {"id": EMPLOYEE},
        "conversation": {"id": personal(EMPLOYEE), "conversationType": "personal", "tenantId": TENANT},
    }
    await teams.core.remember_conversation("teams", EMPLOYEE, personal(EMPLOYEE), reference)
    for n in range(3):
        await teams.adapter.send_to_person(EMPLOYEE, [Reply(text=f"Alert {n}")])
    # One MSAL application (with its token cache) for all of them, in the app's tenant: not a token per message.
    assert len(FakeMsal.apps) == 1 and FakeMsal.issued == 1
    assert FakeMsal.apps[0].authority == f"https://login.microsoftonline.com/{TENANT}"
    assert [p.authorization for p in connector.posted] == ["Bearer token-1"] * 3
    # The token runs out: the next request is signed with the renewed one.
    FakeMsal.apps[0].cached = None
    await teams.adapter.send_to_person(EMPLOYEE, [Reply(text="Alert 3")])
    assert connector.posted[-1].authorization == "Bearer token-2"
    assert [p.text for p in connector.posted] == ["Alert 0", "Alert 1", "Alert 2", "Alert 3"]


async def test_incoming_turns_and_proactive_messages_share_one_connection_to_the_connector(teams: Teams):
    for text in ("help", "status", "my data"):
        await teams.say(text)
    await teams.adapter.send_to_person(EMPLOYEE, [Reply(text="Fresh content for you")])
    # The SDK makes a client per turn; they all send over the one pooled connection, not one each.
    assert teams.adapter.clients.created >= 4
    assert len(teams.connector.peers) == 1


async def test_proactive_message_to_an_unknown_person_fails_clearly(teams: Teams):
    with pytest.raises(TeamsDeliveryError):
        await teams.adapter.send_to_person("29:nobody", [Reply(text="hello?")])


async def test_a_reply_that_keeps_failing_with_429_is_retried_then_answered_500(teams: Teams):
    teams.adapter.max_attempts = 2
    teams.connector.fail_next(429, times=2)
    resp = await teams.client.post("/api/messages", json=teams.message("help"))
    assert resp.status == 500
    assert teams.connector.throttled == 2
    # The work stays pending, so the core's recovery answers it later.
    assert await teams.count(InboundTask, InboundTask.status == "pending") == 1


# -- security and configuration ---------------------------------------------------------


async def test_with_an_app_id_unauthenticated_requests_get_401_without_a_network_call(
    tmp_path, aiohttp_client, connector, monkeypatch
):
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

    fetched: list[str] = []

    async def no_network(self, jwks_uri, header):
        fetched.append(jwks_uri)
        raise AssertionError("signing keys must not be fetched for these requests")

    monkeypatch.setattr(jwt_token_validator._JwkClientManager, "get_signing_key", no_network)
    teams = await start_teams(
        tmp_path,
        aiohttp_client,
        connector,
        MicrosoftAppId="00000000-0000-4000-8000-00000000a11d",
        MicrosoftAppPassword="fake-password-for-tests",
    )
    foreign = jwt.encode(
        {"iss": "https://issuer.example", "aud": "x"}, "not-a-real-key-but-long-enough-32b", algorithm="HS256"
    )
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": f"Bearer {foreign}"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ):
        resp = await teams.client.post("/api/messages", json=teams.message("help"), headers=headers)
        assert resp.status == 401, headers
        assert "error" in await resp.json()
    assert fetched == []
    assert teams.connector.posted == []
    assert await teams.count(ProcessedEvent) == 0
    assert await teams.count(Person) == 0


async def test_unauthenticated_mode_warns_loudly_on_startup(tmp_path, aiohttp_client, connector, caplog):
    with caplog.at_level(logging.WARNING, logger="ambassador.teams"):
        await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")
    assert UNAUTHENTICATED_WARNING in caplog.text


async def test_without_teams_settings_the_endpoint_is_not_served(tmp_path, aiohttp_client, connector):
    teams = await start_teams(tmp_path, aiohttp_client, connector)
    resp = await teams.client.post("/api/messages", json=teams.message("help"))
    assert resp.status == 404
    assert "teams" not in teams.core.senders


# -- the app manifest ------------------------------------------------------------------


MANIFESTS = Path(__file__).resolve().parent.parent / "manifests" / "teams"
MANIFEST_VERSION = "1.30"
# What the README's packaging step puts in for the placeholders.
PLACEHOLDERS = {"MICROSOFT_APP_ID": "6f1c2a8e-0b5d-4c1e-9a7f-3d2b1e0c9f8a", "BOT_DOMAIN": "ambassador.example.com",
                "COMPANY_NAME": "Example GmbH"}


def _filled_manifest() -> dict[str, Any]:
    text = (MANIFESTS / "manifest.json").read_text(encoding="utf-8")
    for key, value in PLACEHOLDERS.items():
        text = text.replace("{{" + key + "}}", value)
    assert "{{" not in text
    return json.loads(text)


def _manifest_errors(manifest: dict[str, Any]) -> list[str]:
    path = MANIFESTS / "schema" / f"v{MANIFEST_VERSION}" / "MicrosoftTeams.schema.json"
    # The schema says draft-04 but uses "const" (draft-06), as Microsoft's own validator reads it.
    draft4_with_const = jsonschema.validators.extend(
        jsonschema.Draft4Validator, {"const": jsonschema.Draft7Validator.VALIDATORS["const"]})
    validator = draft4_with_const(json.loads(path.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(manifest)]


def test_the_manifest_is_valid_against_its_schema_version():
    manifest = _filled_manifest()
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    assert manifest["$schema"].endswith(f"/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")
    assert _manifest_errors(manifest) == []
    # The commands are offered in personal chats and in teams.
    [bot] = manifest["bots"]
    assert {scope for commands in bot["commandLists"] for scope in commands["scopes"]} == {"personal", "team"}
    # The validation bites: what Teams would refuse is found here too.
    older = {**manifest, "manifestVersion": "1.17"}
    assert any(e.startswith("manifestVersion") for e in _manifest_errors(older))
    no_id = {**manifest, "id": "not-a-guid"}
    assert any(e.startswith("id:") for e in _manifest_errors(no_id))
    long_title = json.loads(json.dumps(manifest))
    long_title["bots"][0]["commandLists"][0]["commands"][0]["title"] = "x" * 200
    assert any("commandLists/0/commands/0/title" in e for e in _manifest_errors(long_title))


def test_the_manifest_matches_the_code():
    here = MANIFESTS
    manifest = json.loads((here / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    assert manifest["id"] == "{{MICROSOFT_APP_ID}}" and manifest["validDomains"] == ["{{BOT_DOMAIN}}"]
    [bot] = manifest["bots"]
    assert bot["botId"] == "{{MICROSOFT_APP_ID}}" and bot["scopes"] == ["personal", "team"]
    router = build_router()
    words = {w for route in router.commands for w in route.words["en"]}
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert set(titles) == {"help", "join", "leave", "my data", "forget me", "status"}
    assert set(titles) <= words  # every menu entry is a command the bot understands
    [extension] = manifest["composeExtensions"]
    commands = {c["id"]: c for c in extension["commands"]}
    # every message action the capabilities declare, and no other
    assert set(commands) == {s.teams for s in router.shortcuts if s.teams}
    for command in commands.values():
        assert command["type"] == "action" and command["context"] == ["message"]
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["name"]["short"]) <= 30
    for name, size in ((manifest["icons"]["color"], 192), (manifest["icons"]["outline"], 32)):
        head = (here / name).read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (size, size)


async def test_an_updating_answer_replaces_the_card_its_button_was_on(teams: Teams):
    from bot.messages import Button, Reply

    @teams.core.router.action("test.vote")
    async def vote(ctx, incoming):
        return Reply(text=f"Votes: {incoming.values['n']}", update=True)

    @teams.core.router.command("test-poll", en=["test-poll"], de=["test-umfrage"])
    async def poll(ctx, incoming):
        return Reply(text="Vote now", buttons=[Button(label="Yes", action_id="test.vote", value={"n": 1})])

    [card] = await teams.say("test-poll")
    action = next(a for a in card.card["actions"] if a["title"] == "Yes")
    pressed = teams.activity(user=EMPLOYEE, value=action["data"], replyToId="bot-activity-1")
    assert await teams.send(pressed) == []  # nothing new posted
    [update] = teams.connector.updated
    assert update.reply_to_id == "bot-activity-1"
    assert "Votes: 1" in update.all_text()


# -- the Agents SDK: settings, references from the botbuilder era, bad input ---------------------------


APP = "00000000-0000-4000-8000-00000000a11d"


@pytest.mark.parametrize(
    ("env", "tenant", "home"),
    [
        ({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP,
          "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "fake-password-for-tests",
          "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": TENANT,
          "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE": "ClientSecret"}, TENANT, TENANT),
        ({"MicrosoftAppId": APP, "MicrosoftAppPassword": "fake-password-for-tests",
          "MicrosoftAppTenantId": TENANT, "MicrosoftAppType": "SingleTenant"}, TENANT, TENANT),
        # botbuilder's default, a multi-tenant app: its tokens come from the botframework.com tenant.
        ({"MicrosoftAppId": APP, "MicrosoftAppPassword": "fake-password-for-tests"}, "botframework.com", ""),
    ],
    ids=["sdk-names", "older-names", "older-multi-tenant"],
)
async def test_the_sdks_settings_names_and_the_older_ones_configure_the_same_app(
    tmp_path, aiohttp_client, connector, monkeypatch, env, tenant, home
):
    use_fake_msal(monkeypatch)
    teams = await start_teams(tmp_path, aiohttp_client, connector, **env)
    config = teams.adapter.auth_config
    assert (config.CLIENT_ID, config.TENANT_ID, str(config.AUTH_TYPE)) == (APP, tenant, "ClientSecret")
    assert config.VALIDATE_ISSUER and not config.ANONYMOUS_ALLOWED
    assert teams.core.settings.teams.tenant_id == home  # who counts as the company's own
    # A proactive message is signed with a token from that tenant's authority.
    await teams.core.remember_conversation("teams", EMPLOYEE, personal(EMPLOYEE), {
        "channelId": "msteams", "serviceUrl": connector.url, "bot": {"id": BOT_ID}, "user": {"id": EMPLOYEE},
        "conversation": {"id": personal(EMPLOYEE), "conversationType": "personal", "tenantId": TENANT}})
    await teams.adapter.send_to_person(EMPLOYEE, [Reply(text="Hello")])
    assert FakeMsal.apps[0].authority == f"https://login.microsoftonline.com/{tenant}"
    assert connector.posted[-1].authorization == "Bearer token-1"


# What botbuilder stored (ConversationReference.serialize()): the tenant under "tenantID".
BOTBUILDER_CHANNEL_REFERENCE = {
    "user": {"id": EMPLOYEE, "aadObjectId": f"aad-{EMPLOYEE}"},
    "bot": {"id": BOT_ID, "name": "Ambassador"},
    "conversation": {"isGroup": True, "conversationType": "channel", "id": CHANNEL, "tenantID": TENANT},
    "channelId": "msteams",
    "locale": "en-US",
}


async def test_a_reference_stored_by_botbuilder_still_reaches_the_person(teams: Teams):
    from bot.platforms.teams.activities import read_reference

    old = dict(BOTBUILDER_CHANNEL_REFERENCE, serviceUrl=teams.connector.url)
    assert read_reference(old).conversation.tenant_id == TENANT  # the SDK's model alone would drop it
    await teams.core.remember_conversation("teams", EMPLOYEE, CHANNEL, old)
    await teams.adapter.send_to_person(EMPLOYEE, [Reply(text="Your report was answered")])
    # Known only from a channel: the personal chat is opened in the person's tenant, then written to.
    [created] = teams.connector.created
    assert created["tenantId"] == TENANT and created["channelData"]["tenant"]["id"] == TENANT
    [posted] = teams.connector.to(personal(EMPLOYEE))
    assert posted.text == "Your report was answered" and posted.reply_to_id is None
    # The personal chat is kept, in the SDK's form.
    row = await teams.core.conversation_of("teams", EMPLOYEE)
    assert row.conversation_id == personal(EMPLOYEE)
    assert row.reference["conversation"]["tenantId"] == TENANT and "tenantID" not in row.reference["conversation"]

    # An old personal reference: the message goes straight there.
    old_personal = {**old, "conversation": {"isGroup": False, "conversationType": "personal", "id": personal(LEAD),
                                            "tenantID": TENANT}, "user": {"id": LEAD}}
    await teams.core.remember_conversation("teams", LEAD, personal(LEAD), old_personal)
    await teams.adapter.send_to_conversation(personal(LEAD), [Reply(text="Recovered answer")], LEAD)
    assert [p.text for p in teams.connector.to(personal(LEAD))] == ["Recovered answer"]
    assert len(teams.connector.created) == 1


async def test_odd_activities_get_a_clear_log_line_and_no_crash(teams: Teams, caplog):
    caplog.set_level(logging.INFO, logger="ambassador.teams")
    no_conversation = teams.message("help")
    del no_conversation["conversation"]
    resp = await teams.client.post("/api/messages", json=no_conversation)
    assert resp.status == 400 and (await resp.json())["error"] == "the activity has no conversation id"
    assert "Teams activity refused: the activity has no conversation id" in caplog.text

    await teams.post(teams.activity(type="somethingNew"))
    assert "Teams activity of a type the bot does not handle" in caplog.text

    # A field that is valid as sent but empty once its NUL is dropped, as everything stored is (found by
    # the fuzzer): the SDK's model refuses what it then reads, so the bot refuses it first, a 400, not a 500.
    caplog.clear()
    resp = await teams.client.post("/api/messages", json={**teams.message("help"), "localTimezone": "\x00"})
    assert resp.status == 400 and "Teams activity refused" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # A card submit with no action id, and one with an action id no capability has.
    await teams.post(teams.activity(type="invoke", value={"x": 1}), status=200)
    assert "Teams card submit without an action id" in caplog.text
    [answer] = await teams.send(teams.activity(value={"action": "nobody.knows", "_lang": "en"}))
    assert "Teams card submit with an action id the bot does not know" in caplog.text
    assert answer.all_text()  # the person is told something, not left without an answer
    # Nothing broke: the next message is answered as always.
    [help_card] = await teams.say("help")
    assert help_card.card["body"][0]["text"] == "What I can do for you"
