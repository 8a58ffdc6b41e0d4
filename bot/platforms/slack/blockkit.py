"""Render the neutral ``Reply`` as Slack Block Kit.

Pure functions from ``bot.messages`` types to the JSON Slack expects; no SDK
import, so they are easy to test and reuse (messages, ephemeral messages, the
App Home view). Slack rejects a whole message when one block breaks a limit,
so every limit is applied here rather than left to the handlers.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from bot.messages import BUTTON_VALUE_MAX, Button, Choice, Form, FormField, Reply
from bot.text import clip

log = logging.getLogger("ambassador.slack")

# Block Kit limits (https://docs.slack.dev/reference/block-kit).
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_PER_SECTION = 10
ELEMENTS_PER_ACTIONS = 25
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100
CONTEXT_TEXT_MAX = 3000
MESSAGE_BLOCKS_MAX = 50
HOME_BLOCKS_MAX = 100
MODAL_BLOCKS_MAX = 100
MODAL_TITLE_MAX = 24  # the title and the submit and close labels of a modal
PRIVATE_METADATA_MAX = 3000
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
PLAIN_INPUT_MAX = 3000  # plain_text_input's max_length and initial_value
BLOCK_ID_MAX = 255
# chat.postMessage truncates text beyond this; keep clear of it.
FALLBACK_TEXT_MAX = 39_000

# Link buttons still send an interaction payload when clicked; this prefix marks
# their action ids so the adapter acknowledges them without answering.
LINK_ACTION = "_link"
# The callback id of every modal a Form opens; the form's own action id rides in private_metadata.
FORM_CALLBACK = "ambassador_form"


def escape(text: str) -> str:
    """Slack reads &, < and > as markup in mrkdwn and plain message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack sends &, < and > escaped in message text; handlers want the characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def split_text(text: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Chunks of at most ``limit`` characters, cut at a line or word break where there is one."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ") if cut < limit else rest[cut:]
    if rest:
        chunks.append(rest)
    return chunks


def _button_value(button: Button) -> str:
    value = json.dumps(button.value, ensure_ascii=False, separators=(",", ":"))
    if len(value) > BUTTON_VALUE_MAX:
        # A handler bug, but the message must still go out: the button keeps
        # only the reply language and its handler sees the missing data.
        log.error(
            "button value too long for Slack", extra={"action_id": button.action_id, "length": len(value)}
        )
        value = json.dumps({k: v for k, v in button.value.items() if k == "_lang"})
    return value


def _button(button: Button, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": _plain(button.label, BUTTON_TEXT_MAX)}
    if button.url:
        element["url"] = button.url
        element["action_id"] = f"{LINK_ACTION}:{index}"
    else:
        # Slack wants action ids unique within one message; the adapter reads
        # back the part before the last ':'.
        element["action_id"] = clip(button.action_id, ACTION_ID_MAX - 8) + f":{index}"
        element["value"] = _button_value(button)
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _select(choice: Choice, index: int) -> dict[str, Any]:
    options = [
        {"text": _plain(label, OPTION_TEXT_MAX), "value": clip(str(value), OPTION_VALUE_MAX)}
        for value, label in choice.options[:OPTIONS_MAX]
    ]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": clip(choice.action_id, ACTION_ID_MAX - 8) + f":{index}",
        "placeholder": _plain(choice.label, OPTION_TEXT_MAX),
        "options": options,
    }
    initial = next((o for o in options if choice.value is not None and o["value"] == str(choice.value)), None)
    if initial is not None:
        element["initial_option"] = initial
    return element


def _buttons(reply: Reply) -> list[Button]:
    # In a message a form is the button that opens it (a modal opens only in answer to a click).
    if reply.form is not None and reply.form.button is not None:
        return [*reply.buttons, reply.form.button]
    return reply.buttons


