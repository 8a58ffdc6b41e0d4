"""Crisis escalation end to end through Microsoft Teams: activities posted to /api/messages, alerts sent as
proactive messages through the stored conversation references by the Agents SDK's real CloudAdapter, to the
local fake Bot Framework connector."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiohttp import web
from sqlmodel import select

from handlers import crisis
from storage.models_crisis import CrisisReport
from tests.fakes.teams import FakeConnector, Posted, member
from tests.test_teams import EMPLOYEE, LEAD, USERS, Teams, personal, start_teams

BACKUP = "29:ben-backup"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TRUCK = "crisis A video of our truck accident is going viral on TikTok https://www.tiktok.com/@someone/video/7300"


class Connector(FakeConnector):
    """The fake connector, which can also refuse every post to one conversation (a person it can't reach)."""

    refuse: set[str]

    async def _post_activity(self, request: web.Request) -> web.Response:
        if request.match_info["conversation_id"] in getattr(self, "refuse", set()):
            return web.json_response({"error": {"code": "ServiceError", "message": "failed"}}, status=500)
        return await super()._post_activity(request)


@pytest.fixture
async def connector():
    fake = await Connector(users={**USERS, BACKUP: member(BACKUP, "Ben Backup", "ben.backup@example.com")}).start()
    yield fake
    await fake.close()


@pytest.fixture
async def teams(tmp_path, aiohttp_client, connector) -> Teams:
    teams = await start_teams(tmp_path, aiohttp_client, connector, TEAMS_ALLOW_UNAUTHENTICATED="1")
    teams.core.clock = lambda: NOW
    return teams


def _to(posted: list[Posted], user: str) -> list[Posted]:
    return [p for p in posted if p.conversation_id == personal(user)]


def _alerts(teams: Teams, user: str) -> list[Posted]:
    return [p for p in teams.connector.to(personal(user)) if "Crisis report" in p.all_text()]


async def test_report_alerts_the_lead_proactively_and_her_acknowledgement_reaches_the_reporter(teams: Teams):
    await teams.say("language en", user=LEAD)  # the lead has talked to the bot: her personal chat is known
    [receipt] = _to(await teams.say(TRUCK), EMPLOYEE)
    text = receipt.all_text()
    assert "Report K-2026-0001 received: comms has been alerted" in text
    assert "**do not engage**" in text and "**do not delete**" in text and "**do not comment**" in text
    assert [a["title"] for a in receipt.card["actions"]] == ["Low", "Medium", "High", "Critical", "Add details"]

    await crisis.settle(teams.core)
    [alert] = _alerts(teams, LEAD)
    card_text = alert.all_text()
    assert "🚨 Crisis report K-2026-0001: severity high" in card_text
    assert "Reported by: Erik Employee <erik.employee@example.com>" in card_text
    assert [a["title"] for a in alert.card["actions"]] == ["Acknowledge", "Resolve", "Hand over"]

    posted = await teams.press(alert, "Acknowledge", user=LEAD)
    to_lead, to_reporter = _to(posted, LEAD), _to(posted, EMPLOYEE)
    assert "You have K-2026-0001. The escalation has stopped" in to_lead[0].all_text()
    assert to_reporter[0].text.startswith("Your crisis report K-2026-0001 was taken by Lea Lead at 2026-03-02 10:00.")
    async with teams.core.db.session() as s:
        report = (await s.exec(select(CrisisReport))).one()
    assert report.status == "acknowledged" and report.next_at is None


async def test_a_redelivered_report_makes_one_report_and_one_alert(teams: Teams):
    await teams.say("language en", user=LEAD)
    activity = teams.message(TRUCK)
    first = await teams.send(activity)
    again = await teams.send(activity)  # Teams delivers the same activity again
    assert len(_to(first, EMPLOYEE)) == 1
    assert _to(again, EMPLOYEE) == []  # no second receipt
    await crisis.settle(teams.core)
    assert await teams.count(CrisisReport) == 1
    assert len(_alerts(teams, LEAD)) == 1


async def test_when_the_connector_refuses_the_leads_alert_the_backup_is_alerted_at_once(teams: Teams):
    await teams.say("language en", user=LEAD)
    await teams.say("language en", user=BACKUP)
    teams.connector.refuse = {personal(LEAD)}  # the platform refuses the lead's alert
    [receipt] = _to(await teams.say(TRUCK), EMPLOYEE)
    assert "Report K-2026-0001 received" in receipt.all_text()
    await crisis.settle(teams.core)
    assert _alerts(teams, LEAD) == []
    [to_ben] = _alerts(teams, BACKUP)
    assert "Escalation: level 2 of 2, round 1 of 3" in to_ben.all_text()
    async with teams.core.db.session() as s:
        report = (await s.exec(select(CrisisReport))).one()
    trail = "\n".join(text for _, text in await crisis.trail(teams.core, report))
    assert "delivery failed: level 1, round 1: comms_lead via chat: teams: (ServiceError) failed" in trail
    assert "alerted level 2, round 1: backup = Ben Backup" in trail and "via chat (teams)" in trail
