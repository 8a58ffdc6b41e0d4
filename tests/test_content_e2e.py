"""Weekly content end to end: the lead adds an item in chat, the scheduled job delivers
the nudge through the real Slack SDK (against tests/fakes/slack.py) and the real
Agents SDK path (against tests/fakes/teams.py), members answer with the buttons."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from bot.app import build_core, create_app
from bot.platforms.teams import cards
from handlers import content
from storage.models import ConversationRef, Identity, Person
from storage.models_content import ContentDelivery, ContentLink, ContentPref
from storage.models_polls import Feedback
from tests.conftest import make_settings
from tests.fakes.slack import EMPLOYEE, LEAD, FakeSlack, _user
from tests.fakes.teams import FakeConnector
from tests.test_content import MONDAY, Clock, add_item
from tests.test_slack import SlackBot, all_text, button, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import LEAD as TEAMS_LEAD
from tests.test_teams import USERS, personal, start_teams

MEMBERS = {f"U0M{i}": _user(f"U0M{i}", f"member{i}@example.com", f"Member {i}", locale="de-DE" if i % 2 else "en-US")
           for i in range(4)}
GONE = "U0M3"


class FakeSlackWithGoneUser(FakeSlack):
    """Slack answers account_inactive for a deactivated member's DM, as the real API does."""

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage" and params.get("channel") == dm_of(GONE):
            return {"ok": False, "error": "account_inactive"}
        return super()._answer(method, params)


@pytest.fixture
async def fake():
    server = await FakeSlackWithGoneUser(users={**FakeSlack().users, **MEMBERS}).start()
    yield server
    await server.close()


async def _join_directly(core, user_id: str, email: str, lang: str, *, dm: bool) -> None:
    """A member who joined earlier (the join flow itself is tested in test_slack.py)."""
    async with core.db.session() as s:
        p = Person(email=email, language=lang, is_member=True, joined_at=core.now(), profile_checked_at=core.now())
        s.add(p)
        await s.flush()
        s.add(Identity(person_id=p.id, platform="slack", user_id=user_id))
        if dm:
            s.add(ConversationRef(platform="slack", user_id=user_id, conversation_id=dm_of(user_id),
                                  reference={"channel": dm_of(user_id)}))
        await s.commit()