def reply_blocks(reply: Reply, *, start_index: int = 0) -> list[dict[str, Any]]:
    """The blocks of one reply; element indexes start at ``start_index`` (views hold several replies)."""
    blocks: list[dict[str, Any]] = []
    if reply.title:
        blocks.append({"type": "header", "text": _plain(reply.title, HEADER_MAX)})
    for chunk in split_text(escape(reply.text or "")):
        if chunk.strip():
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    fields = [
        {"type": "mrkdwn", "text": clip(f"*{escape(f.label)}*\n{escape(f.value) or '-'}", FIELD_TEXT_MAX)}
        for f in reply.fields
    ]
    for i in range(0, len(fields), FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[i : i + FIELDS_PER_SECTION]})
    index = start_index
    for choice in reply.choices:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": clip(escape(choice.label), SECTION_TEXT_MAX) or " "},
                "accessory": _select(choice, index),
            }
        )
        index += 1
    elements = []
    for button in _buttons(reply):
        elements.append(_button(button, index))
        index += 1
    for i in range(0, len(elements), ELEMENTS_PER_ACTIONS):
        blocks.append({"type": "actions", "elements": elements[i : i + ELEMENTS_PER_ACTIONS]})
    if reply.context:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": clip(escape(reply.context), CONTEXT_TEXT_MAX)}],
            }
        )
    return blocks


