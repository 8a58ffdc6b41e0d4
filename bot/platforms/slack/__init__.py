"""Slack: the adapter (slack-bolt) and its Block Kit rendering (blockkit.py)."""

from bot.platforms.slack.adapter import EVENTS_PATH, SlackAdapter

__all__ = ["EVENTS_PATH", "SlackAdapter"]
