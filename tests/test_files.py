"""Files in chat: the meeting report reaches the comms lead and the communicators as files.

Slack: the real SDK's upload (files.getUploadURLExternal, the upload, files.completeUploadExternal)
against tests/fakes/slack.py. Teams: a card with a link to the file on the bot's own server
(``GET /files/{token}``, unguessable and expiring), through the Agents SDK to tests/fakes/teams.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import json
import logging
import os
import secrets
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import select
from yarl import URL

from bot import files
from bot.app import build_core, create_app
from bot.core import DeliveryError
from bot.sender import Sender
from bot.web import CORE_KEY
from handlers import meetings
from storage.models import FileLink, Identity, Person
from tests.conftest import COMMUNICATOR_EMAIL, LEAD_EMAIL, SAMPLE_CONFIG, TEST_SECRET, make_settings
from tests.fakes.slack import LEAD, FakeSlack, _user
from tests.fakes.teams import FakeConnector
from tests.test_content import Clock
from tests.test_slack import SlackBot, all_text, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import LEAD as TEAMS_LEAD
from tests.test_teams import USERS, Teams, personal

CLARA = "U0CLARA"
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
async def fake():
    users = {**FakeSlack().users, CLARA: _user(CLARA, COMMUNICATOR_EMAIL, "Clara Sales")}
    server = await FakeSlack(users=users).start()
    yield server
    await server.close()


def use_reports(settings, tmp_path: Path) -> Path:
    """Point meetings.report_dir at the test's own folder: links are made and served only there."""
    folder = tmp_path / "reports"
    settings.app.meetings = {**(settings.app.meetings or {}), "report_dir": str(folder)}
    return folder


@pytest.fixture
async def slack(aiohttp_client, fake, tmp_path) -> SlackBot:
    settings = make_settings(tmp_path, **slack_env(fake))
    use_reports(settings, tmp_path)
    core = build_core(settings)
    core.clock = Clock(NOW)
    app = create_app(settings, core=core, background=False)
    files.mount(app, core)
    return SlackBot(await aiohttp_client(app), fake)


def a_file(tmp_path: Path, name: str = "figures.csv", data: bytes = b"figure;value\nActive members;8\n") -> Path:
    """A file the bot made: in the report directory (see use_reports)."""
    path = tmp_path / "reports" / "out" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- the link ------------------------------------------------------------------------------

UNKNOWN = "This link is unknown.\n"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def _rows(core) -> list[FileLink]:
    async with core.db.session() as s:
        return list((await s.exec(select(FileLink))).all())


async def assert_unknown(client, url: str | URL) -> None:
    """The one answer for every link that is not valid: 404 and the same words, never a file."""
    resp = await client.get(url)
    assert (resp.status, await resp.text()) == (404, UNKNOWN), url


async def test_a_link_the_bot_made_opens_its_file_until_it_expires(slack: SlackBot, tmp_path):
    core = slack.core
    csv_file = a_file(tmp_path)
    page = a_file(tmp_path, "report.html", b"<!doctype html><p>Report</p><script>alert(1)</script>")
    url, expires = await files.link(core, csv_file)
    assert url.startswith("/files/") and expires == NOW + files.DEFAULT_TTL
    resp = await slack.client.get(url)
    assert resp.status == 200 and await resp.read() == csv_file.read_bytes()
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="figures.csv"')
    assert "no-store" in resp.headers["Cache-Control"] and resp.headers["X-Robots-Tag"].startswith("noindex")
    assert resp.headers["Referrer-Policy"] == "no-referrer" and resp.headers["X-Content-Type-Options"] == "nosniff"

    # An HTML report opens in the browser as an inert page: no scripts run.
    html_url, _ = await files.link(core, page)
    resp = await slack.client.get(html_url)
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/html")
    assert resp.headers["Content-Disposition"].startswith("inline")
    assert resp.headers["Content-Security-Policy"].startswith("sandbox")

    # Still valid a second before it expires; then "expired" (410), with the same security headers.
    core.clock.now = expires - timedelta(seconds=1)
    assert (await slack.client.get(url)).status == 200
    core.clock.now = expires
    resp = await slack.client.get(url)
    assert resp.status == 410 and "expired" in await resp.text() and "no-store" in resp.headers["Cache-Control"]

    # A file deleted since is simply unknown.
    core.clock.now = NOW
    csv_file.unlink()
    await assert_unknown(slack.client, url)


