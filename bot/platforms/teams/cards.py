"""A neutral Reply as a Teams message: an Adaptive Card 1.5, or plain markdown text.

Plain dicts in the Bot Framework's JSON shape, so this module needs no SDK and
the Teams adapter turns them into activities. Handlers write Slack-style
``*bold*``; Teams markdown wants ``**bold**``.
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Button, Choice, Form, FormField, Reply

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

# The key an Action.Submit carries its action id under; everything else in the
# submitted data (button values, input values) becomes Incoming.values.
ACTION_KEY = "action"
MAX_ACTIONS = 6  # what Teams renders of one action set
ROW_ACTIONS = 5  # buttons per row when a card has more than that
# Marks the submit button of a ChoiceSet, naming the input it belongs to, so the
# adapter can hand the picked option to the handler as values["value"].
CHOICE_KEY = "_choice"

# *bold* (Slack) but not **bold** (already markdown) nor a lone asterisk.
_SLACK_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
# <https://example.com|label> and <https://example.com> (Slack links).
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]+))?>")
_SLACK_STRIKE = re.compile(r"(?<![~\w])~(?=\S)([^~\n]+?)(?<=\S)~(?![~\w])")


# Markdown links and images in a text: handlers never write them, so they come from what a person
# typed (a report, a poll, a title) and must not reach someone else as a link whose label hides
# its address, or as an image Teams loads from anywhere.
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?[^)\n]*\)")
# The start of an HTML tag, comment or entity-like markup; Teams renders some HTML in text messages.
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def _shown(label: str, url: str) -> str:
    label = label.strip()
    return url if not label or label == url else f"{label} ({url})" if url else label


def defang(text: str) -> str:
    """Links with the address shown and no images: what a person typed stays readable text."""
    text = _MD_LINK.sub(lambda m: _shown(m[1], m[2]), text)
    return _SLACK_LINK.sub(lambda m: _shown(m[2] or "", m[1]), text)


def to_teams_markdown(text: str) -> str:
    """Slack mrkdwn as Teams markdown (bold, strike-through); links show their address."""
    text = _SLACK_BOLD.sub(r"**\1**", defang(text))
    return _SLACK_STRIKE.sub(r"~~\1~~", text)


def is_plain(reply: Reply) -> bool:
    return not (reply.title or reply.fields or reply.buttons or reply.choices or reply.context or reply.form)


def _paragraphs(text: str, **style: Any) -> list[dict[str, Any]]:
    # One TextBlock per line: a single "\n" inside a TextBlock is not reliably a
    # line break in every Teams client, separate blocks always are.
    blocks = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        blocks.append({"type": "TextBlock", "text": to_teams_markdown(line), "wrap": True, **style})
    if blocks:
        blocks[0]["spacing"] = style.get("spacing", "Medium")
        for b in blocks[1:]:
            b["spacing"] = "Small"
    return blocks


def _button(button: Button) -> dict[str, Any]:
    if button.url:
        return {"type": "Action.OpenUrl", "title": button.label, "url": button.url}
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {**button.value, ACTION_KEY: button.action_id},
    }
    if button.style == "primary":
        action["style"] = "positive"
    elif button.style == "danger":
        action["style"] = "destructive"
    return action


def _choice(choice: Choice) -> list[dict[str, Any]]:
    choice_set: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": choice.action_id,
        "label": choice.label,
        "style": "compact",
        "choices": [{"title": label, "value": value} for value, label in choice.options],
    }
    if choice.value is not None:
        choice_set["value"] = choice.value
    submit = {
        "type": "ActionSet",
        "actions": [
            {
                "type": "Action.Submit",
                "title": "OK",
                "data": {ACTION_KEY: choice.action_id, CHOICE_KEY: choice.action_id},
            }
        ],
    }
    return [choice_set, submit]


def _input(f: FormField) -> list[dict[str, Any]]:
    # A required input left empty is marked by Teams before anything is sent; every other check
    # is the handler's, which answers in the person's language.
    element: dict[str, Any] = {"id": f.name, "label": f.label, "isRequired": not f.optional}
    if f.kind == "select":
        element.update(type="Input.ChoiceSet", style="compact",
                       choices=[{"title": label, "value": value} for value, label in f.options])
    elif f.kind == "date":
        element["type"] = "Input.Date"
    else:
        element["type"] = "Input.Text"
        if f.kind == "multiline":
            element["isMultiline"] = True
        elif f.kind == "url":
            element["style"] = "Url"
        if f.hint:
            element["placeholder"] = f.hint
    if f.initial:
        element["value"] = f.initial
    out = [element]
    if f.hint and element["type"] != "Input.Text":
        out.append({"type": "TextBlock", "text": defang(f.hint), "wrap": True, "size": "Small",
                    "isSubtle": True, "spacing": "None"})
    return out


def _form(form: Form) -> list[dict[str, Any]]:
    """The form's inputs and its submit button; Teams sends the inputs' values with the button's data,
    and the adapter hands them to the handler as Incoming.values (keyed by the field names)."""
    body: list[dict[str, Any]] = []
    for f in form.fields:
        body.extend(_input(f))
    submit = {
        "type": "Action.Submit",
        "title": form.submit_label,
        "style": "positive",
        "data": {**form.value, ACTION_KEY: form.action_id},
    }
    body.append({"type": "ActionSet", "spacing": "Medium", "actions": [submit]})
    return body


def adaptive_card(reply: Reply) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(
            {
                "type": "TextBlock",
                "text": to_teams_markdown(reply.title),
                "weight": "Bolder",
                "size": "Large",
                "wrap": True,
            }
        )
    if reply.text:
        body.extend(_paragraphs(reply.text))
    if reply.fields:
        body.append(
            {
                "type": "FactSet",
                "spacing": "Medium",
                "facts": [{"title": defang(f.label), "value": to_teams_markdown(f.value)} for f in reply.fields],
            }
        )
    for choice in reply.choices:
        body.extend(_choice(choice))
    if reply.form is not None:
        body.extend(_form(reply.form))
    if reply.context:
        body.extend(_paragraphs(reply.context, size="Small", isSubtle=True))
    card: dict[str, Any] = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        # Shown by clients that cannot render the card (and read by screen readers).
        "fallbackText": reply.plain(),
        "msteams": {"width": "Full"},
    }
    if len(reply.buttons) > MAX_ACTIONS:
        # Teams shows at most MAX_ACTIONS actions in one set: a 20-option poll or a nudge with three
        # items (five buttons each) goes in rows of up to ROW_ACTIONS, every button visible.
        for i in range(0, len(reply.buttons), ROW_ACTIONS):
            body.append({"type": "ActionSet", "actions": [_button(b) for b in reply.buttons[i : i + ROW_ACTIONS]]})
    elif reply.buttons:
        card["actions"] = [_button(b) for b in reply.buttons]
    return card


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action of a card, in order: the card's own and those in action rows."""
    rows = [a for element in card.get("body", []) if element.get("type") == "ActionSet"
            for a in element.get("actions", [])]
    return rows + list(card.get("actions", []))