async def test_slack_weekly_nudge_end_to_end(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    settings.app.content = {"public_url": "https://amb.example.com", "core_group_days_earlier": 0, "max_items": 2}
    core = build_core(settings)
    clock = Clock(MONDAY - timedelta(days=2))
    core.clock = clock
    content.configure(core, pacer=content.Pacer(1000, 0))
    app = create_app(settings, core=core, background=False)
    bot = SlackBot(await aiohttp_client(app), fake)

    # The comms lead adds an item in a DM, in one message.
    await bot.dm(LEAD, "content add\nurl: https://example.com/news/plant\ntitle: Our new plant\n"
                       "en: We are opening a new plant!\nde: Wir eröffnen ein neues Werk!")
    await bot.settled()
    assert "Added #1 “Our new plant”" in fake.replies()[-1]["text"]
    for i, user_id in enumerate(MEMBERS):
        await _join_directly(core, user_id, MEMBERS[user_id]["profile"]["email"], "de" if i % 2 else "en", dm=i < 2)

    # Slack's rate limiter refuses the first message once; the SDK waits out Retry-After.
    fake.rate_limit_once("chat.postMessage", retry_after=1)
    before = len(fake.called("chat.postMessage"))
    clock.now = MONDAY
    stats = await content.nudge_job(core)
    assert stats.sent == 3 and stats.skipped == 1
    posts = [c for c in fake.calls if c.method == "chat.postMessage"][before:]
    limited = posts[0]
    [retry] = [c for c in posts[1:] if c.params["channel"] == limited.params["channel"]]
    assert retry.at - limited.at >= 1.0  # after Retry-After, and only that one message twice on the wire
    delivered = {c.params["channel"]: c.params for c in posts if c is not limited}
    # The gone one was tried once; the comms lead got the run's report (one member skipped).
    assert sorted(delivered) == sorted([dm_of(u) for u in ("U0M0", "U0M1", "U0M2", GONE)] + [dm_of(LEAD)])
    assert "1 skipped" in delivered[dm_of(LEAD)]["text"]  # the lead set no language: Slack says en-US
    # Members without a stored DM got theirs through conversations.open; the stored ones did not need it.
    assert sorted(c["users"] for c in fake.called("conversations.open")) == ["U0M2", GONE]
    english, german = delivered[dm_of("U0M0")], delivered[dm_of("U0M1")]
    assert "Something to share this week" in english["text"] and "Our new plant" in all_text(english)
    assert "Diese Woche zum Teilen" in german["text"] and "Our new plant" in all_text(german)
    # "We are opening a new plant!" on its own could be news before its announcement; as the text of the
    # company's own published item it is not, so it is offered as a ready text, in each member's language.
    assert "Ready to post (1 of" in all_text(english) and "We are opening a new plant!" in all_text(english)
    assert "Fertig zum Posten (1 von" in all_text(german) and "Wir eröffnen ein neues Werk!" in all_text(german)
    linkedin = next(e for b in english["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "LinkedIn")
    assert linkedin["url"].startswith("https://www.linkedin.com/feed/?shareActive=true&text=")

    # The account_inactive member: skipped, recorded, and out of the program.
    async with core.db.session() as s:
        rows = {r.pseudonym: r for r in (await s.exec(select(ContentDelivery))).all()}
        gone = (await s.exec(select(Person).where(Person.email == "member3@example.com"))).one()
    assert sorted(r.status for r in rows.values()) == ["sent", "sent", "sent", "skipped"]
    assert rows[gone.pseudonym].reason == "gone" and not gone.is_member

    # Once only: the job again, an hour later.
    clock.move(hours=1)
    await content.nudge_job(core)
    assert len(fake.called("chat.postMessage")) == before + len(posts)

    # "I shared it", pressed twice: recorded once, the message updated both times.
    shared = button(english, "I shared it")
    for _ in range(2):
        await bot.click("U0M0", shared, channel=dm_of("U0M0"))
        await bot.settled()
    updates = fake.called("chat.update")
    assert len(updates) == 2 and all(u["channel"] == dm_of("U0M0") for u in updates)
    assert "You shared this. Thank you!" in all_text(updates[-1])
    async with core.db.session() as s:
        [link] = (await s.exec(select(ContentLink).where(ContentLink.shared_at.is_not(None)))).all()
    # A reader clicks the shared link: counted, and on to the article with UTM.
    resp = await bot.client.get(f"/r/{link.token}?s=li", allow_redirects=False)
    assert resp.status == 302
    assert parse_qs(urlsplit(resp.headers["Location"]).query)["utm_source"] == ["linkedin"]
    async with core.db.session() as s:
        assert (await s.get(ContentLink, link.id)).clicks == 1


FEEDBACK_EN = "Feedback / topic for the next meeting"
FEEDBACK_DE = "Rückmeldung / Thema fürs nächste Treffen"


def feedback_buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]
            if e["action_id"].startswith("feedback.start:")]


async def _slack_nudges(aiohttp_client, fake, tmp_path):
    """The bot on the fake Slack with the weekly nudge configured (items need no approval), two days before it."""
    settings = make_settings(tmp_path, **slack_env(fake))
    settings.app.content = {"public_url": "https://amb.example.com", "core_group_days_earlier": 0, "max_items": 2,
                            "require_approval": False}
    core = build_core(settings)
    clock = Clock(MONDAY - timedelta(days=2))
    core.clock = clock
    content.configure(core, pacer=content.Pacer(1000, 0))
    bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)
    return core, clock, bot


