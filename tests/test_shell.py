"""The terminal chat, driven through stdin of the real `ambassador` command."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import SAMPLE_CONFIG


def chat(tmp_path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "TEAMS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shell.db'}"
    env["AMBASSADOR_WORKSPACE_DB"] = str(tmp_path / "workspace.db")
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "chat", *args],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )


def test_help_join_and_leave_in_the_terminal(tmp_path):
    proc = chat(tmp_path, ["help", "join", "1", "status", "leave", "quit"], "--as", "erik@example.com", "--lang", "en")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "What I can do for you" in out
    assert "[1] Join the program" in out
    assert "privacy notice" in out and "[1] I agree, join  [2] Not now" in out
    assert "Welcome to Ambassador-Programm!" in out
    assert "Membership: Member since" in out
    assert "You've left Ambassador-Programm, effective now" in out


def test_german_and_role_gated_command(tmp_path):
    proc = chat(tmp_path, ["hilfe", "rollen"], "--as", "erik@example.com")
    out = proc.stdout
    assert "Was ich für dich tun kann" in out
    assert "„rollen“ dürfen nur die Kommunikationsleitung verwenden" in out


def test_the_comms_lead_sees_and_changes_roles(tmp_path):
    proc = chat(tmp_path, ["roles", "role add erik@example.com communicator Sales"], "--lang", "en")
    out = proc.stdout
    assert "You are Lea Lead (lea.lead@example.com, comms lead) in the Ambassador workspace" in out
    assert "department communicators (Sales): clara.sales@example.com" in out
    assert "erik@example.com is now department communicator (Sales)." in out


def test_bad_input_gets_a_clear_answer(tmp_path):
    proc = chat(tmp_path, ["", "frobnicate the widgets", "x" * 40_000, "9"], "--as", "erik@example.com", "--lang", "en")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "Your message was empty" in out
    # Anything that is not a command is read as a question; one that is not about posting is told so.
    assert "Not a question about posting" in out
    assert "Your message has 40,000 characters; I read at most 12,000" in out
    assert "Traceback" not in proc.stderr


def test_run_without_credentials_opens_the_terminal_chat(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "TEAMS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.db'}"
    env["AMBASSADOR_WORKSPACE_DB"] = str(tmp_path / "workspace.db")
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], input="help\n", capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "No Slack or Teams credentials are set" in proc.stderr
    assert "hilfe: diese Übersicht" in proc.stdout or "help: this overview" in proc.stdout


def test_help_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for command in ("run", "chat", "db", "config"):
        assert command in proc.stdout
    assert "SLACK_API_URL" in proc.stdout and "DATABASE_URL" in proc.stdout
