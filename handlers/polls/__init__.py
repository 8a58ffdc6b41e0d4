"""Polls: a communicator asks, members vote with one tap, results when the poll closes.

The capability in one declaration (``CAPABILITY``); its parts: ``config`` and
``texts``, ``parse`` (the command), ``ballots`` (the voter key, sealing,
counting), ``figures`` (counts in SQL), ``cards`` (the poll as a neutral reply),
``service`` (creating a poll, its audience), ``chat`` (commands and buttons),
``jobs`` (series, reminders, closing, the outbox) and ``cli``.
"""

from __future__ import annotations

from bot.capability import Capability, DemoSeed, OutboxGauge, ScheduledJob
from handlers.polls import cli
from handlers.polls.ballots import (
    NoProgramKey,
    Tally,
    _upsert_voter,
    ballot_secret,
    cast_ballot,
    person_key,
    seal_mask,
    tally,
    voter_key,
)
from handlers.polls.cards import audience_name, poll_message, results_reply, results_visible
from handlers.polls.chat import forget_poll_data, my_poll_data, register
from handlers.polls.config import PollsConfig, polls_config
from handlers.polls.demo import demo_plan
from handlers.polls.jobs import (
    _OUTBOX_STATUSES,
    close_poll,
    deliver_outbox,
    due_to_close,
    polls_job,
    queue_reminders,
    run_due,
    start_due_series,
)
from handlers.polls.jobs import _outbox_depth as outbox_depth
from handlers.polls.parse import (
    PollInputError,
    PollSpec,
    ValidPoll,
    parse_command,
    parse_duration,
    parse_when,
    validate,
)
from handlers.polls.service import audience_ids, core_group_emails, create_poll, in_audience
from handlers.polls.texts import TEXTS
from handlers.polls.times import _fmt, person_zone
from storage.outbox import MAX_ATTEMPTS

__all__ = [
    "CAPABILITY", "MAX_ATTEMPTS", "TEXTS", "NoProgramKey", "PollInputError", "PollSpec", "PollsConfig", "Tally",
    "ValidPoll", "_fmt", "person_zone", "_upsert_voter", "audience_ids", "audience_name", "ballot_secret", "cast_ballot",
    "close_poll", "core_group_emails", "create_poll", "deliver_outbox", "due_to_close", "in_audience", "parse_command",
    "parse_duration", "parse_when", "person_key", "poll_message", "polls_config", "queue_reminders", "results_reply",
    "results_visible", "run_due", "seal_mask", "start_due_series", "tally", "validate", "voter_key",
]

CAPABILITY = Capability(
    name="polls",
    register=register,
    texts=(TEXTS,),
    config=("polls",),
    config_checks=(polls_config,),
    jobs=(ScheduledJob(30, "polls", polls_job),),
    data_providers=(my_poll_data,),
    forget_hooks=(forget_poll_data,),
    outboxes=(OutboxGauge("poll_outbox", outbox_depth, statuses=_OUTBOX_STATUSES),),
    cli=(cli.register,),  # polls and feedback on the command line
    demo=DemoSeed(plan=demo_plan),  # a named and an anonymous poll, voted on and closed
)