def _fit(blocks: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    if len(blocks) <= limit:
        return blocks
    log.warning("reply has more blocks than Slack allows; cut", extra={"blocks": len(blocks), "limit": limit})
    # Keep the actions at the end: a reply without its buttons cannot be answered.
    tail = [b for b in blocks if b["type"] == "actions"][-5:]
    rest = [b for b in blocks if all(b is not t for t in tail)]
    return rest[: limit - len(tail)] + tail


def fallback_text(reply: Reply) -> str:
    """The top-level text: notifications, screen readers and clients without blocks show it."""
    return clip(escape(reply.plain()), FALLBACK_TEXT_MAX) or " "


def message(reply: Reply) -> dict[str, Any]:
    """Arguments for chat.postMessage / chat.postEphemeral: ``text`` and ``blocks``."""
    blocks = _fit(reply_blocks(reply), MESSAGE_BLOCKS_MAX)
    # Slack refuses an empty blocks list; the text alone is a valid message.
    return {"text": fallback_text(reply), "blocks": blocks} if blocks else {"text": fallback_text(reply)}


def home_view(replies: list[Reply]) -> dict[str, Any]:
    """An App Home tab (views.publish) holding the replies one after the other."""
    blocks: list[dict[str, Any]] = []
    index = 0
    for n, reply in enumerate(replies):
        if n:
            blocks.append({"type": "divider"})
        part = reply_blocks(reply, start_index=index)
        index += len(_buttons(reply)) + len(reply.choices)
        blocks.extend(part)
    return {"type": "home", "blocks": _fit(blocks, HOME_BLOCKS_MAX)}


def neutral_action_id(action_id: str) -> str:
    """``join.confirm:3`` -> ``join.confirm`` (the index only made it unique in its message)."""
    head, sep, tail = action_id.rpartition(":")
    return head if sep and tail.isdigit() else action_id


def action_values(action: dict[str, Any]) -> dict[str, Any]:
    """What a clicked button or a picked option carries, as the handler's ``values``."""
    if action.get("type") == "static_select" or "selected_option" in action:
        selected = action.get("selected_option")
        return {"value": selected.get("value") if isinstance(selected, dict) else None}
    raw = action.get("value")
    if not raw:
        return {}
    try:
        # NaN and Infinity: Python's json reads them, no database's json column takes them.
        value = json.loads(raw, parse_constant=lambda _: None)
    except (TypeError, ValueError):
        return {"value": raw}
    return value if isinstance(value, dict) else {"value": value}


# -- forms as modals ------------------------------------------------------------


def _input_element(f: FormField) -> dict[str, Any]:
    name = clip(f.name, ACTION_ID_MAX)
    initial = f.initial if isinstance(f.initial, str) and f.initial else None
    if f.kind == "select":
        options = [
            {"text": _plain(label, OPTION_TEXT_MAX), "value": clip(str(value), OPTION_VALUE_MAX)}
            for value, label in f.options[:OPTIONS_MAX]
        ]
        element: dict[str, Any] = {"type": "static_select", "action_id": name, "options": options or [
            {"text": _plain("-", OPTION_TEXT_MAX), "value": "-"}]}
        chosen = next((o for o in options if o["value"] == initial), None)
        if chosen is not None:
            element["initial_option"] = chosen
        return element
    if f.kind == "date":
        element = {"type": "datepicker", "action_id": name}
        # Slack refuses the whole view for an initial_date that is not YYYY-MM-DD.
        if initial and _is_iso_date(initial):
            element["initial_date"] = initial
        return element
    # A url field is a plain text input too: Slack's url_text_input refuses the whole view for a
    # pre-filled address it does not like, and answers a bad one in English only; the handler's
    # own check says it in the person's language.
    element = {"type": "plain_text_input", "action_id": name, "max_length": PLAIN_INPUT_MAX}
    if f.kind == "multiline":
        element["multiline"] = True
    if f.kind == "url":
        element["placeholder"] = _plain("https://…", OPTION_VALUE_MAX)
    if initial:
        element["initial_value"] = initial[:PLAIN_INPUT_MAX]
    return element


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def modal(form: Form) -> dict[str, Any]:
    """The view for views.open; the submission comes back as a view_submission (see ``form_values``)."""
    blocks: list[dict[str, Any]] = []
    for f in form.fields:
        block: dict[str, Any] = {
            "type": "input",
            "block_id": clip(f.name, BLOCK_ID_MAX),
            "optional": bool(f.optional),
            "label": _plain(f.label, INPUT_LABEL_MAX),
            "element": _input_element(f),
        }
        if f.hint:
            block["hint"] = _plain(f.hint, INPUT_HINT_MAX)
        blocks.append(block)
    metadata = json.dumps({"a": form.action_id, "v": form.value}, ensure_ascii=False, separators=(",", ":"))
    if len(metadata) > PRIVATE_METADATA_MAX:
        log.error("form value too long for Slack", extra={"action_id": form.action_id, "length": len(metadata)})
        metadata = json.dumps({"a": form.action_id, "v": {k: v for k, v in form.value.items() if k == "_lang"}})
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain(form.title, MODAL_TITLE_MAX),
        "submit": _plain(form.submit_label, MODAL_TITLE_MAX),
        "private_metadata": metadata,
        "blocks": blocks[:MODAL_BLOCKS_MAX],
    }


def _state_value(state: Any) -> Any:
    if not isinstance(state, dict):
        return None
    kind = state.get("type")
    if kind in ("static_select", "external_select", "radio_buttons") or "selected_option" in state:
        selected = state.get("selected_option")
        return selected.get("value") if isinstance(selected, dict) else None
    if kind == "datepicker" or "selected_date" in state:
        return state.get("selected_date")
    return state.get("value")


def form_values(view: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A submitted modal of ours as (the form's action id, {field name: value, plus the form's value});
    None when the view is none of ours or its metadata is unreadable."""
    try:
        meta = json.loads(str(view.get("private_metadata") or ""), parse_constant=lambda _: None)
    except ValueError:
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("a"), str) or not meta["a"]:
        return None
    values: dict[str, Any] = dict(meta["v"]) if isinstance(meta.get("v"), dict) else {}
    state = view.get("state")
    blocks = state.get("values") if isinstance(state, dict) else None
    if isinstance(blocks, dict):
        for elements in blocks.values():
            if not isinstance(elements, dict):
                continue
            for name, element in elements.items():
                value = _state_value(element)
                values[str(name)] = value if isinstance(value, str) else None
    return meta["a"], values
