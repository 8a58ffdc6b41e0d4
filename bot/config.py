"""Configuration: app.yaml for the program, the environment (and .env) for secrets.

Read once, validated into typed settings. Every error names the key and the
file (with the line where the key stands), so ``ambassador`` can print one
sentence and exit non-zero instead of a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from dotenv import load_dotenv
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, ValidationInfo, field_validator

from bot.keys import ProgramKey, ProgramKeyError, load_key

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "app.yaml"
DEFAULT_PORT = 3978

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def time_zone_name(v: str) -> str:
    """A time zone of a config file, checked (a validator for every section that names one)."""
    try:
        ZoneInfo(v)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Europe/Berlin") from None
    return v


class ConfigError(Exception):
    """A configuration problem, worded for the person who runs the bot."""


class Strict(BaseModel):
    """A section of app.yaml: an unknown key is an error that names it (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid")


class ProgramConfig(Strict):
    name: str = "Ambassador"
    company: str = "Example GmbH"
    privacy_contact: EmailStr | None = None


class LanguageConfig(Strict):
    default: Literal["de", "en"] = "de"
    german_address: Literal["du", "sie"] = "du"


class QuietHours(Strict):
    start: str = "20:00"
    end: str = "08:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not _HHMM.match(str(v)):
            raise ValueError("use the 24-hour form HH:MM, for example 20:00")
        return str(v)


class Communicator(Strict):
    email: EmailStr
    department: str


class RolesConfig(Strict):
    comms_lead: EmailStr | None = None
    backup: list[EmailStr] = Field(default_factory=list)
    communicators: list[Communicator] = Field(default_factory=list)
    core_group: list[EmailStr] = Field(default_factory=list)

    @field_validator("backup", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class PersonDepartment(Strict):
    """A person's department named in app.yaml: it opens that department's polls and results."""

    email: EmailStr
    department: str


class WorkspaceConfig(Strict):
    """The terminal workspace (``ambassador chat`` with no Slack or Teams credentials): the people of
    ``roles:`` plus these plain employees and guests, in a database of its own."""

    # A file beside app.yaml (or an sqlite:/// URL); never the bot's database.url.
    database: str = "workspace.db"
    employees: list[EmailStr] = Field(default_factory=list)
    guests: list[EmailStr] = Field(default_factory=list)

    @field_validator("guests")
    @classmethod
    def _guests_are_not_employees(cls, v: list[str], info: ValidationInfo) -> list[str]:
        employees = {str(e).lower() for e in info.data.get("employees") or []}
        both = sorted(str(g).lower() for g in v if str(g).lower() in employees)
        if both:
            raise ValueError(f"{', '.join(both)} named both as employee and as guest")
        return v


class DatabaseConfig(Strict):
    url: str = "sqlite:///ambassador.db"


class PrivacyConfig(Strict):
    notice_version: int = 1
    retention_days: int = Field(default=730, ge=1)
    log_message_text: bool = False
    # Anonymous feedback names its department only where at least this many people are in it:
    # in a smaller one the department would all but name the sender.
    anonymous_min_group: int = Field(default=5, ge=1)


class ProcessedEventsConfig(Strict):
    keep_hours: int = Field(default=72, ge=1)


class LimitsConfig(Strict):
    # Messages one person may send in a minute before the rest waits (bot/ratelimit.py); 0: no limit.
    per_user_per_minute: int = Field(default=30, ge=0, le=100_000)


class AppConfig(Strict):
    program: ProgramConfig = Field(default_factory=ProgramConfig)
    language: LanguageConfig = Field(default_factory=LanguageConfig)
    timezone: str = "Europe/Berlin"
    quiet_hours: QuietHours = Field(default_factory=QuietHours)  # "off": none (an empty window)
    roles: RolesConfig = Field(default_factory=RolesConfig)
    departments: list[str] = Field(default_factory=list)
    # People's departments by e-mail address; they win over a confirmation in chat (handlers/profile.py).
    people: list[PersonDepartment] = Field(default_factory=list)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    events: ProcessedEventsConfig = Field(default_factory=ProcessedEventsConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    workspace: WorkspaceConfig = Field(default_factory=WorkspaceConfig)
    # Sections of capabilities that arrive later (llm, knowledge, content,
    # polls, crisis) are accepted as they are and validated by their modules.
    llm: Any = Field(default_factory=dict)  # also "llm: off"/"on"; knowledge/llm.py validates it
    knowledge: dict[str, Any] = Field(default_factory=dict)
    content: dict[str, Any] = Field(default_factory=dict)
    polls: dict[str, Any] = Field(default_factory=dict)
    meetings: dict[str, Any] = Field(default_factory=dict)
    crisis: dict[str, Any] = Field(default_factory=dict)
    feeds: dict[str, Any] = Field(default_factory=dict)

    @field_validator("people")
    @classmethod
    def _people_departments(cls, v: list[PersonDepartment], info: ValidationInfo) -> list[PersonDepartment]:
        known = info.data.get("departments") or []
        seen: dict[str, str] = {}
        for i, entry in enumerate(v):
            email = str(entry.email).lower()
            if known and entry.department not in known:
                raise ValueError(f"entry {i + 1}: department {entry.department!r} is not one of departments "
                                 f"({', '.join(known)})")
            if seen.setdefault(email, entry.department) != entry.department:
                raise ValueError(f"entry {i + 1}: {email} is named twice with different departments")
        return v

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet_off(cls, v: Any) -> Any:
        # YAML reads a bare off as false: both mean no quiet hours, a window that ends where it starts.
        if v is False or (isinstance(v, str) and v.strip().lower() in ("off", "aus", "none")):
            return {"start": "00:00", "end": "00:00"}
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return time_zone_name(v)


@dataclass
class SlackSecrets:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str | None = None

    @property
    def http_mode(self) -> bool:
        return bool(self.bot_token and self.signing_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.bot_token and self.app_token)

    @property
    def configured(self) -> bool:
        return self.http_mode or self.socket_mode


# The Microsoft 365 Agents SDK's own names for the bot's Entra ID app (its environment configuration,
# ``load_configuration_from_env``); the botbuilder names beside them are still read (TEAMS_OLDER_NAMES).
TEAMS_SETTINGS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
TEAMS_OLDER_NAMES = {"CLIENTID": "MicrosoftAppId", "CLIENTSECRET": "MicrosoftAppPassword",
                     "TENANTID": "MicrosoftAppTenantId"}
# The SDK's AUTHTYPE values (microsoft_agents.hosting.core.AuthTypes) the bot can run with.
TEAMS_AUTH_TYPES = ("ClientSecret", "certificate", "CertificateSubjectName", "UserManagedIdentity",
                    "SystemManagedIdentity", "FederatedCredentials", "WorkloadIdentity")
# botbuilder's MicrosoftAppType, as the SDK's AUTHTYPE (MultiTenant: the tenant botbuilder used for it).
_OLDER_APP_TYPES = {"MultiTenant": "ClientSecret", "SingleTenant": "ClientSecret",
                    "UserAssignedMSI": "UserManagedIdentity"}
MULTI_TENANT = "botframework.com"


@dataclass
class TeamsSecrets:
    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    auth_type: str = "ClientSecret"
    allow_unauthenticated: bool = False
    # Every CONNECTIONS__SERVICE_CONNECTION__SETTINGS__* value by its SDK key (CLIENTID, AUTHORITY, CERTPFXFILE, ...),
    # with the older names filled in: what the SDK's AgentAuthConfiguration is made from.
    sdk_settings: dict[str, str] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.app_id) or self.allow_unauthenticated


def _teams_secrets(env: Mapping[str, str]) -> TeamsSecrets:
    """The Teams app's settings: the SDK's names first, then the older botbuilder names."""
    sdk = {k[len(TEAMS_SETTINGS_PREFIX):]: v for k, v in env.items() if k.startswith(TEAMS_SETTINGS_PREFIX) and v}
    for key, older in TEAMS_OLDER_NAMES.items():
        if not sdk.get(key) and env.get(older):
            sdk[key] = env[older]
    older_type = env.get("MicrosoftAppType", "")
    if older_type and older_type not in _OLDER_APP_TYPES:
        raise ConfigError(
            f"environment: MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, not {older_type!r}"
        )
    if not sdk.get("AUTHTYPE"):
        sdk["AUTHTYPE"] = _OLDER_APP_TYPES.get(older_type or "MultiTenant", "ClientSecret")
        older_app = sdk.get("CLIENTID") and not env.get(TEAMS_SETTINGS_PREFIX + "CLIENTID")
        if (older_type or "MultiTenant") == "MultiTenant" and not sdk.get("TENANTID") and older_app:
            sdk["TENANTID"] = MULTI_TENANT  # where botbuilder asked Entra ID for a multi-tenant bot's tokens
    names = {k: f"{TEAMS_SETTINGS_PREFIX}{k} (or the older {TEAMS_OLDER_NAMES[k]})" for k in TEAMS_OLDER_NAMES}
    auth_type = sdk["AUTHTYPE"]
    if auth_type not in TEAMS_AUTH_TYPES:
        raise ConfigError(f"environment: {TEAMS_SETTINGS_PREFIX}AUTHTYPE must be one of "
                          f"{', '.join(TEAMS_AUTH_TYPES)}, not {auth_type!r}")
    if sdk.get("CLIENTID"):
        if auth_type == "ClientSecret" and not sdk.get("CLIENTSECRET"):
            raise ConfigError(f"environment: {names['CLIENTSECRET']} is missing (the app id is set)")
        if older_type == "SingleTenant" and not sdk.get("TENANTID"):
            raise ConfigError(f"environment: {names['TENANTID']} is missing (MicrosoftAppType is SingleTenant)")
        if "ManagedIdentity" not in auth_type and not sdk.get("TENANTID"):
            raise ConfigError(f"environment: {names['TENANTID']} is missing ({auth_type} needs the app's tenant)")
    return TeamsSecrets(
        app_id=sdk.get("CLIENTID", ""),
        app_password=sdk.get("CLIENTSECRET", ""),
        # The home tenant: who counts as one of the company's own (guests and other organisations do not).
        tenant_id="" if sdk.get("TENANTID") == MULTI_TENANT else sdk.get("TENANTID", ""),
        auth_type=auth_type,
        allow_unauthenticated=env.get("TEAMS_ALLOW_UNAUTHENTICATED", "") in ("1", "true", "yes"),
        sdk_settings=sdk,
    )


@dataclass
class Settings:
    app: AppConfig
    config_path: Path
    database_url: str
    slack: SlackSecrets = field(default_factory=SlackSecrets)
    teams: TeamsSecrets = field(default_factory=TeamsSecrets)
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    # The program key (bot/keys.py): never in the database; empty when neither set nor made yet.
    key: ProgramKey = field(default_factory=ProgramKey)


def _line_of(path: Path, text: str, loc: tuple[Any, ...]) -> int | None:
    """The line in the YAML file where the key at ``loc`` stands (1-based)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _key_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _problems(path: Path, text: str, exc: ValidationError, prefix: tuple[Any, ...] = ()) -> str:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line = _line_of(path, text, loc)
        where = f"{path}:{line}" if line else str(path)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling against the configuration reference in README.md)"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        problems.append(f"{where}: {_key_name(loc)}: {msg}")
    return "\n".join(problems)


def validate_section[M: BaseModel](
    settings: Settings, name: str, model: type[M], context: dict[str, Any] | None = None
) -> M:
    """Validate a capability's section of app.yaml (crisis:, content:, ...) into its own model.

    Errors name the file, line and key like every other configuration error. ``context`` reaches
    the model's validators (``info.context``): what they check against, the departments for example.
    """
    data = getattr(settings.app, name)
    try:
        return model.model_validate(data or {}, context=context)
    except ValidationError as exc:
        try:
            text = settings.config_path.read_text(encoding="utf-8")
        except OSError:
            text = ""
        raise ConfigError(_problems(settings.config_path, text, exc, (name,))) from None


# app.yaml is committed, reviewed and copied around; secrets come from the environment only.
_SECRET_WORDS = {"secret", "secrets", "password", "passwd", "pwd", "passphrase", "credential", "credentials",
                 "apikey", "privatekey"}
_SECRET_PAIRS = {("api", "key"), ("private", "key"), ("access", "key"), ("client", "secret")}
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_VALUES = (
    (re.compile(r"(?<![\w-])xox[abposre]-[\w-]{6,}"), "a Slack token: SLACK_BOT_TOKEN"),
    (re.compile(r"(?<![\w-])xapp-[\w-]{6,}"), "a Slack app-level token: SLACK_APP_TOKEN"),
    (re.compile(r"(?<![\w-])sk-[\w-]{20,}"), "an API key: OPENAI_API_KEY"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE),
     "an address with a password: DATABASE_URL for the database"),
)


def _secret_key(key: str) -> bool:
    words = [w.lower() for w in _WORD.findall(key)]
    if not words:
        return False
    # "bot_token", "accessToken" are secrets; "max_tokens" is a number.
    return (bool(set(words) & _SECRET_WORDS) or words[-1] == "token"
            or any(pair in _SECRET_PAIRS for pair in zip(words, words[1:], strict=False)))


def _secret_problems(path: Path, text: str, data: Any, loc: tuple[Any, ...] = ()) -> list[str]:
    """Keys named like secrets and values that look like one, each with its file and line."""
    out: list[str] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        here = (*loc, key)
        hint = ""
        if isinstance(key, str) and _secret_key(key) and value not in (None, "", [], {}):
            hint = "its name says it is a secret"
        elif isinstance(value, str):
            hint = next((f"it looks like {what}" for pattern, what in _SECRET_VALUES if pattern.search(value)), "")
        if hint:
            line = _line_of(path, text, here)
            where = f"{path}:{line}" if line else str(path)
            out.append(f"{where}: {_key_name(here)}: {hint}; app.yaml holds no secrets: set it in the "
                       "environment or in .env instead (see \"Environment\" in README.md) and remove it here")
            continue
        out += _secret_problems(path, text, value, here)
    return out


def load_app_config(path: Path) -> AppConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(f"{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the file must hold a mapping of keys (program:, roles:, ...)")
    secrets = _secret_problems(path, text, data)
    if secrets:
        raise ConfigError("\n".join(secrets))
    try:
        return AppConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_problems(path, text, exc)) from None


def load_settings(
    config_path: str | Path | None = None,
    env: dict[str, str] | None = None,
    *,
    read_dotenv: bool = True,
) -> Settings:
    if env is None:
        if read_dotenv:
            # The .env beside app.yaml (as the README says), and the one in the working directory;
            # the environment itself always wins.
            load_dotenv(Path.cwd() / ".env", override=False)
            beside = Path(config_path or os.environ.get("AMBASSADOR_CONFIG") or DEFAULT_CONFIG).parent / ".env"
            if beside.resolve() != (Path.cwd() / ".env").resolve():
                load_dotenv(beside, override=False)
        env = dict(os.environ)
    path = Path(config_path or env.get("AMBASSADOR_CONFIG") or DEFAULT_CONFIG)
    app = load_app_config(path)

    port_text = env.get("PORT")
    port = DEFAULT_PORT
    if port_text:
        if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            raise ConfigError(f"environment: PORT must be a port number (0-65535), not {port_text!r}")
        port = int(port_text)

    slack = SlackSecrets(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        api_url=env.get("SLACK_API_URL") or None,
    )
    if slack.bot_token and not (slack.signing_secret or slack.app_token):
        raise ConfigError(
            "environment: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) "
            "nor SLACK_APP_TOKEN (Socket Mode) is"
        )
    if (slack.signing_secret or slack.app_token) and not slack.bot_token:
        raise ConfigError("environment: SLACK_BOT_TOKEN is missing (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set)")
    if slack.app_token and not slack.app_token.startswith("xapp-"):
        raise ConfigError("environment: SLACK_APP_TOKEN must be an app-level token starting with xapp-")

    teams = _teams_secrets(env)

    try:
        key = load_key(path, env)
    except ProgramKeyError as exc:
        raise ConfigError(str(exc)) from None

    return Settings(
        app=app,
        config_path=path,
        key=key,
        database_url=env.get("DATABASE_URL") or app.database.url,
        slack=slack,
        teams=teams,
        openai_api_key=env.get("OPENAI_API_KEY") or None,
        openai_base_url=env.get("OPENAI_BASE_URL") or None,
        host=env.get("HOST", "0.0.0.0"),
        port=port,
    )
