"""The ask capability's settings: app.yaml's ``knowledge:`` and ``llm:`` sections checked on start, and its limits."""

from __future__ import annotations

from typing import Any

from bot.config import Settings, validate_section
from bot.core import Context
from knowledge.llm import LlmConfig
from knowledge.service import KnowledgeConfig

# Slack caps a button's value at 2,000 characters (JSON included); a question
# rides on the "Not helpful" and "Pass to the comms team" buttons, so it is
# cut to what fits. The adapter adds "_lang" later; the margin covers it.
_BUTTON_VALUE_MAX = 1_950
GAPS_SHOWN = 15
# The report action a crisis capability registers, offered when a question looks like a crisis (when it is there).
CRISIS_REPORT = "crisis.report"
JOB_SECONDS = 60


def _check_knowledge_config(settings: Settings) -> object:
    return validate_section(settings, "knowledge", KnowledgeConfig)


def llm_config(settings: Settings) -> LlmConfig:
    """The validated ``llm:`` section; a ConfigError names file, line and key."""
    return validate_section(settings, "llm", LlmConfig)


def _comms_lead(ctx: Context, t: Any) -> str:
    return str(ctx.settings.app.roles.comms_lead or t("ask.comms_team"))