async def test_file_link_tokens_hold_a_random_id_and_a_signature_but_no_path(slack: SlackBot, tmp_path):
    path = a_file(tmp_path, "Bericht März.csv")
    url, _ = await files.link(slack.core, path)
    again, _ = await files.link(slack.core, path)
    token = url.removeprefix("/files/")
    link_id, signature = token.split(".")
    [row, row2] = await _rows(slack.core)
    assert {row.id, row2.id} == {link_id, again.removeprefix("/files/").split(".")[0]}  # a new id every time
    row = row if row.id == link_id else row2
    # The database keeps the path relative to the report directory; the link keeps none of it.
    assert row.path == "out/Bericht März.csv" and row.name == "Bericht März.csv"
    for part in ("out", "Bericht", "reports", str(tmp_path), ".csv"):
        assert part not in token
    for piece in (link_id, signature):
        decoded = base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4))
        assert b"out/" not in decoded and b"Bericht" not in decoded
        with pytest.raises(ValueError):  # no JSON inside (json.JSONDecodeError and UnicodeDecodeError are both)
            json.loads(decoded)
    assert len(link_id) == 32 and len(signature) == 43


async def test_a_database_reader_cannot_make_a_working_file_link(slack: SlackBot, tmp_path):
    core = slack.core
    url, _ = await files.link(core, a_file(tmp_path))
    [row] = await _rows(core)
    # Everything a copy of the database holds: every value of every table (the key fingerprint included).
    values: set[bytes] = set()
    with sqlite3.connect(tmp_path / "test.db") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for record in db.execute(f'SELECT * FROM "{table}"'):
                values |= {v if isinstance(v, bytes) else str(v).encode() for v in record if v is not None}
    assert {row.id.encode(), row.path.encode(), core.settings.key.fingerprint().encode()} <= values
    expires = int(row.expires_at.replace(tzinfo=UTC).timestamp())
    messages = [row.id.encode(), "\n".join((row.id, row.path, row.name, str(expires))).encode()]

    def tokens(secret: bytes) -> list[str]:
        # Each value taken as the key itself, or as the program secret the link key is derived from.
        keys = [secret, hmac.new(secret, b"ambassador/file links", hashlib.sha256).digest()]
        return [f"{row.id}.{_b64(hmac.new(k, m, hashlib.sha256).digest())}" for k in keys for m in messages]

    tried = {t for v in values for t in tokens(v)}
    tried |= {f"{row.id}.{_b64(hashlib.sha256(m).digest())}" for m in messages}  # no key at all
    assert url.removeprefix("/files/") not in tried
    for token in sorted(tried):
        await assert_unknown(slack.client, "/files/" + token)
    # The same recipe with the real secret (never in the database) does open the file: the guesses were fair.
    assert url.removeprefix("/files/") in tokens(TEST_SECRET.encode())
    assert (await slack.client.get(url)).status == 200


async def test_forged_tampered_and_unknown_file_links_get_the_same_404(slack: SlackBot, tmp_path):
    core = slack.core
    url, _ = await files.link(core, a_file(tmp_path))
    token = url.removeprefix("/files/")
    link_id, signature = token.split(".")
    other = "A" if link_id[0] != "A" else "B"
    flip = "x" if signature[-2] != "x" else "y"
    # Another program key (another installation, or a replica started with the wrong one).
    [row] = await _rows(core)
    foreign = files.make_token(hmac.new(b"another secret", b"ambassador/file links", hashlib.sha256).digest(), row)
    bad = [
        token[:-2] + flip + token[-1],  # the signature changed
        other + token[1:],  # the id changed
        f"{secrets.token_urlsafe(24)}.{signature}",  # an unknown id with a real signature
        f"{secrets.token_urlsafe(24)}.{_b64(secrets.token_bytes(32))}",  # made up altogether
        foreign, link_id, link_id + ".", "." + signature, token + ".", token + "=", token + "x",
        "nothing", "x" * 5000, "%C3%A4.%C3%B6", "%00", link_id + ".%2B" + signature[1:],
    ]
    for t in bad:
        await assert_unknown(slack.client, URL("/files/" + t, encoded=True))
    assert (await slack.client.get(url)).status == 200  # the real one still opens

    # A row changed in the database (a longer life, another file in the report directory) breaks its signature.
    other_file = a_file(tmp_path, "other.csv", b"other")
    for change in ({"expires_at": NOW + timedelta(days=365)}, {"path": "out/other.csv"}, {"name": "x.html"}):
        async with core.db.session() as s:
            stored = await s.get(FileLink, link_id)
            original = {k: getattr(stored, k) for k in change}
            for k, v in change.items():
                setattr(stored, k, v)
            await s.commit()
        await assert_unknown(slack.client, url)
        async with core.db.session() as s:
            stored = await s.get(FileLink, link_id)
            for k, v in original.items():
                setattr(stored, k, v)
            await s.commit()
        assert (await slack.client.get(url)).status == 200
    assert other_file.read_bytes() == b"other"


