"""Capabilities, one module each. Handlers see only the neutral types in bot.messages.

Each module declares what it offers in one ``CAPABILITY`` (bot/capability.py); this
tuple lists them, and ``bot/app.py`` (the composition root) hands it to the framework.
The order is the order of "help", "my data" and "forget me".
"""

from __future__ import annotations

from bot.capability import Capability
from handlers import (
    ask,
    content,
    course,
    crisis,
    feedback,
    feeds,
    meetings,
    membership,
    polls,
    privacy,
    profile,
    roles,
)
from handlers import help as help_

CAPABILITIES: tuple[Capability, ...] = tuple(
    module.CAPABILITY
    for module in (help_, membership, profile, roles, ask, crisis, content, feeds, polls, feedback, course, meetings, privacy)
)
