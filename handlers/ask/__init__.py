"""ask: "may I post this?" answered from the guideline knowledge base; gaps passed to the comms team.

Any message that is no command is taken as a question or a draft (the
router's fallback); so are ``ask ...`` / ``frage ...`` and the "Check before
posting" message shortcut (action ``ask.check`` with the message text in
``values["text"]``). The engine is built once per process, on first use; with
app.yaml's ``llm`` enabled the answer is composed by the language model and
post-checked (knowledge/llm.py). Every answer guard a capability declares (the
crisis capability's posting holds) is consulted through the router before the
answer goes out, and can only make it stricter; ask imports no capability.

Each answer is recorded without its text (``ask_question``); "Helpful?"
feedback once per answer and person (``ask_feedback``). When no guideline fits,
or an answer was not helpful, the asker may pass the question to the comms
team: only then is its text kept (``kb_gap``, at most 2,000 characters). The
comms lead (or a backup) gets it in chat, answers with ``answer GAP-ID text``
or ``answer GAP-ID rule:<guideline id>``, and the asker gets the answer. A
periodic job retries what could not be delivered and tells the lead about
guideline files that fail to load.

The package: config, texts, service (the engine of a core), chat (the commands
and buttons), cards (the replies), gaps, jobs, privacy, figures (for /metrics and the report), records (what
it stores of the answers: questions, feedback, gaps, reload alerts), cli (``kb``, ``ask``, ``eval``), demo.
"""

from __future__ import annotations

from bot.capability import Capability, DemoSeed, ScheduledJob, Shortcut
from handlers.ask import cli
from handlers.ask.chat import find_topic, register
from handlers.ask.config import JOB_SECONDS, _check_knowledge_config, llm_config
from handlers.ask.demo import demo_plan
from handlers.ask.figures import ANSWERS_RECENT, REPORT_SOURCES
from handlers.ask.jobs import purge, run_due, watch_kb
from handlers.ask.posting import POST_CHECK
from handlers.ask.privacy import forget, my_data
from handlers.ask.service import knowledge, new_state, records
from handlers.ask.texts import TEXTS

__all__ = ["CAPABILITY", "TEXTS", "find_topic", "knowledge", "purge", "records", "register", "run_due", "watch_kb"]

CAPABILITY = Capability(
    name="ask",
    register=register,
    texts=(TEXTS,),
    config=("knowledge", "llm"),
    config_checks=(_check_knowledge_config, llm_config),
    shortcuts=(Shortcut("ask.check", slack="check_before_posting", teams="checkBeforePosting"),),
    jobs=(ScheduledJob(JOB_SECONDS, "ask-deliveries", run_due), ScheduledJob(3600, "ask-retention", purge)),
    data_providers=(my_data,),
    forget_hooks=(forget,),
    gauges=(ANSWERS_RECENT,),  # answers of the last hour by verdict on /metrics
    report_sources=REPORT_SOURCES,  # questions, answer feedback, gaps in the guidelines
    cli=(cli.register,),  # ambassador kb ..., ask, eval
    demo=DemoSeed(plan=demo_plan),  # questions answered and recorded
    state=new_state,  # the answer engine of the core, made on first use
    post_check=POST_CHECK,  # content's share texts are checked with the engine
)