async def test_slack_nudge_offers_feedback_and_a_topic_for_the_next_meeting(aiohttp_client, fake, tmp_path):
    core, clock, bot = await _slack_nudges(aiohttp_client, fake, tmp_path)
    for i, user_id in enumerate(("U0M0", "U0M1")):
        await _join_directly(core, user_id, MEMBERS[user_id]["profile"]["email"], "de" if i else "en", dm=True)
    first = await add_item(core, "Plant", en="We are opening a new plant!", de="Wir eröffnen ein neues Werk!")
    second = await add_item(core, "Fair", en="See you at the fair!", de="Wir sehen uns auf der Messe!", days_ago=2)

    clock.now = MONDAY
    assert (await content.nudge_job(core)).sent == 2
    nudges = {c["channel"]: c for c in fake.called("chat.postMessage")}
    english, german = nudges[dm_of("U0M0")], nudges[dm_of("U0M1")]
    # One button under the whole message (two items in it), in the member's language, after the items' buttons.
    [offer] = feedback_buttons(english)
    assert offer["text"]["text"] == FEEDBACK_EN
    assert english["blocks"][-2]["elements"][-1] == offer  # the last button, the context line below it
    assert json.loads(offer["value"]) == {"context": f"content:{first.id},{second.id}", "_lang": "en"}
    [angebot] = feedback_buttons(german)
    assert angebot["text"]["text"] == FEEDBACK_DE

    # Pressing it: the feedback prompt, in the DM, in the member's language (German, du by default).
    await bot.click("U0M1", angebot, channel=dm_of("U0M1"))
    await bot.settled()
    prompt = fake.replies()[-1]
    assert prompt["channel"] == dm_of("U0M1") and prompt["method"] == "chat.postMessage"
    assert "Schreib *rückmeldung* und deinen Text" in prompt["text"] and "--thema" in prompt["text"]
    assert not fake.called("chat.update")  # the nudge stays as it was
    await bot.click("U0M0", offer, channel=dm_of("U0M0"))
    await bot.settled()
    assert "Write *feedback* and your text" in fake.replies()[-1]["text"]

    # ... and the member does what it says: the topic is stored for the next meeting, with the name.
    await bot.dm("U0M1", "rückmeldung --thema Mehr Videos aus dem neuen Werk")
    await bot.settled()
    assert "Dein Thema steht mit deinem Namen auf der Liste fürs nächste Treffen" in fake.replies()[-1]["text"]
    async with core.db.session() as s:
        [topic] = (await s.exec(select(Feedback))).all()
        member1 = (await s.exec(select(Person).where(Person.email == "member1@example.com"))).one()
    assert (topic.kind, topic.text, topic.person_id) == ("topic", "Mehr Videos aus dem neuen Werk", member1.id)

    # Answering the items keeps the offer: the updated message still carries it, once.
    await bot.click("U0M0", button(english, "Not for me (1)"), channel=dm_of("U0M0"))
    await bot.click("U0M0", button(english, "I shared it (2)"), channel=dm_of("U0M0"))
    await bot.settled()
    updated = fake.called("chat.update")[-1]
    assert "You shared this. Thank you!" in all_text(updated) and "Skipped." in all_text(updated)
    assert [b["text"]["text"] for b in feedback_buttons(updated)] == [FEEDBACK_EN]


@pytest.fixture
async def connector():
    fake = await FakeConnector(users=dict(USERS)).start()
    yield fake
    await fake.close()


async def test_teams_weekly_nudge_end_to_end(tmp_path, aiohttp_client, connector):
    teams = await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = teams.core
    core.settings.app.content = {"core_group_days_earlier": 0, "require_approval": False}
    clock = Clock(MONDAY - timedelta(days=2))
    core.clock = clock
    content.configure(core, pacer=content.Pacer(1000, 0))

    # Erik joins through the cards (that stores the personal chat for messages the bot starts).
    [help_card] = await teams.say("help")
    [notice] = await teams.press(help_card, "Join the program")
    await teams.press(notice, "I agree, join")
    [added] = await teams.say("content add url: https://example.com/fair | title: Trade fair | en: See you at the fair!",
                              user=TEAMS_LEAD)
    assert "Added #1" in added.text

    clock.now = MONDAY
    stats = await content.nudge_job(core)
    assert stats.sent == 1
    nudge = connector.to(personal(TEAMS_EMPLOYEE))[-1]
    assert "Something to share this week" in nudge.all_text() and "See you at the fair!" in nudge.all_text()
    actions = {a["title"]: a for a in cards.actions_of(nudge.card)}
    assert actions["LinkedIn"]["type"] == "Action.OpenUrl" and actions["I shared it"]["type"] == "Action.Submit"
    # Under the share buttons: feedback or a topic for the next meeting, which leads into the feedback flow.
    assert list(actions)[-1] == FEEDBACK_EN and actions[FEEDBACK_EN]["data"]["action"] == "feedback.start"
    [prompt] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=actions[FEEDBACK_EN]["data"]))
    assert prompt.conversation_id == personal(TEAMS_EMPLOYEE) and "Write **feedback** and your text" in prompt.all_text()
    # The prompt is a card to fill in; what is sent keeps which nudge it was about.
    inputs = {e["id"]: e for e in prompt.card["body"] if e["type"].startswith("Input.")}
    assert list(inputs) == ["text", "kind", "name"] and inputs["text"]["isMultiline"] is True
    [send] = [a for a in cards.actions_of(prompt.card) if a["type"] == "Action.Submit"]
    [empty] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value={**send["data"], "text": " ",
                                                                          "kind": "topic", "name": "named"}))
    assert "The feedback was empty" in empty.all_text()
    [thanks] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value={
        **send["data"], "text": "More videos from the plant, please", "kind": "topic", "name": "named"}))
    assert "Your topic is on the list for the next meeting" in thanks.all_text()
    async with core.db.session() as s:
        [fb] = (await s.exec(select(Feedback))).all()
    assert (fb.kind, fb.text, fb.anonymous) == ("topic", "More videos from the plant, please", False)
    assert fb.context == actions[FEEDBACK_EN]["data"]["context"] and fb.context.startswith("content:")
    # Without a public address the link itself carries the attribution.
    assert "utm_content=" in nudge.all_text()

    for _ in range(2):
        pressed = teams.activity(user=TEAMS_EMPLOYEE, value=actions["I shared it"]["data"], replyToId="bot-activity-9")
        assert await teams.send(pressed) == []
    assert len(connector.updated) == 2 and "You shared this" in connector.updated[-1].all_text()
    async with core.db.session() as s:
        assert len((await s.exec(select(ContentLink).where(ContentLink.shared_at.is_not(None)))).all()) == 1

    # Next week nothing new: Erik got the only item already. A 403 from the connector
    # (the app was removed) would skip him; the lead is no member, so never nudged.
    seen = len(connector.to(personal(TEAMS_EMPLOYEE)))
    clock.move(days=7)
    await content.nudge_job(core)
    assert len(connector.to(personal(TEAMS_EMPLOYEE))) == seen


