"""What meetings give the demo workspace (bot/demo.py): the period the meeting report shows now, so
the other capabilities put part of their activity in it and the report is full of figures at once."""

from __future__ import annotations

from typing import Any

from handlers.meetings.config import default_period


def demo_prepare(demo: Any) -> None:
    period = default_period(demo.settings, demo.now)
    demo.window = (period.start, period.end)
