"""crisis: any employee reports in seconds; the policy's people are alerted until one acknowledges.

A report is a row before the reporter gets the receipt. Its escalation is state
in the same row (the next step and when it is due), worked off right after the
report and then by a job every few seconds on whichever replica claims the row
first (jobs.py). The lead can also hold posting on a topic (holds.py): the
holds reach the answer engine and the bot's own sends through the guards
declared below, which those capabilities find on the router, never by import.

The package: config (the ``crisis:`` section), texts, models, chat (the command
and its buttons), cards (receipt and alert), reports (a report on its way in),
rota (who is alerted), jobs (the escalation), holds, trail, privacy, figures
(for /metrics), cli (``ambassador crisis``).
"""

from __future__ import annotations

from bot.capability import Capability, DemoSeed, ScheduledJob, Shortcut
from handlers.crisis import cli
from handlers.crisis.chat import register
from handlers.crisis.config import CLAIM, FIRST_CLAIM, JOB_SECONDS, CrisisConfig, load_config
from handlers.crisis.demo import demo_plan
from handlers.crisis.figures import ESCALATIONS, REPORT_SOURCES
from handlers.crisis.helpers import fmt_time
from handlers.crisis.holds import active_holds, answer_guard, hold_matching, send_guard
from handlers.crisis.jobs import advance, run_due
from handlers.crisis.privacy import forget, my_data
from handlers.crisis.reports import Draft, _store, propose_severity, store_report
from handlers.crisis.state import new_state, settle
from handlers.crisis.texts import TEXTS, TRAIL_TEXTS
from handlers.crisis.trail import describe_event, summary_line, trail

__all__ = [
    "CAPABILITY", "CLAIM", "FIRST_CLAIM", "CrisisConfig", "Draft", "_store", "active_holds", "advance",
    "answer_guard", "describe_event", "fmt_time", "hold_matching", "load_config", "propose_severity",
    "register", "run_due", "send_guard", "settle", "store_report", "summary_line", "trail",
]

CAPABILITY = Capability(
    name="crisis",
    register=register,
    texts=(TEXTS, TRAIL_TEXTS),
    config=("crisis",),
    config_checks=(load_config,),
    # The reported message's link and screenshot go with the report.
    shortcuts=(Shortcut("crisis.report", slack="report_to_comms", teams="reportToComms", link=True, files=True),),
    jobs=(ScheduledJob(JOB_SECONDS, "crisis-escalation", run_due),),
    # Posting holds: a question on a held topic gets "no" with the lead's note; while a hold lasts,
    # the bot's own sends (nudges, thank-yous) wait.
    answer_guards=(answer_guard,),
    send_guards=(send_guard,),
    data_providers=(my_data,),
    forget_hooks=(forget,),
    outboxes=(ESCALATIONS,),
    report_sources=REPORT_SOURCES,  # reports by severity and status, time to acknowledge
    cli=(cli.register,),
    demo=DemoSeed(plan=demo_plan),  # one report, acknowledged and resolved
    state=new_state,  # its configuration, group commits, background work and the holds read last
)
