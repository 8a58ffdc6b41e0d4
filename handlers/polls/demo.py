"""What polls add to the demo workspace (bot/demo.py): a named and an anonymous poll of the comms lead,
sent, voted on by most members (the anonymous ballots sealed) and closed in the meeting report's period."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from handlers.polls.ballots import _upsert_voter, cast_ballot, person_key, seal_mask
from handlers.polls.jobs import close_poll, deliver_outbox
from handlers.polls.parse import ValidPoll
from handlers.polls.service import create_poll
from storage.models import Person


def demo_plan(demo: Any) -> None:
    close_named, close_anon = demo.recent(0.55), demo.recent(0.65)
    demo.at(close_named - timedelta(days=3), lambda: _poll(
        demo, "Which format suits our next ambassador meeting?", ["On site", "Online", "Hybrid"], False, close_named))
    demo.at(close_anon - timedelta(days=4), lambda: _poll(
        demo, "How confident do you feel posting about work?", ["Very", "Somewhat", "Not yet"], True, close_anon))


async def _poll(demo: Any, question: str, options: list[str], anonymous: bool, closes_at: datetime) -> None:
    core = demo.core
    vp = ValidPoll(question=question, options=options, multi=False, anonymous=anonymous, audience_kind="members",
                   audience_value="", closes_at=closes_at, remind_at=None, every_days=None)
    poll, _ = await create_poll(core, vp, creator=demo.person("lea"), platform=None)
    await deliver_outbox(core)
    voters = demo.members()
    demo.rng.shuffle(voters)
    opened = core.now()
    for person in voters[: max(6, len(voters) - 2)]:
        idx = demo.rng.choices(range(len(options)), weights=[5, 3, 2][: len(options)])[0]
        demo.at(opened + (closes_at - opened) * demo.rng.uniform(0.05, 0.9),
                lambda person=person, idx=idx, poll=poll: _vote(demo, poll, person, idx))
    demo.at(closes_at, lambda poll=poll: _close(demo, poll.id))


async def _vote(demo: Any, poll: Any, person: Person, idx: int) -> None:
    """As the vote in chat.py: the ballot (sealed with the program key for an anonymous poll) and, for a
    named poll only, who voted."""
    core, settings = demo.core, demo.settings
    key = person_key(settings, poll.id, person.id)
    async with core.db.engine.begin() as conn:
        await cast_ballot(core.db, poll, key, idx, conn=conn, mask=seal_mask(settings, poll, key))
        if not poll.anonymous:
            await _upsert_voter(conn, core.db, poll.id, person.id, key, core.now())


async def _close(demo: Any, poll_id: int) -> None:
    if await close_poll(demo.core, poll_id):
        demo.count["polls"] += 1
    await deliver_outbox(demo.core)
