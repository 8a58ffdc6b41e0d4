"""The terminal workspace, driven through the real ``ambassador chat`` on a pseudo-terminal: several
people, the local clock moved on instead of waited for, all four jobs end to end."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as daytime
from zoneinfo import ZoneInfo

import pytest

from bot.platforms.shell.chat import parse_duration
from tests.conftest import SAMPLE_CONFIG

PROMPT = re.compile(r"(?:^|\n)([a-z]+)(?: \[([^\]]*)\])?> $")
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]")


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "TEAMS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.db'}"  # the real bot's: the workspace must not touch it
    env["AMBASSADOR_WORKSPACE_DB"] = str(tmp_path / "workspace.db")
    env["TERM"] = "dumb"
    return env


class Terminal:
    """``ambassador chat`` on a pseudo-terminal: type a line, read until the prompt is back."""

    def __init__(self, tmp_path, *args: str, term: str = "dumb") -> None:
        master, slave = pty.openpty()
        self.stderr = open(tmp_path / "stderr.txt", "w+")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "chat", "--lang", "en", *args],
            stdin=slave, stdout=slave, stderr=self.stderr, env={**_env(tmp_path), "TERM": term}, cwd=tmp_path, close_fds=True)
        os.close(slave)
        self.fd = master
        self.screen = ""
        self.last = self._read()

    def _read(self, timeout: float = 90) -> str:
        buf = ""
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.3)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                buf += data.decode("utf-8", "replace")
                continue
            if PROMPT.search(_clean(buf)):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"no prompt within {timeout}s; the screen ends:\n{_clean(buf)[-2000:]}")
        out = _clean(buf)
        self.screen += out
        return out

    def say(self, line: str) -> str:
        os.write(self.fd, (line + "\n").encode())
        self.last = self._read()
        return self.last

    def press(self, label: str) -> str:
        """Press the button labelled so in what was shown last."""
        found = re.findall(r"\[(\d+)\] ([^\[\]\n(]+?)(?=  \[|\s*\(|\n|$)", self.last)
        numbers = [n for n, text in found if text.strip() == label]
        assert numbers, f"no button {label!r} in:\n{self.last}"
        return self.say(numbers[-1])

    def prompt(self) -> tuple[str, str]:
        m = PROMPT.search(self.last)
        assert m, self.last
        return m.group(1), m.group(2) or ""

    def close(self) -> int:
        os.write(self.fd, b"quit\n")
        try:
            code = self.proc.wait(timeout=60)
        finally:
            os.close(self.fd)
            self.stderr.seek(0)
            self.errors = self.stderr.read()
            self.stderr.close()
        return code


def _clean(text: str) -> str:
    return ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "")


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path)
    yield t
    if t.proc.poll() is None:
        t.proc.kill()
        t.proc.wait()


def test_all_four_jobs_across_several_people(term, tmp_path):
    welcome = term.last
    assert "You are Lea Lead (lea.lead@example.com, comms lead) in the Ambassador workspace" in welcome
    assert "Switch person with “as ben”" in welcome and "wait 15m" in welcome and "tour" in welcome
    assert term.prompt() == ("lea", "")

    # -- 1. content: added by a communicator, approved, nudged, shared --------------------------------
    term.say("as clara")
    out = term.say("content add url: https://example.com/news title: Our news en: Read this, it is good news! "
                   "de: Lest das!")
    assert "Added #1 “Our news”" in out and "waits for the comms lead's approval" in out
    assert term.prompt() == ("clara", "lea 1")  # the approval request is in lea's inbox
    out = term.say("as lea")
    assert "-- 1 new message(s) --" in out and "Content to approve: #1" in out
    out = term.press("Approve")
    assert "Approved #1 “Our news”" in out
    for who in ("erik", "maria", "lea"):
        term.say(f"as {who}")
        term.say("join")
        assert "Welcome to Ambassador-Programm" in term.press("I agree, join")
    # Nudges wait for the end of quiet hours (20:00-08:00 in Berlin): a run at night sends in the morning.
    berlin = datetime.now(ZoneInfo("Europe/Berlin"))
    if not 8 <= berlin.hour < 19:
        morning = datetime.combine(berlin.date() + timedelta(days=berlin.hour >= 19), daytime(9), berlin.tzinfo)
        assert "Time moved on" in term.say(f"wait {int((morning - berlin).total_seconds() // 60) + 1}m")
    out = term.say("nudge run --now")
    assert "sent 3" in out
    out = term.say("as erik")
    assert "Something to share this week" in out and "Our news" in out
    assert "You shared this" in term.press("I shared it")

    # -- 2. a named poll, three votes, closed by time, results --------------------------------------
    term.say("as lea")
    out = term.say('poll "Team event?" Bowling | Cooking --audience members --closes 1d')
    assert "Poll #1 is out" in out
    assert "Team event?" in out  # lea is a member: her own card, with buttons
    term.press("Bowling")
    term.say("as erik")
    assert "Bowling: 2" in term.press("Bowling")
    term.say("as maria")
    assert "Cooking: 1" in term.press("Cooking")
    out = term.say("wait 1d")
    assert "Time moved on by 1d" in out
    out = term.say("as lea")
    assert "Poll #1 has closed" in out and "3 voted" in out and "Bowling: 2" in out and "Cooking: 1" in out

    # -- 3. feedback --------------------------------------------------------------------------------
    term.say("as erik")
    assert "Thank you! Your feedback is noted" in term.say("feedback The weekly nudges are great")

    # -- 4. crisis: reported, escalated to the backup by time, acknowledged, a hold, lifted ---------
    out = term.say("crisis Someone posted our customer list on X https://x.com/leak")
    ref = re.search(r"K-\d{4}-\d{4}", out).group(0)
    assert f"Report {ref} received: comms has been alerted" in out
    assert "lea 1" in term.prompt()[1]
    out = term.say("wait 15m")
    assert "ben 1" in term.prompt()[1]  # nobody acknowledged in 10 minutes: the backup is alerted
    out = term.say("as ben")
    assert f"Crisis report {ref}" in out and "level 2 of 2" in out
    out = term.press("Acknowledge")
    assert "The escalation has stopped" in out or "You have" in out
    out = term.say("crisis hold customer list -- wait for legal")
    assert "Posting is on hold for" in out
    out = term.say("as erik")
    assert "taken by Ben Backup" in out and "Please hold back on" in out
    assert "No: don't post this" in term.say("ask May I post about our customer list?")
    term.say("as ben")
    assert "is lifted" in term.say("crisis lift all")
    term.say("as erik")
    assert "No: don't post this" not in term.say("ask May I post about our customer list?")

    # -- the meeting report, with figures as they happened ------------------------------------------
    term.say("as lea")
    out = term.say("meeting report")
    for line in ("Members (end of period): 3", "Joined: 3", "Polls closed: 1", "Feedback: 1",
                 "Content items sent: 3", "Shares: 1", "Crisis reports: 1"):
        assert line in out, out
    assert str(tmp_path / "workspace-reports") in out  # beside the workspace, not among the real reports

    assert term.close() == 0
    assert term.errors == ""  # no log line in the chat, nor on stderr
    assert '"logger"' not in term.screen and "Traceback" not in term.screen
    assert (tmp_path / "workspace.log").exists()
    assert not (tmp_path / "bot.db").exists()  # the real bot's database was never opened


def test_bad_input_gets_a_clear_answer_and_nothing_is_lost(term):
    out = term.say("as zed")
    assert "Nobody called “zed” is in this workspace. The people here: lea, ben" in out
    assert term.prompt()[0] == "lea"
    assert "Time only moves forward" in term.say("wait -5m")
    assert "no amount of time" in term.say("wait soon")
    assert "more than 8 weeks" in term.say("wait 1000d")
    term.say("as erik")
    assert "There is no button [7]" in term.say("7")
    term.say("help")
    assert "There is no button [9]: the last message had buttons 1 to 1" in term.say("9")
    out = term.say("people")
    assert "gina" in out and "guest" in out and "* erik" in out


def test_tab_completes_a_name(term):
    os.write(term.fd, b"as er\t\n")
    term.last = term._read()
    assert "You are now Erik Employee" in term.last


def test_a_second_terminal_on_the_same_workspace_is_refused(term, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "chat"], input="",
                          capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2
    assert "another terminal is using this workspace" in proc.stderr


async def _with_a_slack_person(url: str) -> None:
    from storage.db import Database
    from storage.models import Identity, Person

    db = Database(url)
    await db.upgrade()
    async with db.session() as s:
        person = Person(email="x@example.com")
        s.add(person)
        await s.flush()
        s.add(Identity(person_id=person.id, platform="slack", user_id="U1"))
        await s.commit()
    await db.dispose()


def test_a_database_with_slack_people_is_refused(tmp_path):
    import asyncio

    db_path = tmp_path / "real.db"
    asyncio.run(_with_a_slack_person(f"sqlite:///{db_path}"))
    env = _env(tmp_path)
    env["AMBASSADOR_WORKSPACE_DB"] = str(db_path)
    proc = subprocess.run([sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "chat"], input="quit\n",
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert "holds Slack or Teams people (1 slack accounts)" in proc.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("15m", timedelta(minutes=15)), ("2d", timedelta(days=2)), ("1h30m", timedelta(hours=1, minutes=30)),
    ("1w", timedelta(weeks=1)), ("2t", timedelta(days=2)), ("-5m", None), ("soon", None), ("", None), ("5", None),
])
def test_durations(text, expected):
    assert parse_duration(text) == expected


def test_a_pasted_draft_of_several_lines_is_one_message(term):
    term.say("as erik")
    # A paste arrives at once: its lines are one message, not three.
    out = term.say("feedback The nudges are great.\nThe polls are short.\nMore of that, please!")
    assert out.count("Your feedback is noted") == 1, out
    assert "I don't know" not in out, out
    # Typed by hand (or from a script): a line <<<, the lines, a line >>> are one message.
    os.write(term.fd, b"<<<\n")
    time.sleep(0.3)
    os.write(term.fd, b"feedback First line\n")
    time.sleep(0.3)
    os.write(term.fd, b"second line\n")
    time.sleep(0.3)
    os.write(term.fd, b">>>\n")
    term.last = term._read()
    assert term.last.count("Your feedback is noted") == 1 and "I don't know" not in term.last, term.last


def test_a_13500_character_paste_is_refused_whole_with_its_length(tmp_path):
    # A terminal that marks a paste (bracketed paste, as xterm and its kin do): the paste is one message,
    # its line breaks kept, however long.
    term = Terminal(tmp_path, term="xterm")
    try:
        term.say("as erik")
        draft = "\n".join(["We are proud to announce our new product line. " * 9] * 40)[:13_500]
        os.write(term.fd, b"\x1b[200~" + draft.encode() + b"\x1b[201~\n")
        out = term.last = term._read()
        assert "Your message has 13,500 characters; I read at most 12,000" in out, out[-1500:]
        assert out.count("Your message has") == 1
        # One long line without a mark arrives whole too (no 4,096-character limit of the terminal).
        out = term.say("feedback " + "x" * 13_000)
        assert "Your message has 13,009 characters" in out, out[-500:]
    finally:
        term.proc.kill()
        term.proc.wait()
