"""Weekly shareable content: the content queue, approval, scheduled nudges through a
durable outbox, one-tap sharing and share tracking.

The nudge is built so that each (item, person) reaches the person at most once:

- a run (one wave of one schedule slot) is a ``content_run`` row, planned under
  a lease; planning writes one ``content_delivery`` (outbox) row per person and
  one ``content_link`` row per (item, person), both under unique constraints;
- one sender at a time (a lease row) works the outbox off, paced to the
  platform's limits; each row is claimed with a compare-and-set (on PostgreSQL
  after ``SELECT ... FOR UPDATE SKIP LOCKED``), marked 'sending' right before
  the platform call and 'sent' right after it;
- a row a stopped process left in 'sending' is 'uncertain': reconciled where
  the platform can tell (a sender with ``find_sent``), otherwise reported to
  the comms lead and not sent again unless someone says so
  (``ambassador nudge resend ID``).

Handlers here return neutral replies only; platform errors are recognised by
their text and attributes, never by importing an SDK.

The package, from the bottom up (each module imports only those above it):
``config`` (app.yaml's ``content:``), ``texts``, ``models`` (the tables, which live in
storage/models_content.py), ``items`` (an item parsed, validated, stored), ``schedule``
(slots, quiet hours, the thank-you's day), ``holds`` (crisis posting holds: the one place
that reads them), ``pacing``, ``cards`` (neutral rich replies), ``sharetexts`` (the ready share texts, checked by the answer engine), ``thanks`` (who is
thanked), ``planning``, ``runs``, ``outbox`` (sending), ``jobs`` (scheduled work),
``chat`` (commands and buttons), ``redirect`` (share links), ``privacy``, ``figures``
(metrics), ``cli``. This file declares the capability and names what callers use.
"""

from __future__ import annotations

import functools

from bot import links
from bot.capability import Capability, DemoSeed, ScheduledJob
from handlers.content import cli
from handlers.content.cards import FEED_REASONS, audience_label, feed_reason, next_nudge_text
from handlers.content.chat import FORM_FIELDS, _pref, register
from handlers.content.config import content_config, program_tz, public_url
from handlers.content.demo import demo_plan
from handlers.content.figures import OUTBOX, REPORT_SOURCES
from handlers.content.items import (
    TEXT_MAX,
    TITLE_MAX,
    ItemDraft,
    describe_problems,
    item_with_link,
    needs_approval,
    store_item,
    valid_web_url,
    validate_item,
)
from handlers.content.jobs import nudge_job, plan_due, run_now, send_approval_requests, thanks_job
from handlers.content.outbox import SendStats, send_due
from handlers.content.pacing import Pacer, configure, new_nudger, nudger
from handlers.content.planning import ensure_run, plan_run
from handlers.content.privacy import forget_content, my_content_data
from handlers.content.redirect import follow_link
from handlers.content.runs import resend, run_counts, status_summary
from handlers.content.schedule import (
    cycle_key,
    due_waves,
    next_thanks,
    prev_slot,
    quiet_until,
    thanks_due,
    working_day,
)
from handlers.content.sharetexts import SHARE_TEXTS
from handlers.content.texts import TEXTS
from handlers.content.thanks import Thanked, choose_thanked, month_activity, thanks_preview_data

# What callers and tests use as ``content.X`` (``content.config`` is the submodule; the section is
# ``content.content_config(settings)``).
__all__ = [
    "CAPABILITY", "FEED_REASONS", "FORM_FIELDS", "TEXTS", "TEXT_MAX", "TITLE_MAX", "ItemDraft", "Pacer", "SendStats", "Thanked",
    "_pref", "audience_label", "choose_thanked", "configure", "content_config", "cycle_key", "describe_problems", "due_waves",
    "ensure_run", "feed_reason", "follow_link", "item_with_link", "month_activity", "needs_approval", "next_nudge_text", "next_thanks",
    "nudge_job", "nudger", "plan_due", "plan_run", "prev_slot", "program_tz", "public_url", "quiet_until", "resend",
    "run_counts", "run_now", "send_approval_requests", "send_due", "status_summary", "store_item", "thanks_due",
    "thanks_job", "thanks_preview_data", "valid_web_url", "validate_item", "working_day",
]

CAPABILITY = Capability(
    name="content",
    register=register,
    texts=(TEXTS, SHARE_TEXTS),
    config=("content",),
    config_checks=(content_config,),
    jobs=(ScheduledJob(60, "content-nudge", nudge_job), ScheduledJob(60, "content-thanks", thanks_job)),
    data_providers=(my_content_data,),
    forget_hooks=(forget_content,),
    outboxes=(OUTBOX,),
    report_sources=REPORT_SOURCES,  # items sent, shares, clicks
    cli=(cli.register,),
    routes=(functools.partial(links.mount, follow_link=follow_link),),  # the share links: GET /r/{token}
    public_url=public_url,  # content.public_url: where share links and file links point
    demo=DemoSeed(plan=demo_plan),  # items, the weekly nudges, shares and clicks
    state=new_nudger,  # this process's lease holder name, pace and concurrency
)