def card_attachment(reply: Reply) -> dict[str, Any]:
    return {"contentType": ADAPTIVE_CARD, "content": adaptive_card(reply)}


def _summary(reply: Reply, limit: int = 200) -> str:
    text = " ".join((reply.title or reply.text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(reply: Reply) -> dict[str, Any]:
    """The Bot Framework message activity (JSON) for one reply."""
    if is_plain(reply):
        # Two newlines: Teams markdown joins single-newline lines into one paragraph.
        text = "\n\n".join(line for line in to_teams_markdown(reply.text).split("\n") if line.strip())
        # A text message (unlike a card) renders HTML: a tag someone typed stays text.
        text = _HTML_START.sub("&lt;", text)
        return {"type": "message", "text": text, "textFormat": "markdown"}
    return {
        "type": "message",
        # The notification and chat-list preview show the summary.
        "summary": _summary(reply),
        "attachments": [card_attachment(reply)],
    }


def merged_card(replies: list[Reply]) -> dict[str, Any]:
    """Several replies in one card, for answers that must be one card (a dialog)."""
    cards = [adaptive_card(r) for r in replies] or [adaptive_card(Reply(text=""))]
    first = cards[0]
    for card in cards[1:]:
        if card["body"]:
            card["body"][0]["separator"] = True
        first["body"].extend(card["body"])
        first.setdefault("actions", []).extend(card.get("actions", []))
    first["fallbackText"] = "\n\n".join(r.plain() for r in replies)
    return first
