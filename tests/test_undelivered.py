"""A message the bot starts for someone while answering another person, and cannot deliver, is told to
that sender in words, in the sender's language: whom it did not reach, why, and what to do (issue 13,
item 4). On Teams a bot may write only to people who have a chat with it; on Slack a send can fail."""

from __future__ import annotations

from bot.core import Core
from storage.models import ConversationRef
from tests.harness import BEN, CLARA, ERIK, LEA, Harness


def _text(replies) -> str:
    return "\n".join(r.text or "" for r in replies)


async def test_a_poll_to_members_on_teams_names_who_has_no_chat_with_the_bot_yet(core: Core):
    h = Harness(core, platform="teams")
    await h.member(LEA)
    await h.member(ERIK)
    await h.member(CLARA)
    h.sender.fail_for.add(ERIK.user)  # Erik never opened the app: Teams refuses a first message
    async with core.db.session() as s:
        s.add(ConversationRef(platform="teams", user_id=CLARA.user, conversation_id="a:clara", reference={}))
        await s.commit()
    out = _text(await h.say(LEA, 'poll "Team event?" Bowling | Cooking --audience members --closes 1d'))
    assert "Not delivered to Erik Employee: they have not opened a chat with me yet" in out, out
    assert "please tell them yourself" in out
    assert "Clara" not in out.split("Not delivered")[-1]  # reached: not named
    assert h.received(CLARA) and not h.received(ERIK)


async def test_the_note_is_in_the_senders_language(core: Core):
    h = Harness(core, platform="teams")
    await h.member(LEA, lang="de")
    await h.member(ERIK)
    h.sender.fail_for.add(ERIK.user)
    out = _text(await h.say(LEA, 'umfrage "Teamevent?" Bowling | Kochen --audience members --closes 1d', lang="de-DE"))
    assert "Nicht zugestellt an Erik Employee: sie haben noch keinen Chat mit mir geöffnet" in out, out
    assert "Not delivered" not in out


async def test_a_crisis_alert_slack_refused_is_told_to_the_reporter(core: Core):
    h = Harness(core)  # Slack: anyone can be written to, but a send can still fail (a removed account)
    await h.member(LEA)
    await h.member(BEN)
    await h.member(ERIK)
    h.sender.fail_for.add(LEA.user)
    out = _text(await h.say(ERIK, "crisis Someone posted our customer list"))
    assert "Not delivered to Lea Lead: their chat platform did not take the message" in out, out
    assert "not opened a chat" not in out


async def test_nothing_is_added_when_everything_arrived(core: Core):
    h = Harness(core)
    await h.member(LEA)
    await h.member(ERIK)
    out = _text(await h.say(LEA, 'poll "Team event?" Bowling | Cooking --audience members --closes 1d'))
    assert "Not delivered" not in out and h.received(ERIK)


async def test_an_approval_request_to_a_lead_who_never_wrote_is_told_to_the_author(core: Core):
    h = Harness(core, platform="teams")
    await h.member(CLARA)
    # Lea and Ben are known by address only (app.yaml): nobody with a chat account to write to.
    out = _text(await h.say(CLARA, "content add url: https://example.com/news | title: Our news | en: Read this!"))
    assert "waits for the comms lead's approval" in out
    # Nobody with a chat account has the lead's or the backup's address yet: the author hears of both.
    assert "Not delivered to lea.lead@example.com, ben.backup@example.com: they have not opened a chat" in out, out


async def test_a_meeting_summary_names_the_members_it_did_not_reach(core: Core):
    h = Harness(core, platform="teams")
    await h.member(LEA)
    await h.member(ERIK)
    await h.member(CLARA)
    h.sender.fail_for.add(ERIK.user)
    async with core.db.session() as s:
        s.add(ConversationRef(platform="teams", user_id=CLARA.user, conversation_id="a:clara", reference={}))
        await s.commit()
    out = _text(await h.say(LEA, "meeting summary We agreed on two posts a month."))
    assert "Not delivered to Erik Employee: they have not opened a chat with me yet" in out, out
    assert h.received(CLARA)
