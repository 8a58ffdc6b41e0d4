"""A chat in the terminal on the same handlers: try the bot with no Slack or Teams account."""

from __future__ import annotations

import asyncio
import re
import sys
import textwrap
import uuid
from typing import TextIO

from bot.core import Core, role_titles
from bot.messages import Button, Incoming, Profile, Reply

PROMPT = "> "


_BOLD = re.compile(r"\*([^*\n]+)\*")


def render(reply: Reply, first_number: int = 1, width: int = 100) -> str:
    """Plain text for the terminal; buttons become numbers the user can type."""
    text = render_lines(reply, first_number, width)
    return _BOLD.sub(r"\1", text)


def render_lines(reply: Reply, first_number: int, width: int) -> str:
    lines: list[str] = []
    if reply.title:
        lines.append(f"== {reply.title} ==")
    for paragraph in (reply.text or "").split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    for f in reply.fields:
        lines.extend(textwrap.wrap(f"{f.label}: {f.value}", width, subsequent_indent="    "))
    for c in reply.choices:
        lines.append(f"{c.label}: " + ", ".join(label for _, label in c.options))
    if reply.buttons:
        lines.append(
            "  ".join(
                f"[{i}] {b.label}" + (f" ({b.url})" if b.url else "")
                for i, b in enumerate(reply.buttons, start=first_number)
            )
        )
    if reply.form is not None:
        # No forms in a terminal: the form says how to do the same in one typed message.
        for paragraph in (reply.form.fallback or reply.form.title).split("\n"):
            lines.extend(textwrap.wrap(paragraph, width) or [""])
    if reply.context:
        lines.append(f"({reply.context})")
    return "\n".join(lines)


class Shell:
    def __init__(self, core: Core, email: str, *, name: str | None = None, lang: str | None = None,
                 out: TextIO | None = None) -> None:
        self.core = core
        self.email = email.lower()
        self.name = name or self.email.split("@")[0].replace(".", " ").title()
        self.lang = lang
        self.out = out or sys.stdout
        self.buttons: list[Button] = []

    def _incoming(self, text: str = "", button: Button | None = None) -> Incoming:
        return Incoming(
            platform="shell",
            user_id=self.email,
            conversation_id=f"shell:{self.email}",
            text=text,
            source="action" if button else "message",
            action_id=button.action_id if button else None,
            values=dict(button.value) if button else {},
            locale=self.lang,
            event_id=None,
            profile=Profile(email=self.email, name=self.name, locale=self.lang),
            keeps_history=False,
        )

    async def _send(self, replies: list[Reply]) -> None:
        shown: list[Button] = []
        for reply in replies:
            self.out.write(render(reply, first_number=len(shown) + 1) + "\n\n")
            shown.extend(b for b in reply.buttons)
        if shown:
            self.buttons = shown
        self.out.flush()

    async def say(self, line: str) -> None:
        """One line typed by the user: a number presses a button of the last answer."""
        text = line.strip()
        if text.isdigit() and self.buttons and 1 <= int(text) <= len(self.buttons):
            button = self.buttons[int(text) - 1]
            if button.url:
                self.out.write(f"{button.url}\n\n")
                return
            incoming = self._incoming(button=button)
        else:
            incoming = self._incoming(text=line.rstrip("\n"))
        incoming.event_id = uuid.uuid4().hex
        await self.core.handle(incoming, self._send)

    async def run(self, stdin: TextIO | None = None) -> None:
        stdin = stdin or sys.stdin
        interactive = stdin.isatty()
        person = await self.core.person_for(self._incoming())
        roles, departments = await self.core.roles_of(person)
        t = self.core.translator(person.language or self.lang)
        self.out.write(t("shell.banner", email=self.email, role=role_titles(roles, t, departments)) + "\n\n")
        self.out.flush()
        while True:
            if interactive:
                try:
                    line = await asyncio.to_thread(input, PROMPT)
                except EOFError:
                    break
            else:
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    break
            if line.strip().lower() in ("quit", "exit", "bye", "tschüss", "ende"):
                break
            if interactive and not line.strip():
                continue
            await self.say(line)