async def test_expired_file_links_say_expired_and_are_purged_a_day_later(slack: SlackBot, tmp_path):
    core = slack.core
    url, expires = await files.link(core, a_file(tmp_path), ttl=timedelta(hours=1))
    kept, _ = await files.link(core, a_file(tmp_path, "kept.csv"))
    core.clock.now = expires
    resp = await slack.client.get(url)
    assert resp.status == 410 and "expired" in await resp.text()
    await core.purge()
    assert len(await _rows(core)) == 2  # kept a day, so that an old link still says "expired"
    core.clock.now = expires + timedelta(days=1, seconds=1)
    await core.purge()
    [left] = await _rows(core)
    assert kept.removeprefix("/files/").startswith(left.id + ".")
    await assert_unknown(slack.client, url)


async def test_file_links_open_only_report_files_whatever_the_path(slack: SlackBot, tmp_path):
    core = slack.core
    secret = tmp_path / ".env"
    secret.write_text("SLACK_BOT_TOKEN=xoxb-secret\n")
    url, _ = await files.link(core, a_file(tmp_path))
    # Paths in the link itself: never a file, whatever the encoding.
    for attempt in ("/files/../.env", "/files/..%2F.env", "/files/%2e%2e%2f%2e%2e%2f.env", "/files/%2e%2e",
                    f"/files/{quote(str(secret), safe='')}", f"/files/{secret}", "/files/..%5C..%5C.env",
                    url + "/../../.env", url + "%2F..%2F..%2F.env"):
        resp = await slack.client.get(URL(attempt, encoded=True))
        assert resp.status == 404 and "xoxb" not in await resp.text(), attempt

    # Even a correctly signed row naming a path outside the report directory opens nothing.
    key = core.settings.key.derive("file links")
    for outside in ("../.env", "out/../../.env", str(secret), "/etc/passwd", "out", "", "."):
        row = FileLink(id=secrets.token_urlsafe(24), path=outside, name="x.csv", expires_at=NOW + timedelta(days=1),
                       created_at=NOW)
        async with core.db.session() as s:
            s.add(row)
            await s.commit()
        await assert_unknown(slack.client, "/files/" + files.make_token(key, row))

    # A linked file replaced by a symlink to a file outside: refused, on every request.
    linked = tmp_path / "reports" / "out" / "figures.csv"
    linked.unlink()
    linked.symlink_to(secret)
    await assert_unknown(slack.client, url)
    # ... and so is a symlinked folder on the way.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "figures.csv").write_text("outside")
    shutil.rmtree(tmp_path / "reports" / "out")
    (tmp_path / "reports" / "out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    await assert_unknown(slack.client, url)


async def test_a_file_outside_the_report_directory_cannot_be_linked(slack: SlackBot, tmp_path):
    core = slack.core
    reports = tmp_path / "reports"
    reports.mkdir()
    outside = tmp_path / "secret.csv"
    outside.write_text("secret")
    (reports / "link.csv").symlink_to(outside)
    (reports / "dir-link").symlink_to(tmp_path, target_is_directory=True)
    for path in (outside, reports / ".." / "secret.csv", reports / "link.csv", reports / "dir-link" / "secret.csv",
                 reports, reports / "missing.csv", Path("/etc/passwd"), SAMPLE_CONFIG):
        with pytest.raises(files.NotLinkable, match="not a file in the report directory"):
            await files.link(core, path)
    assert await _rows(core) == []
    # A file in it, named by a relative path from the working directory, is linked.
    url, _ = await files.link(core, relative_to_cwd(a_file(tmp_path)))
    assert (await slack.client.get(url)).status == 200


def relative_to_cwd(path: Path) -> Path:
    return Path(os.path.relpath(path, Path.cwd()))


def test_the_report_directory_is_relative_to_app_yaml_or_absolute(tmp_path):
    settings = make_settings(tmp_path)
    settings.app.meetings = {**(settings.app.meetings or {}), "report_dir": "reports"}
    assert meetings.report_root(settings) == SAMPLE_CONFIG.resolve().parent / "reports"
    settings.app.meetings = {**settings.app.meetings, "report_dir": str(tmp_path / "r")}
    assert meetings.report_root(settings) == tmp_path / "r"


# -- Slack: an upload into the DM ------------------------------------------------------------


async def test_notify_file_uploads_into_the_persons_slack_dm(slack: SlackBot, fake, tmp_path):
    core = slack.core
    lead = await core.person_by_email(LEAD_EMAIL)
    path = a_file(tmp_path, "Bericht März.csv")
    assert await core.notify_file(lead.id, path, "Figures", "The figures for the meeting.") == "slack"
    [shared] = fake.shared_files(dm_of(LEAD))
    assert shared["filename"] == "Bericht März.csv" and shared["data"] == path.read_bytes()
    assert shared["title"] == "Figures" and shared["initial_comment"] == "The figures for the meeting."
    # The DM with the lead was opened once and is known from now on.
    await core.notify_file(lead.id, path, "Again", "")
    assert len(fake.called("conversations.open")) == 1 and len(fake.shared_files(dm_of(LEAD))) == 2
    assert fake.shared_files(dm_of(LEAD))[1]["initial_comment"] is None

    fake.errors["files.completeUploadExternal"] = "not_allowed_token_type"
    with pytest.raises(DeliveryError, match="(?s)slack: .*not_allowed_token_type"):
        await core.notify_file(lead.id, path, "Figures", "")


async def test_notify_file_fails_clearly_without_a_platform_that_takes_files(core, tmp_path):
    class TextOnly(Sender):
        async def send_to_person(self, user_id, replies):
            raise AssertionError("no text instead of the file")

        async def send_to_conversation(self, conversation_id, replies, user_id):
            raise AssertionError("no text instead of the file")

    core.register_sender("slack", TextOnly())
    async with core.db.session() as s:
        person = Person(email="x@example.com")
        s.add(person)
        await s.flush()
        s.add(Identity(person_id=person.id, platform="slack", user_id="U0X"))
        await s.commit()
    with pytest.raises(DeliveryError, match="slack: cannot send files"):
        await core.notify_file(person.id, a_file(tmp_path), "Figures", "")
    with pytest.raises(DeliveryError, match="no Slack or Teams account"):
        await core.notify_file(person.id + 1, a_file(tmp_path), "Figures", "")


# -- Teams: a card with a link to the bot's server -----------------------------------------------


@pytest.fixture
async def connector():
    fake = await FakeConnector(users=dict(USERS)).start()
    yield fake
    await fake.close()


async def start_teams(tmp_path, aiohttp_client, connector, **env: str) -> Teams:
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1", **env)
    use_reports(settings, tmp_path)
    core = build_core(settings)
    core.clock = Clock(NOW)
    app = create_app(settings, core=core, background=False)
    files.mount(app, core)
    return Teams(await aiohttp_client(app), connector, core, itertools.count(1))


async def test_teams_gets_a_card_with_an_expiring_link_to_the_file(tmp_path, aiohttp_client, connector, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://ambassador.example.com/")
    teams = await start_teams(tmp_path, aiohttp_client, connector)
    await teams.say("language de")  # Erik is known and reads German
    erik = await teams.person("erik.employee@example.com")
    path = a_file(tmp_path, "report.zip", b"PK\x05\x06" + bytes(18))

    assert await teams.core.notify_file(erik.id, path, "Bericht zum Treffen", "Alle Dateien im Zip.") == "teams"
    posted = connector.to(personal(TEAMS_EMPLOYEE))[-1]
    card = posted.card
    assert card is not None and "Bericht zum Treffen" in posted.all_text() and "Alle Dateien im Zip." in posted.all_text()
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl" and action["title"] == "report.zip öffnen"
    assert action["url"].startswith("https://ambassador.example.com/files/")
    assert "Der Link gilt bis 23.11.2026 10:00 (Europe/Berlin)." in posted.all_text()
    # The link works on the bot's own server, and only the signed part of it.
    resp = await teams.client.get(action["url"].removeprefix("https://ambassador.example.com"))
    assert resp.status == 200 and await resp.read() == path.read_bytes()


async def test_teams_refuses_to_link_a_file_outside_the_report_directory(tmp_path, aiohttp_client, connector,
                                                                         monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://ambassador.example.com/")
    teams = await start_teams(tmp_path, aiohttp_client, connector)
    await teams.say("language en")
    erik = await teams.person("erik.employee@example.com")
    before = len(connector.to(personal(TEAMS_EMPLOYEE)))
    outside = tmp_path / "app.db.csv"
    outside.write_text("secret")
    with pytest.raises(DeliveryError, match="teams: .*not a file in the report directory"):
        await teams.core.notify_file(erik.id, outside, "Meeting report", "")
    assert len(connector.to(personal(TEAMS_EMPLOYEE))) == before and await _rows(teams.core) == []


async def test_teams_without_a_public_address_says_where_the_file_is(tmp_path, aiohttp_client, connector, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    teams = await start_teams(tmp_path, aiohttp_client, connector)
    await teams.say("language en")
    erik = await teams.person("erik.employee@example.com")
    path = a_file(tmp_path, "report.html", b"<p>hi</p>")
    await teams.core.notify_file(erik.id, path, "Meeting report", "")
    posted = connector.to(personal(TEAMS_EMPLOYEE))[-1]
    assert "actions" not in posted.card
    assert f"The file is on the bot's server (no public address is set up for links): {path}" in posted.all_text()
    with pytest.raises(DeliveryError, match="teams: no file at"):
        await teams.core.notify_file(erik.id, tmp_path / "gone.html", "Meeting report", "")


async def test_without_a_program_key_no_file_link_is_made_and_the_card_names_the_path(tmp_path, aiohttp_client,
                                                                                      connector, monkeypatch, caplog):
    monkeypatch.setenv("PUBLIC_URL", "https://ambassador.example.com/")
    monkeypatch.setattr(files, "_no_key_logged", False)
    teams = await start_teams(tmp_path, aiohttp_client, connector, AMBASSADOR_SECRET="")
    core = teams.core
    assert not core.settings.key.available
    await teams.say("language de")
    erik = await teams.person("erik.employee@example.com")
    path = a_file(tmp_path, "report.html", b"<p>hi</p>")
    with caplog.at_level(logging.WARNING, logger="ambassador.files"):
        for _ in range(2):
            assert await core.notify_file(erik.id, path, "Bericht", "") == "teams"
    posted = connector.to(personal(TEAMS_EMPLOYEE))[-1]
    assert "actions" not in posted.card and "/files/" not in posted.all_text()
    assert ("Die Datei liegt auf dem Server des Bots (Links zu Dateien sind aus, bis der Bot seinen "
            f"Programmschlüssel hat): {path}") in posted.all_text()
    [said] = [r.getMessage() for r in caplog.records if r.name == "ambassador.files"]  # once, not per file
    assert "no program key" in said and "AMBASSADOR_SECRET" in said
    with pytest.raises(files.NotLinkable, match="no program key"):
        await files.link(core, path)
    assert await _rows(core) == []
    # A row signed by whatever key: without the program key, this server opens no link at all.
    row = FileLink(id=secrets.token_urlsafe(24), path="out/report.html", name="report.html",
                   expires_at=NOW + timedelta(days=1), created_at=NOW)
    async with core.db.session() as s:
        s.add(row)
        await s.commit()
    await assert_unknown(teams.client, "/files/" + files.make_token(b"k" * 32, row))


# -- the meeting report ----------------------------------------------------------------------------


async def _prepare_meeting(slack: SlackBot, tmp_path: Path) -> int:
    core = slack.core
    core.settings.app.meetings = {"every_weeks": 2, "weekday": "tuesday", "time": "10:00", "first": "2026-11-03",
                                  "lead_hours": 24, "report_dir": str(tmp_path / "reports"), "language": "en"}
    for who in (LEAD, CLARA):
        await slack.dm(who, "language en")  # known, and writing English
    await slack.settled()
    core.clock.now = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # a day before the meeting on the 17th
    meeting_id = await meetings.prepare_due(core)
    assert meeting_id is not None
    return meeting_id


def _summaries(fake: FakeSlack, user: str) -> list[dict]:
    return [r for r in fake.replies() if r["channel"] == dm_of(user) and "meeting report" in r["text"].lower()]


def _summary(fake: FakeSlack, user: str) -> dict:
    [summary] = _summaries(fake, user)
    return summary


async def test_the_meeting_report_reaches_lead_and_communicator_as_files_beside_the_summary(slack: SlackBot, fake,
                                                                                              tmp_path):
    await _prepare_meeting(slack, tmp_path)
    folder = tmp_path / "reports" / "meeting-2026-11-17"

    page, bundle = fake.shared_files(dm_of(LEAD))
    assert page["filename"] == "meeting-2026-11-17.html" and page["title"] == "Meeting report 2026-11-17"
    assert "to open in a browser" in page["initial_comment"]
    assert bundle["filename"] == "meeting-2026-11-17.zip"
    assert bundle["title"] == "Meeting report 2026-11-17: HTML, charts and CSV files"
    # The page reads on its own: the charts and the CSV files are inside it.
    html = page["data"].decode()
    assert "<img src='data:image/png;base64," in html and "download='figures.csv'" in html
    assert "<img src='figures.png'" not in html
    with zipfile.ZipFile(io.BytesIO(bundle["data"])) as z:
        names = set(z.namelist())
        assert z.read("meeting-2026-11-17/report.html") == (folder / "report.html").read_bytes()
    assert {"meeting-2026-11-17/figures.png", "meeting-2026-11-17/figures.csv"} <= names
    assert not any("dept-" in n or "/share/" in n for n in names)  # the lead's zip holds the report, not the copies

    # The summary points to the files; the server's path means nothing in chat.
    summary = _summary(fake, LEAD)
    assert "attached as files in this chat" in all_text(summary) and str(folder) not in all_text(summary)

    # The communicator gets her department's copy, as files too.
    clara_page, clara_bundle = fake.shared_files(dm_of(CLARA))
    assert clara_page["filename"] == "meeting-2026-11-17-dept-Sales.html"
    assert clara_bundle["filename"] == "meeting-2026-11-17-dept-Sales.zip"
    assert "attached as files in this chat" in all_text(_summary(fake, CLARA))


async def test_when_files_cannot_be_sent_the_summary_names_the_path_as_before(slack: SlackBot, fake, tmp_path):
    fake.errors["files.getUploadURLExternal"] = "not_allowed_token_type"
    await _prepare_meeting(slack, tmp_path)
    assert fake.shared_files() == []
    summary = _summary(fake, LEAD)
    folder = (tmp_path / "reports" / "meeting-2026-11-17").resolve()
    assert f"Report with charts and CSV files: {folder / 'report.html'}" in all_text(summary)
    assert "attached as files" not in all_text(summary)
    async with slack.core.db.session() as s:
        from storage.models_polls import PollOutbox

        assert {r.status for r in (await s.exec(select(PollOutbox))).all()} == {"sent"}


async def test_a_retried_report_message_does_not_send_the_files_twice(slack: SlackBot, fake, tmp_path):
    # The files go out, then the summary itself is refused: the retry brings the summary only.
    original = fake._answer
    refused = {"n": 0}

    def answer(method, params):
        if (method == "chat.postMessage" and params.get("channel") == dm_of(LEAD)
                and "meeting report" in str(params.get("text")).lower() and not refused["n"]):
            refused["n"] += 1
            return {"ok": False, "error": "fatal_error"}
        return original(method, params)

    fake._answer = answer
    await _prepare_meeting(slack, tmp_path)
    assert len(fake.shared_files(dm_of(LEAD))) == 2 and refused["n"] == 1
    slack.core.clock.move(minutes=5)
    await meetings.deliver_outbox(slack.core)
    assert len(fake.shared_files(dm_of(LEAD))) == 2
    refused_one, summary = _summaries(fake, LEAD)
    assert "attached as files" in all_text(refused_one)
    # A retry cannot know whether the files arrived the first time: it names the path instead.
    assert "report.html" in all_text(summary)


async def test_the_meeting_report_on_teams_comes_as_links_that_open_its_files(tmp_path, aiohttp_client, connector,
                                                                             monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://ambassador.example.com/")
    teams = await start_teams(tmp_path, aiohttp_client, connector)
    await teams.say("language en", user=TEAMS_LEAD)
    teams.core.settings.app.meetings = {"every_weeks": 2, "weekday": "tuesday", "time": "10:00", "first": "2026-11-03",
                                        "lead_hours": 24, "report_dir": "reports", "language": "en",
                                        "send_to": ["lead"]}
    # report_dir relative to app.yaml's folder: the test's own copy of it.
    config = tmp_path / "app.yaml"
    config.write_bytes(SAMPLE_CONFIG.read_bytes())
    monkeypatch.setattr(teams.core.settings, "config_path", config)
    assert await meetings.prepare_due(teams.core) is not None
    share = tmp_path / "reports" / "meeting-2026-11-17" / "share"
    actions = [a for p in connector.to(personal(TEAMS_LEAD)) if p.card for a in p.card.get("actions", [])
               if a["type"] == "Action.OpenUrl"]
    assert [a["title"] for a in actions] == ["Open meeting-2026-11-17.html", "Open meeting-2026-11-17.zip"]
    for action, name in zip(actions, ("meeting-2026-11-17.html", "meeting-2026-11-17.zip"), strict=True):
        resp = await teams.client.get(action["url"].removeprefix("https://ambassador.example.com"))
        assert resp.status == 200 and await resp.read() == (share / name).read_bytes()
    assert {r.path for r in await _rows(teams.core)} == {"meeting-2026-11-17/share/meeting-2026-11-17.html",
                                                         "meeting-2026-11-17/share/meeting-2026-11-17.zip"}


def test_share_files_are_made_once_per_report(tmp_path):
    folder = tmp_path / "meeting-2026-11-17"
    folder.mkdir()
    (folder / "report.html").write_text("<img src='figures.png' alt='x'><a href='figures.csv'>figures.csv</a>")
    (folder / "figures.png").write_bytes(b"\x89PNG fake")
    (folder / "figures.csv").write_text("a;b\n")
    (folder / "dept-Sales").mkdir()
    page, bundle = meetings.share_files(folder, folder.name)
    first = (page.stat().st_mtime_ns, bundle.stat().st_mtime_ns)
    assert meetings.share_files(folder, folder.name) == (page, bundle)
    assert (page.stat().st_mtime_ns, bundle.stat().st_mtime_ns) == first
    assert sorted(p.name for p in page.parent.iterdir()) == ["meeting-2026-11-17.html", "meeting-2026-11-17.zip"]


async def test_the_app_serves_file_links_once_mounted(tmp_path, aiohttp_client):
    settings = make_settings(tmp_path)
    app = create_app(settings, background=False)
    files.mount(app, app[CORE_KEY])
    client = await aiohttp_client(app)
    resp = await client.get("/files/not-a-token")
    assert resp.status == 404


def test_file_card_texts_have_german_and_english_with_the_same_placeholders():
    # Registered by the Teams adapter and files.mount (not by a handler module, so test_i18n does not see them).
    from tests.test_i18n import _DU_WORDS, _fields

    for key, entry in files.TEXTS.items():
        assert entry["en"].strip() and entry["de"].strip(), key
        assert _fields(entry["de"]) == _fields(entry["en"]), key
        assert not _DU_WORDS.search(entry["de"]), f"{key}: the German text must suit du and Sie alike"