@pytest.mark.parametrize("status", [403, 404], ids=["bot-blocked-403", "chat-gone-404"])
async def test_teams_403_or_404_skips_the_member_and_the_run_goes_on(tmp_path, aiohttp_client, connector, status):
    teams = await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = teams.core
    core.settings.app.content = {"core_group_days_earlier": 0, "require_approval": False}
    clock = Clock(MONDAY - timedelta(days=2))
    core.clock = clock
    content.configure(core, pacer=content.Pacer(1000, 0), concurrency=1)
    for user in (TEAMS_EMPLOYEE, TEAMS_LEAD):
        [help_card] = await teams.say("help", user=user)
        [notice] = await teams.press(help_card, "Join the program", user=user)
        await teams.press(notice, "I agree, join", user=user)
    await teams.say("content add url: https://example.com/a | en: Share this", user=TEAMS_LEAD)
    clock.now = MONDAY
    connector.fail_next(status)
    stats = await content.nudge_job(core)
    assert stats.sent == 1 and stats.skipped == 1
    async with core.db.session() as s:
        reasons = sorted((r.status, r.reason) for r in (await s.exec(select(ContentDelivery))).all())
    assert reasons == [("sent", None), ("skipped", "gone")]


async def test_slack_monthly_thank_you_end_to_end(aiohttp_client, fake, tmp_path):
    from tests.test_content import APRIL_1, THANKS, activity

    settings = make_settings(tmp_path, **slack_env(fake))
    settings.app.content = {"thanks": THANKS}
    core = build_core(settings)
    clock = Clock(APRIL_1 - timedelta(days=1))
    core.clock = clock
    content.configure(core, pacer=content.Pacer(1000, 0))
    app = create_app(settings, core=core, background=False)
    bot = SlackBot(await aiohttp_client(app), fake)
    for i, user_id in enumerate(("U0M0", "U0M1", "U0M2")):
        await _join_directly(core, user_id, MEMBERS[user_id]["profile"]["email"], "de" if i % 2 else "en", dm=True)
    async with core.db.session() as s:
        people = {p.email: p for p in (await s.exec(select(Person))).all()}
    await activity(core, people["member0@example.com"], shares=2, clicks=5)
    await activity(core, people["member1@example.com"], shares=4)
    await activity(core, people["member2@example.com"], clicks=1)  # below the minimum

    clock.now = APRIL_1
    stats = await content.thanks_job(core)
    assert stats is not None and stats.sent == 2
    posts = {c["channel"]: c for c in fake.called("chat.postMessage")}
    assert sorted(posts) == [dm_of("U0M0"), dm_of("U0M1")]
    english, german = posts[dm_of("U0M0")], posts[dm_of("U0M1")]
    assert "In March you shared 2 of our posts, and people opened your links 5 times." in all_text(english)
    assert "Im März hast du 4 unserer Beiträge geteilt." in all_text(german)
    # Once a month: the job again, an hour later.
    clock.move(hours=1)
    await content.thanks_job(core)
    assert len(fake.called("chat.postMessage")) == 2

    # The button under the message turns the thank-you off; the message stays, with the confirmation.
    await bot.click("U0M1", button(german, "Keine Dankesnachrichten mehr"), channel=dm_of("U0M1"))
    await bot.settled()
    [updated] = fake.called("chat.update")
    assert "Im März hast du 4 unserer Beiträge geteilt." in all_text(updated)
    assert "Mit *danke an* kommen sie wieder" in all_text(updated) and "Keine Dankesnachrichten mehr" not in all_text(updated)
    async with core.db.session() as s:
        pref = (await s.exec(select(ContentPref).where(ContentPref.person_id == people["member1@example.com"].id))).one()
    assert pref.thanks is False


