"""Platform-neutral message types.

Adapters turn Slack events, Bot Framework activities and terminal input into an
``Incoming`` and render a handler's ``Reply`` natively (Block Kit, an Adaptive
Card, plain text). Handlers only ever see these types.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Platform = Literal["slack", "teams", "shell"]
Source = Literal["message", "mention", "command", "action", "shortcut", "home", "system"]

# A message longer than this is not read: Slack caps messages at 40,000 characters
# and nothing the bot does needs more than a long draft post.
MAX_TEXT = 12_000

# Valid in JSON ("\\u0000", a lone "\\ud800"), but no database column takes them:
# UTF-8 cannot encode a lone surrogate, PostgreSQL text cannot hold NUL.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable_text(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def storable(value: Any) -> Any:
    """A parsed platform payload without what no database column takes, changed in place.

    Adapters apply it to what a platform sent before anything of it is stored:
    a lone surrogate becomes U+FFFD, a NUL is dropped, NaN and Infinity (Python's
    json reads them, PostgreSQL's json type refuses them) become None.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _UNSTORABLE.sub(_storable_text, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        for key in list(value):
            item = value[key]
            clean_key, clean = storable(key), storable(item)
            if clean_key is not key:
                del value[key]
                value[clean_key] = clean
            elif clean is not item:
                value[key] = clean
    elif isinstance(value, list):
        for i, item in enumerate(value):
            clean = storable(item)
            if clean is not item:
                value[i] = clean
    return value


def button_id(value: Any) -> int | None:
    """A database id carried by a button's value; None when it is none.

    JSON also carries 2**80, Infinity and NaN, which no database column holds.
    """
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if -(2**63) <= number < 2**63 and not isinstance(value, bool) else None


@dataclass
class Profile:
    """What the platform tells about a user; filled by the adapter."""

    email: str | None = None
    name: str | None = None
    locale: str | None = None
    timezone: str | None = None
    # None: the platform did not say (a failed lookup); the stored value stays.
    is_guest: bool | None = None
    is_external: bool | None = None
    deleted: bool = False
    is_bot: bool = False


@dataclass
class Attachment:
    name: str
    content_type: str | None = None
    url: str | None = None


@dataclass
class Incoming:
    platform: Platform
    user_id: str
    conversation_id: str
    text: str = ""
    source: Source = "message"
    action_id: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    locale: str | None = None
    event_id: str | None = None
    is_direct: bool = True
    team_id: str | None = None
    profile: Profile | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # Whether the platform keeps what the person typed in a history that others can read (Slack's and
    # Teams' exports, eDiscovery): an anonymous act typed there is steered to a form instead.
    keeps_history: bool = True
    # Platform details an adapter needs to answer later (Slack response_url,
    # trigger_id, the message ts of a shortcut); handlers do not read them.
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incoming:
        data = dict(data)
        profile = data.pop("profile", None)
        attachments = data.pop("attachments", None) or []
        return cls(
            **data,
            profile=Profile(**profile) if profile else None,
            attachments=[Attachment(**a) for a in attachments],
        )


ButtonStyle = Literal["primary", "danger"] | None


@dataclass
class Button:
    label: str
    action_id: str
    value: dict[str, Any] = field(default_factory=dict)
    style: ButtonStyle = None
    url: str | None = None


@dataclass
class Field:
    label: str
    value: str


@dataclass
class Choice:
    """A pick-one list (a Slack static select, a Teams ChoiceSet)."""

    label: str
    action_id: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    value: str | None = None


# The most a button may carry on every platform (Slack's limit for a button value): a handler that
# puts what a person typed into a button checks it against this before offering the button.
BUTTON_VALUE_MAX = 2000

FormKind = Literal["text", "multiline", "select", "date", "url"]


@dataclass
class FormField:
    """One input of a form; its ``name`` is the key of the submitted value."""

    name: str
    label: str
    kind: FormKind = "text"
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label), for "select"
    optional: bool = False
    initial: str | None = None
    hint: str | None = None


@dataclass
class Form:
    """A form to fill in: a Slack modal, inputs on a Teams card.

    Submitting it comes back as an Incoming with source "action", ``action_id``
    and ``values`` = {field name: what was entered} plus ``value`` (what the
    form carries along, such as the reply language).
    """

    title: str
    submit_label: str
    action_id: str
    fields: list[FormField] = field(default_factory=list)
    value: dict[str, Any] = field(default_factory=dict)
    # Where the form cannot open at once (Slack opens a modal only in answer to a click or
    # a slash command), the reply carries this button instead; its handler returns the form.
    button: Button | None = None
    # What a client without forms shows instead (the terminal): how to do it in text.
    fallback: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Form:
        button = data.get("button")
        return cls(
            title=data["title"],
            submit_label=data["submit_label"],
            action_id=data["action_id"],
            fields=[
                FormField(**{**f, "options": [tuple(o) for o in f.get("options") or []]})
                for f in data.get("fields") or []
            ],
            value=dict(data.get("value") or {}),
            button=Button(**button) if button else None,
            fallback=data.get("fallback"),
        )


@dataclass
class Reply:
    text: str
    title: str | None = None
    fields: list[Field] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    context: str | None = None
    # Only the asker sees it (Slack ephemeral message in channels).
    private: bool = False
    # Answering a button: replace the message the button was on (poll results,
    # a confirmed choice) instead of posting a new one, where the platform can.
    update: bool = False
    # A form to fill in (a Slack modal, a Teams card with inputs); the text introduces it.
    form: Form | None = None
    # Shown once to its reader and kept in no message history (an anonymous choice): Slack shows
    # it as an ephemeral message, even in a DM; a platform without such messages (Teams) drops it;
    # it is never stored to be resent later.
    transient: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        data = dict(data)
        return cls(
            text=data["text"],
            title=data.get("title"),
            fields=[Field(**f) for f in data.get("fields") or []],
            buttons=[Button(**b) for b in data.get("buttons") or []],
            choices=[
                Choice(
                    label=c["label"],
                    action_id=c["action_id"],
                    options=[tuple(o) for o in c.get("options") or []],
                    value=c.get("value"),
                )
                for c in data.get("choices") or []
            ],
            context=data.get("context"),
            private=bool(data.get("private")),
            update=bool(data.get("update")),
            form=Form.from_dict(data["form"]) if data.get("form") else None,
            transient=bool(data.get("transient")),
        )

    def plain(self) -> str:
        """The whole reply as plain text: the shell and notification fallbacks use it."""
        lines: list[str] = []
        if self.title:
            lines.append(self.title)
        if self.text:
            lines.append(self.text)
        for f in self.fields:
            lines.append(f"{f.label}: {f.value}")
        if self.context:
            lines.append(self.context)
        if self.form:
            lines.append(self.form.fallback or self.form.title)
        return "\n".join(lines)
