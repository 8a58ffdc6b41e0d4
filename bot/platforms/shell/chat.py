"""The terminal as a third platform: a chat on the same handlers and the same stored data as Slack and
Teams, with no account anywhere.

On its own (``Shell(core, email)``) it is one person's chat. In the workspace (workspace.py beside it) it
holds several people: it registers itself as the ``shell`` sender, so everything the bot sends to
anyone lands in that person's inbox here; ``as erik`` switches person and shows what arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import select
import shlex
import sys
import textwrap
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from bot.core import Core
from bot.core_texts import role_titles
from bot.i18n import Translator
from bot.messages import Button, Incoming, Profile, Reply
from bot.sender import Sender

PLATFORM = "shell"
PROMPT = "> "
KEEP = 20  # messages kept per inbox for "inbox" to show again


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


@dataclass
class Member:
    """One person of the workspace."""

    email: str
    name: str  # the short name typed after "as"
    display: str
    guest: bool = False


@dataclass
class _Message:
    reply: Reply
    read: bool = False


@dataclass
class _Inbox:
    messages: list[_Message] = field(default_factory=list)

    def unread(self) -> int:
        return sum(1 for m in self.messages if not m.read)


# Durations for "wait": 15m, 2h, 2d, 1w, 1h30m (German: 2t, 3std).
_PART = re.compile(r"(\d+)\s*(w|wo|d|t|h|std|m|min|s|sek)", re.IGNORECASE)
_UNITS = {"w": "weeks", "wo": "weeks", "d": "days", "t": "days", "h": "hours", "std": "hours",
          "m": "minutes", "min": "minutes", "s": "seconds", "sek": "seconds"}
MAX_WAIT = timedelta(weeks=8)


def parse_duration(text: str) -> timedelta | None:
    """``15m`` -> 15 minutes; None for anything else (negative, empty, 'soon')."""
    text = text.strip().lower().replace(" ", "")
    if not text or not re.fullmatch(r"(?:\d+(?:w|wo|d|t|h|std|m|min|s|sek))+", text):
        return None
    total = timedelta()
    for n, unit in _PART.findall(text):
        total += timedelta(**{_UNITS[unit.lower()]: int(n)})
    return total


class ShellSender(Sender):
    """The ``shell`` platform's sender (bot.sender.Sender): a message to a person lands in their inbox."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None:
        self.shell.deliver(user_id, replies)

    async def send_to_conversation(self, conversation_id: str, replies: list[Reply], user_id: str | None) -> None:
        self.shell.deliver(user_id or conversation_id.removeprefix(f"{PLATFORM}:"), replies)


