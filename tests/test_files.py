"""Files in chat: the meeting report reaches the comms lead and the communicators as files.

Slack: the real SDK's upload (files.getUploadURLExternal, the upload, files.completeUploadExternal)
against tests/fake_slack.py. Teams: a card with a link to the file on the bot's own server
(``GET /files/{token}``, unguessable and expiring), through botbuilder to tests/fake_connector.py.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot import files
from bot.core import DeliveryError
from bot.web import CORE_KEY, build_core, create_app
from handlers import meetings
from storage.models import Identity, Person
from tests.conftest import COMMUNICATOR_EMAIL, LEAD_EMAIL, make_settings
from tests.fake_connector import FakeConnector
from tests.fake_slack import LEAD, FakeSlack, _user
from tests.test_content import Clock
from tests.test_slack import SlackBot, all_text, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import USERS, Teams, personal

CLARA = "U0CLARA"
KEY = b"k" * 32
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
async def fake():
    users = {**FakeSlack().users, CLARA: _user(CLARA, COMMUNICATOR_EMAIL, "Clara Sales")}
    server = await FakeSlack(users=users).start()
    yield server
    await server.close()


@pytest.fixture
async def slack(aiohttp_client, fake, tmp_path) -> SlackBot:
    settings = make_settings(tmp_path, **slack_env(fake))
    core = build_core(settings)
    core.clock = Clock(NOW)
    app = create_app(settings, core=core, background=False)
    files.mount(app, core)
    return SlackBot(await aiohttp_client(app), fake)


def a_file(tmp_path: Path, name: str = "figures.csv", data: bytes = b"figure;value\nActive members;8\n") -> Path:
    path = tmp_path / "out" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- the link ------------------------------------------------------------------------------


def test_a_link_names_its_file_until_it_expires_and_cannot_be_forged(tmp_path):
    path = a_file(tmp_path)
    token = files.make_token(KEY, path, NOW + timedelta(days=7))
    assert files.read_token(KEY, token, NOW) == (path.absolute(), "figures.csv")
    with pytest.raises(files.LinkError) as expired:
        files.read_token(KEY, token, NOW + timedelta(days=7))
    assert expired.value.expired
    body, _, signature = token.partition(".")
    forged = files.make_token(b"another key".ljust(32), "/etc/passwd", NOW + timedelta(days=7))
    tampered = body + "." + ("y" if signature[0] == "x" else "x") + signature[1:]  # one character changed
    for bad in (forged, tampered, forged.split(".")[0] + "." + signature, "", ".", "ä.ö"):
        with pytest.raises(files.LinkError) as refused:
            files.read_token(KEY, bad, NOW)
        assert not refused.value.expired


async def test_the_server_serves_a_linked_file_until_the_link_expires(slack: SlackBot, tmp_path):
    core = slack.core
    csv_file = a_file(tmp_path)
    page = a_file(tmp_path, "report.html", b"<!doctype html><p>Report</p><script>alert(1)</script>")
    url, expires = await files.link(core, csv_file)
    assert url.startswith("/files/") and expires == NOW + files.DEFAULT_TTL
    resp = await slack.client.get(url)
    assert resp.status == 200 and await resp.read() == csv_file.read_bytes()
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="figures.csv"')
    assert "no-store" in resp.headers["Cache-Control"] and resp.headers["X-Robots-Tag"].startswith("noindex")

    # An HTML report opens in the browser as an inert page: no scripts run.
    html_url, _ = await files.link(core, page)
    resp = await slack.client.get(html_url)
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/html")
    assert resp.headers["Content-Disposition"].startswith("inline")
    assert resp.headers["Content-Security-Policy"].startswith("sandbox")

    # Not ours, not there any more, expired: each gets its own clear answer, none a file.
    token = url.removeprefix("/files/")
    for bad in ("/files/" + token[:-2] + "xx", "/files/..%2F..%2Fetc%2Fpasswd", "/files/nothing"):
        resp = await slack.client.get(bad)
        assert resp.status == 404 and "unknown" in await resp.text()
    core.clock.move(days=8)
    resp = await slack.client.get(url)
    assert resp.status == 410 and "expired" in await resp.text()
    core.clock.move(days=-8)
    csv_file.unlink()
    resp = await slack.client.get(url)
    assert resp.status == 404 and "no longer there" in await resp.text()


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
    class TextOnly:
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


async def start_teams(tmp_path, aiohttp_client, connector) -> Teams:
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
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
    from handlers import polls

    await polls.deliver_outbox(slack.core)
    assert len(fake.shared_files(dm_of(LEAD))) == 2
    refused_one, summary = _summaries(fake, LEAD)
    assert "attached as files" in all_text(refused_one)
    # A retry cannot know whether the files arrived the first time: it names the path instead.
    assert "report.html" in all_text(summary)


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
