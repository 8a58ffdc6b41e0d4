"""A wrong or missing key: one clear message naming the key, the file and the line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import SAMPLE_CONFIG


def _write(tmp_path, text: str):
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_config_loads():
    s = load_settings(SAMPLE_CONFIG, env={}, read_dotenv=False)
    assert s.app.roles.comms_lead == "lea.lead@example.com"
    assert s.app.language.default == "de"
    assert s.database_url == "sqlite:///ambassador.db"
    assert s.port == 3978
    assert not s.slack.configured and not s.teams.configured


def test_env_overrides_database_and_port():
    s = load_settings(SAMPLE_CONFIG, env={"DATABASE_URL": "postgresql://x@h/db", "PORT": "8080"}, read_dotenv=False)
    assert s.database_url == "postgresql://x@h/db"
    assert s.port == 8080


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roles:\n  comms_lead: not-an-address\n", ":2: roles.comms_lead: value is not a valid email address"),
        ("timezone: Mars/Olympus\n", ":1: timezone: unknown time zone 'Mars/Olympus'"),
        ("quiet_hours:\n  start: '25:00'\n", ":2: quiet_hours.start: use the 24-hour form HH:MM"),
        ("language:\n  default: fr\n", ":2: language.default: Input should be 'de' or 'en'"),
        ("program:\n  name: X\n  colour: red\n", ":3: program.colour: unknown key"),
        ("roles:\n  communicators:\n    - email: a@example.com\n", ":3: roles.communicators[0].department: Field required"),
        ("program:\n\tname: x\n", ":2: found character '\\t' that cannot start any token"),
        ("- just\n- a list\n", "must hold a mapping"),
    ],
)
def test_bad_config_names_key_file_and_line(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={}, read_dotenv=False)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "nope.yaml", env={}, read_dotenv=False)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "neither SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is missing"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "must be an app-level token"),
        ({"MicrosoftAppId": "id"}, r"SETTINGS__CLIENTSECRET \(or the older MicrosoftAppPassword\) is missing"),
        ({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "id",
          "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "s"}, r"SETTINGS__TENANTID \(or the older MicrosoftAppTenantId\) is missing"),
        ({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE": "Weird"}, "AUTHTYPE must be one of"),
        ({"MicrosoftAppType": "Weird"}, "MicrosoftAppType must be"),
        ({"PORT": "http"}, "PORT must be a port number"),
    ],
)
def test_bad_environment_names_the_variable(env, expected):
    with pytest.raises(ConfigError, match=expected):
        load_settings(SAMPLE_CONFIG, env=env, read_dotenv=False)


def test_cli_reports_config_error_without_traceback(tmp_path):
    path = _write(tmp_path, "roles:\n  comms_lead: nobody\n")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "config", "check"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert f"{path}:2: roles.comms_lead" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_capability_section_is_validated_with_file_and_line(tmp_path):
    from pydantic import BaseModel, ConfigDict

    from bot.config import validate_section

    class Crisis(BaseModel):
        model_config = ConfigDict(extra="forbid")
        rounds: int = 3

    path = _write(tmp_path, "program:\n  name: X\ncrisis:\n  rounds: many\n")
    settings = load_settings(path, env={}, read_dotenv=False)
    with pytest.raises(ConfigError, match=r"app.yaml:4: crisis.rounds: Input should be a valid integer"):
        validate_section(settings, "crisis", Crisis)
    empty = _write(tmp_path, "program:\n  name: X\n")
    assert validate_section(load_settings(empty, env={}, read_dotenv=False), "crisis", Crisis).rounds == 3


def test_the_sample_sections_are_valid_and_a_bad_one_stops_the_start(tmp_path):
    import yaml

    ok = subprocess.run([sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "config", "check"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    data = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    data["content"]["schedule"] = "every monday"
    bad = tmp_path / "app.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bot", "--config", str(bad), "config", "check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "content.schedule" in proc.stderr and "Traceback" not in proc.stderr


def test_secrets_come_from_the_env_file_beside_app_yaml_and_the_environment_wins(tmp_path, monkeypatch):
    folder = tmp_path / "deploy"
    folder.mkdir()
    (folder / "app.yaml").write_text(SAMPLE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-the-file\nSLACK_APP_TOKEN=xapp-from-the-file\n"
                                 "DATABASE_URL=sqlite:///from-the-file.db\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # started from elsewhere: the file beside app.yaml is still read
    for key in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DATABASE_URL", "AMBASSADOR_CONFIG"):
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-the-environment.db")
    settings = load_settings(folder / "app.yaml")
    assert settings.slack.bot_token == "xoxb-from-the-file" and settings.slack.app_token == "xapp-from-the-file"
    assert settings.database_url.endswith("from-the-environment.db")