class Shell:
    def __init__(self, core: Core, email: str, *, name: str | None = None, lang: str | None = None,
                 out: TextIO | None = None, people: Sequence[Member] = (),
                 wait: Callable[[timedelta], Awaitable[None]] | None = None,
                 now: Callable[[], str] | None = None) -> None:
        self.core = core
        self.lang = lang
        self.out = out or sys.stdout
        self.people: dict[str, Member] = {m.email.lower(): m for m in people}
        email = email.lower()
        if email not in self.people:
            self.people[email] = Member(email, email.split("@")[0].split(".")[0], name or _display(email))
        self.email = email
        self.name = name or self.people[email].display
        self._buttons: dict[str, list[Button]] = {}  # per person: the buttons last shown to them
        self.inboxes: dict[str, _Inbox] = {}
        self.workspace = bool(people)
        self._wait = wait
        self._now = now
        # The workspace's command line (``ambassador …``, ``nudge run --now``) on its database.
        self.commands: Callable[[list[str]], Awaitable[None]] | None = None
        core.router.texts(TEXTS)

    # -- who is typing ----------------------------------------------------

    @property
    def buttons(self) -> list[Button]:
        return self._buttons.get(self.email, [])

    @buttons.setter
    def buttons(self, value: list[Button]) -> None:
        self._buttons[self.email] = value

    @property
    def me(self) -> Member:
        return self.people[self.email]

    def _incoming(self, text: str = "", button: Button | None = None, email: str | None = None) -> Incoming:
        member = self.people[email or self.email]
        return Incoming(
            platform=PLATFORM,
            user_id=member.email,
            conversation_id=f"{PLATFORM}:{member.email}",
            text=text,
            source="action" if button else "message",
            action_id=button.action_id if button else None,
            values=dict(button.value) if button else {},
            locale=self.lang,
            event_id=None,
            profile=Profile(email=member.email, name=member.display, locale=self.lang,
                            is_guest=True if member.guest else None),
            keeps_history=False,
        )

    async def translator(self) -> Translator:
        person = await self.core.person_for(self._incoming())
        return self.core.translator(person.language or self.lang)

    async def greet_everyone(self) -> None:
        """Every person of the workspace known to the bot (a person, a shell account), as a platform
        would tell it about its users: the bot can then reach them before they first write."""
        for email in self.people:
            await self.core.person_for(self._incoming(email=email))

    # -- the inboxes --------------------------------------------------------

    def deliver(self, email: str, replies: list[Reply]) -> None:
        box = self.inboxes.setdefault(email.lower(), _Inbox())
        box.messages.extend(_Message(r) for r in replies)

    def unread_elsewhere(self) -> list[tuple[str, int]]:
        out = []
        for email, box in self.inboxes.items():
            n = box.unread()
            if n and email != self.email:
                member = self.people.get(email)
                out.append((member.name if member else email, n))
        return sorted(out)

    def prompt(self) -> str:
        if not self.workspace:
            return PROMPT
        waiting = self.unread_elsewhere()
        unread = f" [{', '.join(f'{name} {n}' for name, n in waiting)}]" if waiting else ""
        return f"{self.me.name}{unread}{PROMPT}"

    def _show(self, replies: list[Reply]) -> None:
        """Print replies for the person at the keyboard; their buttons become 1, 2, ..."""
        shown: list[Button] = []
        for reply in replies:
            self.out.write(render(reply, first_number=len(shown) + 1) + "\n\n")
            shown.extend(reply.buttons)
        if shown:
            self.buttons = shown
        self.out.flush()

    async def show_new(self, t: Translator | None = None) -> int:
        """What arrived for the person at the keyboard: shown now, marked read; a transient message
        (an anonymous choice) is shown this once and not kept."""
        box = self.inboxes.get(self.email)
        new = [m for m in box.messages if not m.read] if box else []
        if not new:
            return 0
        t = t or await self.translator()
        self.out.write(t("shell.new", n=len(new)) + "\n")
        self._show([m.reply for m in new])
        for m in new:
            m.read = True
        box.messages = [m for m in box.messages if not (m.read and m.reply.transient)][-KEEP:]
        return len(new)

    async def _send(self, replies: list[Reply]) -> None:
        # The answer to what was typed: the typist reads it now. Kept for "inbox" unless shown once only.
        self._show(replies)
        box = self.inboxes.setdefault(self.email, _Inbox())
        box.messages.extend(_Message(r, read=True) for r in replies if not (r.transient or r.private))
        box.messages = box.messages[-KEEP:]

    # -- one line ----------------------------------------------------------

    async def say(self, line: str) -> None:
        """One line typed by the user: a number presses a button of the last answer."""
        text = line.strip()
        if self.workspace and await self._workspace_command(text):
            return
        if text.isdigit() and self.workspace and not self.buttons:
            t = await self.translator()
            self.out.write(t("shell.no_buttons", n=text) + "\n\n")
            return
        if text.isdigit() and self.buttons:
            n = int(text)
            if not 1 <= n <= len(self.buttons):
                t = await self.translator()
                self.out.write(t("shell.no_button", n=n, last=len(self.buttons)) + "\n\n")
                return
            button = self.buttons[n - 1]
            if button.url:
                self.out.write(f"{button.url}\n\n")
                return
            incoming = self._incoming(button=button)
        else:
            incoming = self._incoming(text=line.rstrip("\n"))
        incoming.event_id = uuid.uuid4().hex
        await self.core.handle(incoming, self._send)
        if self.workspace:
            await self.show_new()

    async def _workspace_command(self, text: str) -> bool:
        words = text.split()
        if not words:
            return False
        head = words[0].lower()
        if head in ("as", "als") and len(words) <= 2:
            await self.switch(words[1] if len(words) == 2 else "")
            return True
        if head in ("wait", "warte", "warten") and len(words) <= 2 and self._wait is not None:
            await self.wait(words[1] if len(words) == 2 else "")
            return True
        if head in ("people", "leute", "who", "wer") and len(words) == 1:
            await self.list_people()
            return True
        if head in ("inbox", "posteingang") and len(words) == 1:
            await self.show_inbox()
            return True
        if self.commands is not None and (head == "ambassador" or [w.lower() for w in words[:2]] == ["nudge", "run"]):
            try:
                argv = shlex.split(text)
            except ValueError:
                argv = words
            await self.commands(argv[1:] if head == "ambassador" else argv)
            self.out.write("\n")
            await self.show_new()
            return True
        if head in ("tour", "rundgang") and len(words) == 1:
            t = await self.translator()
            self.out.write(t("shell.tour") + "\n\n")
            return True
        return False

    def find(self, name: str) -> Member | None:
        name = name.strip().lower()
        for member in self.people.values():
            if name in (member.name.lower(), member.email, member.email.split("@")[0]):
                return member
        return None

    async def switch(self, name: str) -> None:
        member = self.find(name) if name else None
        if member is None:
            t = await self.translator()
            key = "shell.as_unknown" if name else "shell.as_usage"
            self.out.write(t(key, name=name, names=", ".join(m.name for m in self.people.values())) + "\n\n")
            return
        self.email = member.email
        person = await self.core.person_for(self._incoming())
        roles, departments = await self.core.roles_of(person)
        t = self.core.translator(person.language or self.lang)
        role = t("shell.guest") if member.guest else role_titles(roles, t, departments)
        self.out.write(t("shell.now_as", name=member.display, email=member.email, role=role) + "\n")
        if not await self.show_new(t):
            self.out.write(t("shell.nothing_new") + "\n\n")
        self.out.flush()

    async def wait(self, amount: str) -> None:
        t = await self.translator()
        delta = parse_duration(amount)
        if delta is None or delta <= timedelta(0):
            key = "shell.wait_backwards" if amount.strip().startswith("-") else "shell.wait_usage"
            self.out.write(t(key, amount=amount) + "\n\n")
            return
        if delta > MAX_WAIT:
            self.out.write(t("shell.wait_too_long", amount=amount) + "\n\n")
            return
        assert self._wait is not None
        await self._wait(delta)
        self.out.write(t("shell.waited", amount=amount, now=self._now() if self._now else "") + "\n")
        if not await self.show_new(t):
            self.out.write("\n")
        self.out.flush()

    async def list_people(self) -> None:
        t = await self.translator()
        lines = [t("shell.people")]
        for member in self.people.values():
            person = await self.core.person_for(self._incoming(email=member.email))
            roles, departments = await self.core.roles_of(person)
            role = t("shell.guest") if member.guest else role_titles(roles, t, departments)
            box = self.inboxes.get(member.email)
            unread = t("shell.unread", n=box.unread()) if box and box.unread() else ""
            mark = "*" if member.email == self.email else " "
            lines.append(f"{mark} {member.name:<8} {member.email:<32} {role}{unread}")
        self.out.write("\n".join(lines) + "\n\n")

    async def show_inbox(self) -> None:
        box = self.inboxes.get(self.email)
        t = await self.translator()
        if not box or not box.messages:
            self.out.write(t("shell.inbox_empty") + "\n\n")
            return
        self.out.write(t("shell.inbox", n=len(box.messages)) + "\n")
        self._show([m.reply for m in box.messages])
        for m in box.messages:
            m.read = True

    # -- the loop ------------------------------------------------------------

    def completions(self, text: str, line: str) -> list[str]:
        words = line.split()
        if words and words[0].lower() in ("as", "als") and (len(words) == 2 and not line.endswith(" ")
                                                               or len(words) == 1 and line.endswith(" ")):
            return [m.name + " " for m in self.people.values() if m.name.startswith(text.lower())]
        if len(words) <= 1 and not line.endswith(" "):
            return [w + " " for w in ("as", "wait", "people", "inbox", "tour", "help") if w.startswith(text.lower())]
        return []

    def _readline(self) -> None:
        try:
            import readline
        except ImportError:  # no readline on this system: no completion, everything else works
            return
        if not self.workspace:
            return

        def complete(text: str, state: int) -> str | None:
            options = self.completions(text, readline.get_line_buffer())
            return options[state] if state < len(options) else None

        readline.set_completer(complete)
        with contextlib.suppress(Exception):  # a paste stays one message where the terminal can say so
            readline.parse_and_bind("set enable-bracketed-paste on")
        readline.set_completer_delims(" ")
        readline.parse_and_bind("tab: complete")

    async def welcome(self) -> None:
        person = await self.core.person_for(self._incoming())
        roles, departments = await self.core.roles_of(person)
        t = self.core.translator(person.language or self.lang)
        role = role_titles(roles, t, departments)
        if self.workspace:
            others = [m.name for m in self.people.values() if m.email != self.email]
            self.out.write(t("shell.welcome", name=self.me.display, email=self.email, role=role,
                             other=others[0] if others else "erik") + "\n\n")
        else:
            self.out.write(t("shell.banner", email=self.email, role=role) + "\n\n")
        self.out.flush()

    async def _read_line(self, stdin: TextIO, interactive: bool, prompt: str) -> str | None:
        if interactive:
            try:
                return await asyncio.to_thread(input, prompt)
            except EOFError:
                return None
        line = await asyncio.to_thread(stdin.readline)
        return line.rstrip("\n") if line else None

    async def read_message(self, stdin: TextIO, interactive: bool) -> str | None:
        """One message: a line; the lines of a paste (they arrive together, a typist's lines do not); or
        the lines between a line ``<<<`` and a line ``>>>`` (a draft of several lines, also from a script). None at the end."""
        line = await self._read_line(stdin, interactive, self.prompt() if interactive else "")
        if line is None:
            return None
        if line.strip() == FENCE:
            lines: list[str] = []
            while True:
                more = await self._read_line(stdin, interactive, CONTINUE if interactive else "")
                if more is None or more.strip() == FENCE_END:
                    return "\n".join(lines)
                lines.append(more)
        lines = [line]
        while interactive and _pasted_more(stdin):
            more = await self._read_line(stdin, interactive, "")
            if more is None:
                break
            lines.append(more)
        return "\n".join(lines)

    async def run(self, stdin: TextIO | None = None) -> None:
        stdin = stdin or sys.stdin
        interactive = stdin.isatty()
        await self.welcome()
        if interactive:
            self._readline()  # also lifts the terminal's 4,096-character line limit: a long paste arrives whole
        while True:
            line = await self.read_message(stdin, interactive)
            if line is None:
                break
            if line.strip().lower() in ("quit", "exit", "bye", "tschüss", "ende"):
                break
            if interactive and not line.strip():
                if self.workspace:
                    await self.show_new()
                continue
            await self.say(line)


