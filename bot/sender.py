"""What a platform offers for messages the bot starts: the ``Sender`` contract.

Every platform's sender (Slack's and Teams' adapters, the terminal chat, the fakes of the tests)
subclasses ``Sender`` and is registered with ``Core.register_sender``. Two methods are required;
the optional abilities have defaults here that say "not supported" in the way their callers
expect, so the core and the capabilities call them directly and never probe for them:

- ``send_file``: a file into the person's direct chat; the default raises ``NotSupported``.
- ``resolve_email``: the platform's user id for an address; the default raises ``NotSupported``.
- ``send_keyed`` and ``find_sent``: a message that carries a key, to be looked up again after an
  interrupted send; the default sends without the key and cannot tell (``None``).
- ``on_rate_limit``: hear the platform's refusals for rate (the Retry-After seconds); the default
  hears none.

``abilities()`` names the optional abilities a sender class provides (what it overrides).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.messages import Reply

# The optional methods, by the ability they give (send_keyed and find_sent go together).
OPTIONAL = {
    "send_file": "files",
    "resolve_email": "email",
    "find_sent": "find_sent",
    "on_rate_limit": "rate_limits",
}
REQUIRED = ("send_to_person", "send_to_conversation")


class NotSupported(Exception):
    """The platform cannot do this (send a file, look an address up); the message says what."""


class Sender:
    """The contract of a platform's sender for messages the bot starts (recovery, nudges, alerts)."""

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None:
        """The replies in the person's direct chat with the bot; raises when they did not go out."""
        raise NotImplementedError

    async def send_to_conversation(self, conversation_id: str, replies: list[Reply], user_id: str | None) -> None:
        """The replies in a conversation (a DM or a channel); ``user_id``: shown to that person only
        where the platform can (a recovered answer in a channel), else posted for everyone."""
        raise NotImplementedError

    # -- optional abilities: the defaults say "not supported" ------------------------------------

    async def send_file(self, user_id: str, path: str | Path, title: str, comment: str) -> None:
        """A file from the bot's disk into the person's direct chat."""
        raise NotSupported("cannot send files")

    async def resolve_email(self, email: str) -> str | None:
        """The platform's user id for an address; None when nobody there has it."""
        raise NotSupported("cannot look people up by address")

    async def send_keyed(self, user_id: str, replies: list[Reply], key: str) -> None:
        """``send_to_person`` with ``key`` carried along, for ``find_sent``; without that ability the key
        is dropped (there is nothing to look it up with)."""
        await self.send_to_person(user_id, replies)

    async def find_sent(self, user_id: str, key: str) -> bool | None:
        """Whether a message sent with ``key`` reached the person: True, False, or None (can't tell)."""
        return None

    def on_rate_limit(self, listener: Callable[[float], None] | None) -> None:
        """Call ``listener`` with the Retry-After seconds whenever the platform refuses for rate (it
        replaces an earlier one; None removes it). A sender that does not hear them ignores it."""

    @classmethod
    def abilities(cls) -> frozenset[str]:
        """The optional abilities this sender class provides (the methods it overrides)."""
        mine = {name for klass in cls.__mro__[: cls.__mro__.index(Sender)] for name in vars(klass)}
        return frozenset(ability for name, ability in OPTIONAL.items() if name in mine)