# -- adding content with the form: a Slack modal, a Teams card ----------------------------------------------

CLARA = "U0CLARA"  # a communicator for Sales whose Slack speaks German


class FakeSlackWithModals(FakeSlack):
    """Slack's views.open, which tests/fakes/slack.py does not answer: the view with the id Slack gives it."""

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "views.open":
            if not str(params.get("trigger_id") or ""):
                return {"ok": False, "error": "invalid_trigger_id"}
            return {"ok": True, "view": {"id": f"V0FORM{len(self.called('views.open'))}", **(params.get("view") or {})}}
        return super()._answer(method, params)


@pytest.fixture
async def modal_slack():
    users = {**FakeSlack().users, CLARA: _user(CLARA, "clara.sales@example.com", "Clara Sales", locale="de-DE")}
    server = await FakeSlackWithModals(users=users).start()
    yield server
    await server.close()


async def _form_bot(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    core = build_core(settings)
    return SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def _state(**entered: str | None) -> dict[str, Any]:
    """A view's state as Slack sends it on submission, for the form's fields."""
    values: dict[str, Any] = {}
    for name in content.FORM_FIELDS:
        value = entered.get(name)
        if name == "audience":
            element = {"type": "static_select",
                       "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value} if value else None}
        elif name in ("from", "until"):
            element = {"type": "datepicker", "selected_date": value}
        else:
            element = {"type": "plain_text_input", "value": value}
        values[name] = {name: element}
    return {"values": values}


async def _submit(bot: SlackBot, user: str, view: dict[str, Any], view_id: str, **entered: str | None):
    payload = {
        "type": "view_submission",
        "team": {"id": "T0HOME", "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0HOME"},
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": f"{view_id}.trigger",
        "view": {**view, "id": view_id, "state": _state(**entered), "hash": "1.abc"},
    }
    resp = await bot.interact(payload)
    assert resp.status == 200 and await resp.text() == ""  # acknowledged empty: the modal closes
    await bot.settled()


async def _items(core) -> list[Any]:
    from storage.models_content import ContentItem

    async with core.db.session() as s:
        return list((await s.exec(select(ContentItem))).all())


async def test_slack_lead_adds_content_with_the_modal_and_bad_input_loses_nothing(aiohttp_client, modal_slack, tmp_path):
    fake = modal_slack
    bot = await _form_bot(aiohttp_client, fake, tmp_path)
    await bot.dm(LEAD, "language en")
    await bot.settled()

    # In a DM message there is no trigger to open a modal with: the overview offers the form's button.
    await bot.dm(LEAD, "content")
    await bot.settled()
    overview = fake.replies()[-1]
    assert overview["channel"] == dm_of(LEAD) and not fake.called("views.open")
    await bot.click(LEAD, button(overview, "Add with a form"), channel=dm_of(LEAD))
    await bot.settled()
    [opened] = fake.called("views.open")
    view = opened["view"]
    assert opened["trigger_id"] and view["type"] == "modal" and view["title"]["text"] == "Add content"
    assert json.loads(view["private_metadata"]) == {"a": "content.form.submit", "v": {"_lang": "en"}}
    inputs = _inputs(view)
    assert list(inputs) == ["url", "title", "en", "de", "audience", "from", "until", "image", "rights"]
    assert inputs["en"]["element"]["multiline"] is True and inputs["until"]["element"]["type"] == "datepicker"
    assert not inputs["url"]["optional"] and inputs["until"]["optional"] and inputs["rights"]["optional"]
    options = [o["value"] for o in inputs["audience"]["element"]["options"]]
    assert options == ["all", "core", "Sales", "HR", "Engineering", "Marketing", "Operations"]
    posts = len(fake.replies())

    # Submitted: stored as the text command stores it (the lead's own item needs no approval), answered in the DM.
    await _submit(bot, LEAD, view, "V0FORM1", url="https://example.com/fair", title="Trade fair",
                  en="See you at the fair!", audience="Sales", until="2099-12-31")
    [item] = await _items(bot.core)
    assert (item.url, item.title, item.text_en, item.text_de) == ("https://example.com/fair", "Trade fair",
                                                                   "See you at the fair!", None)
    assert (item.audience, item.department, item.status, item.created_via) == ("department", "Sales", "approved", "chat")
    assert item.valid_until is not None and item.valid_from is None
    [answer] = fake.replies()[posts:]
    assert answer["channel"] == dm_of(LEAD) and "Added #1 “Trade fair” for Sales" in answer["text"]

    # No link, an end date in the past: the same clear messages as the text command, nothing stored.
    await bot.command(LEAD, "content add", channel=dm_of(LEAD))  # the slash command opens the modal at once
    await bot.settled()
    second = fake.called("views.open")[-1]
    assert len(fake.called("views.open")) == 2 and len(fake.replies()) == posts + 1
    await _submit(bot, LEAD, second["view"], "V0FORM2", title="Fair 2", de="Wir sehen uns!", until="2020-01-31")
    assert len(await _items(bot.core)) == 1
    refused = fake.replies()[-1]
    assert refused["channel"] == dm_of(LEAD)
    text = refused["text"]
    assert text.startswith("Not added: The item needs a link") and "The end date 2020-01-31 is in the past" in text
    # What was entered comes back, as a message ready to correct and send, and as the form pre-filled.
    assert blockkit_text(text).endswith("\n\ncontent add\ntitle: Fair 2\nde: Wir sehen uns!\nuntil: 2020-01-31")
    again = button(refused, "Open the form again")
    await bot.click(LEAD, again, channel=dm_of(LEAD))
    await bot.settled()
    refilled = _inputs(fake.called("views.open")[-1]["view"])
    assert refilled["title"]["element"]["initial_value"] == "Fair 2"
    assert refilled["de"]["element"]["initial_value"] == "Wir sehen uns!"
    assert refilled["until"]["element"]["initial_date"] == "2020-01-31"
    assert "initial_value" not in refilled["url"]["element"]

    # The ready-to-edit text, corrected and sent, adds the item.
    await bot.dm(LEAD, blockkit_text(text).split("\n\n")[-1].replace("until: 2020-01-31", "url: https://example.com/2"))
    await bot.settled()
    assert "Added #2 “Fair 2”" in fake.replies()[-1]["text"]
    assert [i.url for i in await _items(bot.core)] == ["https://example.com/fair", "https://example.com/2"]


def blockkit_text(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def test_slack_form_in_german_for_a_communicator_and_refused_to_an_employee(aiohttp_client, modal_slack, tmp_path):
    fake = modal_slack
    bot = await _form_bot(aiohttp_client, fake, tmp_path)

    # An employee who is no author: the refusal, and no modal.
    await bot.command(EMPLOYEE, "content add", channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert fake.replies()[-1]["text"].startswith("Only ") and not fake.called("views.open")
    await bot.click(EMPLOYEE, {"action_id": "content.form:0", "value": "{}"}, channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert fake.replies()[-1]["text"].startswith("Only ") and not fake.called("views.open")
    # ... nor can a forged submission add anything.
    await _submit(bot, EMPLOYEE, {"type": "modal", "callback_id": "ambassador_form",
                                  "private_metadata": json.dumps({"a": "content.form.submit", "v": {}})},
                  "V0FORGED", url="https://example.com/x", en="Sneaky")
    assert fake.replies()[-1]["text"].startswith("Only ") and await _items(bot.core) == []

    # Clara, communicator for Sales, with Slack in German: German labels, her audiences only.
    await bot.command(CLARA, "inhalt neu", channel=dm_of(CLARA))
    await bot.settled()
    [opened] = fake.called("views.open")
    view = opened["view"]
    inputs = _inputs(view)
    assert view["title"]["text"] == "Inhalt hinzufügen" and view["submit"]["text"] == "Hinzufügen"
    assert [b["label"]["text"] for b in inputs.values()][:4] == [
        "Link (URL)", "Titel", "Textvorschlag auf Deutsch", "Textvorschlag auf Englisch"]
    assert [o["value"] for o in inputs["audience"]["element"]["options"]] == ["all", "Sales"]
    await _submit(bot, CLARA, view, "V0FORM1", url="https://example.com/messe", de="Besucht uns auf der Messe!",
                  audience="Sales")
    [item] = await _items(bot.core)
    assert (item.department, item.status, item.text_de) == ("Sales", "pending", "Besucht uns auf der Messe!")
    mine = [m for m in fake.replies() if m["channel"] == dm_of(CLARA)][-1]
    assert "wartet auf die Freigabe" in mine["text"]
    # The lead got it to approve, as with the text command.
    assert any("Content to approve: #1" in all_text(m) or "Inhalt zur Freigabe: #1" in all_text(m)
               for m in fake.replies() if m["channel"] == dm_of(LEAD))


async def test_teams_lead_adds_content_with_the_card(tmp_path, aiohttp_client, connector):
    teams = await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")
    [refused] = await teams.say("content add")  # Erik is no author
    assert refused.text.startswith("Only ") and refused.card is None

    [form] = await teams.say("content add", user=TEAMS_LEAD)
    card = form.card
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert list(inputs) == list(content.FORM_FIELDS)
    assert inputs["url"]["type"] == "Input.Text" and inputs["url"]["isRequired"] is True
    assert inputs["en"]["isMultiline"] is True and inputs["until"]["type"] == "Input.Date"
    assert inputs["audience"]["type"] == "Input.ChoiceSet"
    assert [c["value"] for c in inputs["audience"]["choices"]][:3] == ["all", "core", "Sales"]
    [submit] = [a for a in cards.actions_of(card) if a["type"] == "Action.Submit"]
    assert submit["title"] == "Add" and submit["data"]["action"] == "content.form.submit"

    # Missing link: the clear message in a new message (the card keeps what was typed), nothing stored.
    entered = {"title": "Trade fair", "en": "See you at the fair!", "audience": "all", "until": "", "url": ""}
    [refusal] = await teams.send(teams.activity(user=TEAMS_LEAD, value={**submit["data"], **entered},
                                                replyToId="bot-activity-1"))
    assert "The item needs a link" in refusal.all_text() and await _items(teams.core) == []
    [again] = await teams.press(refusal, "Open the form again", user=TEAMS_LEAD)
    refilled = {e["id"]: e for e in again.card["body"] if e["type"].startswith("Input.")}
    assert refilled["title"]["value"] == "Trade fair" and refilled["en"]["value"] == "See you at the fair!"

    # Teams sends the inputs' values with the button's data: stored, and the card replaced by the answer.
    entered["url"] = "https://example.com/fair"
    assert await teams.send(teams.activity(user=TEAMS_LEAD, value={**submit["data"], **entered},
                                           replyToId="bot-activity-2")) == []
    [item] = await _items(teams.core)
    assert (item.url, item.title, item.audience, item.status) == ("https://example.com/fair", "Trade fair", "all",
                                                                  "approved")
    assert "Added #1 “Trade fair”" in connector.updated[-1].all_text()


async def test_the_terminal_shows_the_form_as_the_text_command_and_a_stored_form_reply_survives(tmp_path):
    import io

    from bot.messages import Button, Form, FormField, Reply
    from bot.platforms.shell.chat import Shell

    core = build_core(make_settings(tmp_path))
    await core.db.upgrade()
    try:
        out = io.StringIO()
        shell = Shell(core, "lea.lead@example.com", lang="en", out=out)
        await shell.say("content add")
        printed = out.getvalue()
        assert "A new item for the content queue:" in printed and "Add an item in one message" in printed
        assert "url: https://example.com/news" in printed and "[1]" not in printed  # no button to press here
    finally:
        await core.db.dispose()

    # Kept in the database for a later delivery (Reply.to_dict), the form comes back whole.
    form_reply = Reply(text="Fill in", form=Form(
        "Add content", "Add", "content.form.submit",
        [FormField("audience", "Audience", "select", options=[("all", "all members")], initial="all")],
        value={"_lang": "de"}, button=Button("Add with a form", "content.form", value={"_lang": "de"}),
        fallback="content add url: …"))
    stored = json.loads(json.dumps(form_reply.to_dict()))
    assert Reply.from_dict(stored) == form_reply
    assert form_reply.plain() == "Fill in\ncontent add url: …"


async def test_slack_pause_and_quiet_hours_set_in_chat_hold_the_nudge_back(aiohttp_client, fake, tmp_path):
    core, clock, bot = await _slack_nudges(aiohttp_client, fake, tmp_path)
    for user_id in ("U0M0", "U0M1", "U0M2"):
        await _join_directly(core, user_id, MEMBERS[user_id]["profile"]["email"], "en", dm=True)
    await add_item(core, "Plant", en="We are opening a new plant!", de="Wir eröffnen ein neues Werk!")
    # Through Slack, as members do it: one pauses, one keeps the mornings quiet (09:30 in Berlin is inside).
    await bot.dm("U0M1", "nudges pause")
    await bot.dm("U0M2", "quiet hours 07:00-12:00")
    await bot.settled()
    assert "No nudges between 07:00 and 12:00" in all_text(fake.replies()[-1])

    def nudged(user_id: str) -> int:
        return sum(1 for c in fake.called("chat.postMessage")
                   if c["channel"] == dm_of(user_id) and "Something to share this week" in c.get("text", ""))

    clock.now = MONDAY
    await content.nudge_job(core)
    assert (nudged("U0M0"), nudged("U0M1"), nudged("U0M2")) == (1, 0, 0)
    clock.now = MONDAY + timedelta(hours=2, minutes=35)  # 12:05 in Berlin: the quiet hours are over
    await content.nudge_job(core)
    assert (nudged("U0M0"), nudged("U0M1"), nudged("U0M2")) == (1, 0, 1)
    async with core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery))).all()
    assert sorted(r.status for r in rows) == ["sent", "sent"]  # the paused member was not even planned


async def test_slack_feedback_from_a_nudge_opens_a_modal_and_keeps_what_it_was_about(aiohttp_client, modal_slack,
                                                                                      tmp_path):
    fake = modal_slack
    core, clock, bot = await _slack_nudges(aiohttp_client, fake, tmp_path)
    await _join_directly(core, EMPLOYEE, "erik.employee@example.com", "en", dm=True)
    await add_item(core, "Plant", en="We are opening a new plant!", de="Wir eröffnen ein neues Werk!")
    clock.now = MONDAY
    assert (await content.nudge_job(core)).sent == 1
    [nudge] = [c for c in fake.called("chat.postMessage") if c["channel"] == dm_of(EMPLOYEE)]
    offer = button(nudge, FEEDBACK_EN)
    await bot.click(EMPLOYEE, offer, channel=dm_of(EMPLOYEE))
    await bot.settled()
    [opened] = fake.called("views.open")
    view = opened["view"]
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["text", "kind", "name"]

    def picked(value: str) -> dict[str, Any]:
        return {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": value},
                                                             "value": value}}

    payload = {
        "type": "view_submission", "team": {"id": "T0HOME", "domain": "example"},
        "user": {"id": EMPLOYEE, "username": "erik", "team_id": "T0HOME"}, "api_app_id": "A0APP", "token": "legacy",
        "trigger_id": "V0FEED.trigger",
        "view": {**view, "id": "V0FEED", "hash": "1.abc", "state": {"values": {
            "text": {"text": {"type": "plain_text_input", "value": "Shorter texts would be easier to share"}},
            "kind": {"kind": picked("feedback")}, "name": {"name": picked("anonymous")}}}},
    }
    resp = await bot.interact(payload)
    assert resp.status == 200
    await bot.settled()
    assert "noted without your name" in fake.replies()[-1]["text"]
    async with core.db.session() as s:
        [fb] = (await s.exec(select(Feedback))).all()
        [item] = await _items(core)
    assert (fb.text, fb.kind, fb.anonymous, fb.person_id) == ("Shorter texts would be easier to share", "feedback",
                                                               True, None)
    assert fb.context == f"content:{item.id}"  # which nudge it was about, though sent without a name