FENCE = "<<<"  # a line of its own: the lines up to a line FENCE_END are one message
FENCE_END = ">>>"
BACKGROUND_GRACE = 10.0  # seconds the terminal chat waits on quitting for work started after an answer


async def finish_background_work() -> None:
    """Let work started after an answer (a crisis alert, a done-mark) finish before the database closes:
    cut off mid-transaction it would be lost, and the pool would print its traceback on the way out."""
    current = asyncio.current_task()
    for _ in range(3):  # finishing work may start a little more
        pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        if not pending:
            return
        _, still = await asyncio.wait(pending, timeout=BACKGROUND_GRACE)
        if still:
            for task in still:
                task.cancel()
            await asyncio.gather(*still, return_exceptions=True)
            return


CONTINUE = "... "
PASTE_GAP = 0.05  # seconds: the lines of a paste arrive within this of each other, typed lines never do


def _pasted_more(stdin: TextIO) -> bool:
    """More input waiting right after a line: the rest of a paste."""
    try:
        ready, _, _ = select.select([stdin], [], [], PASTE_GAP)
    except (OSError, ValueError):
        return False
    return bool(ready)


def _display(email: str) -> str:
    return email.split("@")[0].replace(".", " ").title()


TEXTS = {
    "shell.welcome": {
        "en": "You are {name} ({email}, {role}) in the Ambassador workspace: everyone here chats with the bot in this terminal.\n"
              "Switch person with “as {other}” (Tab completes, “people” lists everyone); move time with “wait 15m” or “wait 2d”.\n"
              "New here? Type “tour” for a walk through the four jobs; “help” shows the bot's commands.",
        "de": {"du": "Du bist {name} ({email}, {role}) im Ambassador-Arbeitsbereich: alle hier chatten in diesem Terminal mit dem Bot.\n"
                     "Person wechseln mit „als {other}“ (Tab ergänzt, „leute“ zeigt alle); Zeit vorstellen mit „warte 15m“ oder „warte 2t“.\n"
                     "Neu hier? „rundgang“ führt durch die vier Aufgaben; „hilfe“ zeigt die Befehle des Bots.",
               "sie": "Sie sind {name} ({email}, {role}) im Ambassador-Arbeitsbereich: alle hier chatten in diesem Terminal mit dem Bot.\n"
                      "Person wechseln mit „als {other}“ (Tab ergänzt, „leute“ zeigt alle); Zeit vorstellen mit „warte 15m“ oder „warte 2t“.\n"
                      "Neu hier? „rundgang“ führt durch die vier Aufgaben; „hilfe“ zeigt die Befehle des Bots."},
    },
    "shell.tour": {
        "en": "A walk through the four jobs (type the lines; a number presses a button):\n"
              "1. Content  as clara: content add url: https://example.com/news title: Our news en: Read this!\n"
              "            as lea: press Approve · join (as erik too) · nudge run --now · as erik: press “I shared it”\n"
              "2. Polls    as lea: poll \"Team event?\" Bowling | Cooking --audience members --closes 1d\n"
              "            as erik, as maria: press a choice · wait 1d · as lea: the results\n"
              "3. Meeting  as erik: feedback The nudges are great · as lea: meeting report\n"
              "4. Crisis   as erik: crisis Someone posted our customer list · wait 15m · as ben: press Acknowledge\n"
              "            crisis hold customer -- wait for legal · as erik: ask May I post about our customer? "
              "· as ben: crisis lift all\n"
              "A draft of several lines is one message when pasted, or typed between a line <<< and a line >>>.",
        "de": "Ein Rundgang durch die vier Aufgaben (Zeilen eintippen; eine Zahl drückt einen Knopf):\n"
              "1. Inhalte  als clara: content add url: https://example.com/news title: Neuigkeit de: Lest das!\n"
              "            als lea: Freigeben drücken · beitreten (auch als erik) · nudge run --now · als erik: „Geteilt“ drücken\n"
              "2. Umfragen als lea: poll \"Teamevent?\" Bowling | Kochen --audience members --closes 1d\n"
              "            als erik, als maria: eine Antwort drücken · warte 1t · als lea: die Ergebnisse\n"
              "3. Treffen  als erik: feedback Die Hinweise sind super · als lea: meeting report\n"
              "4. Krise    als erik: crisis Jemand hat unsere Kundenliste gepostet · warte 15m · als ben: Übernehmen drücken\n"
              "            crisis hold kunde -- warten auf Rechtsabteilung · als erik: ask darf ich über unseren Kunden posten? "
              "· als ben: crisis lift all\n"
              "Ein Entwurf aus mehreren Zeilen ist eine Nachricht, wenn er eingefügt wird oder zwischen einer Zeile <<< und einer Zeile >>> steht.",
    },
    "shell.now_as": {
        "en": "You are now {name} ({email}, {role}).",
        "de": {"du": "Du bist jetzt {name} ({email}, {role}).", "sie": "Sie sind jetzt {name} ({email}, {role})."},
    },
    "shell.guest": {"en": "guest", "de": "Gast"},
    "shell.new": {"en": "-- {n} new message(s) --", "de": "-- {n} neue Nachricht(en) --"},
    "shell.nothing_new": {"en": "No new messages.", "de": "Keine neuen Nachrichten."},
    "shell.as_unknown": {
        "en": "Nobody called “{name}” is in this workspace. The people here: {names}.",
        "de": "Niemand namens „{name}“ ist in diesem Arbeitsbereich. Hier sind: {names}.",
    },
    "shell.as_usage": {
        "en": "Whom do you want to be? Type “as NAME”, one of: {names}.",
        "de": {"du": "Wer willst du sein? Schreib „als NAME“, eine*r von: {names}.",
               "sie": "Wer möchten Sie sein? Schreiben Sie „als NAME“, eine*r von: {names}."},
    },
    "shell.wait_usage": {
        "en": "“{amount}” is no amount of time I can wait. Write it like 15m, 2h, 2d or 1w (or 1h30m).",
        "de": {"du": "„{amount}“ ist keine Zeitspanne, die ich abwarten kann. Schreib sie wie 15m, 2h, 2t oder 1w (oder 1h30m).",
               "sie": "„{amount}“ ist keine Zeitspanne, die ich abwarten kann. Schreiben Sie sie wie 15m, 2h, 2t oder 1w (oder 1h30m)."},
    },
    "shell.wait_backwards": {
        "en": "Time only moves forward here: “{amount}” would go back. Nothing changed.",
        "de": "Die Zeit läuft hier nur vorwärts: „{amount}“ ginge zurück. Nichts wurde geändert.",
    },
    "shell.wait_too_long": {
        "en": "“{amount}” is more than 8 weeks at once; move time in smaller steps so nothing due on the way is skipped.",
        "de": {"du": "„{amount}“ ist mehr als 8 Wochen auf einmal; stell die Zeit in kleineren Schritten vor, damit nichts Fälliges übersprungen wird.",
               "sie": "„{amount}“ ist mehr als 8 Wochen auf einmal; stellen Sie die Zeit in kleineren Schritten vor, damit nichts Fälliges übersprungen wird."},
    },
    "shell.waited": {"en": "Time moved on by {amount}: it is now {now}.",
                     "de": "Die Zeit ist um {amount} vorgerückt: jetzt ist {now}."},
    "shell.no_button": {
        "en": "There is no button [{n}]: the last message had buttons 1 to {last}. “inbox” shows your messages again with their buttons.",
        "de": {"du": "Es gibt keinen Knopf [{n}]: die letzte Nachricht hatte die Knöpfe 1 bis {last}. „posteingang“ zeigt deine Nachrichten wieder mit ihren Knöpfen.",
               "sie": "Es gibt keinen Knopf [{n}]: die letzte Nachricht hatte die Knöpfe 1 bis {last}. „posteingang“ zeigt Ihre Nachrichten wieder mit ihren Knöpfen."},
    },
    "shell.no_buttons": {
        "en": "There is no button [{n}] to press: your last messages had none. “inbox” shows your messages again with their buttons.",
        "de": {"du": "Es gibt keinen Knopf [{n}]: deine letzten Nachrichten hatten keine. „posteingang“ zeigt deine Nachrichten wieder mit ihren Knöpfen.",
               "sie": "Es gibt keinen Knopf [{n}]: Ihre letzten Nachrichten hatten keine. „posteingang“ zeigt Ihre Nachrichten wieder mit ihren Knöpfen."},
    },
    "shell.people": {"en": "The people of this workspace (as NAME switches):",
                     "de": "Die Personen dieses Arbeitsbereichs (als NAME wechselt):"},
    "shell.unread": {"en": " · {n} unread", "de": " · {n} ungelesen"},
    "shell.inbox_empty": {"en": "Your inbox is empty.",
                          "de": {"du": "Dein Posteingang ist leer.", "sie": "Ihr Posteingang ist leer."}},
    "shell.inbox": {"en": "-- your last {n} message(s) --",
                    "de": {"du": "-- deine letzten {n} Nachricht(en) --", "sie": "-- Ihre letzten {n} Nachricht(en) --"}},
}
