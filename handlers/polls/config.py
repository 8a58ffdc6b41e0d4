"""The polls' section of app.yaml and the limits of a poll."""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field

from bot.config import Settings, validate_section

log = logging.getLogger("ambassador.polls")


MIN_OPTIONS = 2


QUESTION_MAX = 300


OPTION_MAX = 75  # a Slack button label


BUTTONS_MAX = 5  # Teams shows few card actions; more options become a pick-one list


NAMES_SHOWN = 8






class PollsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_anonymous_votes: int = Field(default=5, ge=1)
    default_days: float = Field(default=7, gt=0)
    max_days: int = Field(default=180, ge=1)
    deliver_batch: int = Field(default=200, ge=1)


def polls_config(settings: Settings) -> PollsConfig:
    return validate_section(settings, "polls", PollsConfig)
