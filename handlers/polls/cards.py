"""A poll and its results as neutral replies (buttons or a pick-one list), in the reader's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.messages import Button, Choice, Reply
from bot.messages import Field as ReplyField
from handlers.polls.ballots import Tally
from handlers.polls.config import BUTTONS_MAX
from handlers.polls.parse import ValidPoll
from handlers.polls.times import _fmt
from storage.models import aware
from storage.models_polls import Poll


def audience_name(poll: Poll | ValidPoll, t: Translator) -> str:
    if poll.audience_kind == "department":
        return t("poll.audience_department", department=poll.audience_value)
    return t(f"poll.audience_{poll.audience_kind}")


def results_visible(poll: Poll, voters: int, now: datetime, min_votes: int) -> str | None:
    """None when the results may be shown, else why not: 'open' or 'too_few'."""
    if not poll.anonymous:
        return None
    if poll.status != "closed" and aware(poll.closes_at) > now:
        return "open"
    if voters < min_votes:
        return "too_few"
    return None


def poll_message(poll: Poll, t: Translator, tz: ZoneInfo, *, now: datetime, tl: Tally | None = None,
                 mine: int | None = None, note: str | None = None, min_votes: int = 5) -> Reply:
    """The poll as people see it: question, how to vote, the buttons; counts and names for a named poll."""
    closed = poll.status == "closed" or aware(poll.closes_at) <= now
    lines = [note] if note else []
    lines.append(t("poll.kind_multi") if poll.multi else t("poll.kind_single"))
    lines.append(t("poll.kind_anonymous") if poll.anonymous else t("poll.kind_named"))
    if mine is not None:
        chosen = [o for i, o in enumerate(poll.options) if mine & (1 << i)]
        lines.append(t("poll.your_choice", choice=", ".join(chosen)) if chosen else t("poll.no_choice"))
    fields: list[ReplyField] = []
    show = tl is not None and results_visible(poll, tl.voters, now, min_votes) is None
    if show and tl is not None:
        for i, option in enumerate(poll.options):
            names = tl.names.get(i, [])
            value = str(tl.counts[i] if i < len(tl.counts) else 0)
            if names:
                more = (tl.counts[i] - len(names)) if i < len(tl.counts) else 0
                value += " · " + ", ".join(names) + (" " + t("poll.more", n=more) if more > 0 else "")
            fields.append(ReplyField(option, value))
        lines.append(t("poll.voters", n=tl.voters))
    buttons: list[Button] = []
    choices: list[Choice] = []
    if not closed:
        if len(poll.options) <= BUTTONS_MAX:
            for i, option in enumerate(poll.options):
                label = option
                buttons.append(Button(label=label, action_id="poll.vote", value={"poll": poll.id, "o": i, "_lang": t.lang},
                                      style="primary" if mine is not None and mine & (1 << i) else None))
        else:
            choices.append(Choice(label=t("poll.pick"), action_id="poll.pick",
                                  options=[(f"{poll.id}:{i}", o) for i, o in enumerate(poll.options)]))
    context = (t("poll.closed_on", id=poll.id, when=_fmt(aware(poll.closed_at or poll.closes_at), tz, t.lang))
               if closed else t("poll.closes", id=poll.id, when=_fmt(aware(poll.closes_at), tz, t.lang)))
    return Reply(text="\n".join(lines), title=poll.question, fields=fields, buttons=buttons, choices=choices,
                 context=context)


def results_reply(poll: Poll, t: Translator, tz: ZoneInfo, tl: Tally, *, now: datetime, min_votes: int) -> Reply:
    why = results_visible(poll, tl.voters, now, min_votes)
    if why == "open":
        return Reply(title=t("poll.results_title", id=poll.id),
                     text=poll.question + "\n" + t("poll.hidden_open", when=_fmt(aware(poll.closes_at), tz, t.lang)))
    if why == "too_few":
        return Reply(title=t("poll.results_title", id=poll.id),
                     text=poll.question + "\n" + t("poll.hidden_few", n=tl.voters, min=min_votes))
    if not tl.voters:
        return Reply(title=t("poll.results_title", id=poll.id), text=poll.question + "\n" + t("poll.results_none"))
    msg = poll_message(poll, t, tz, now=now, tl=tl, min_votes=min_votes)
    msg.buttons, msg.choices = [], []
    return msg


def _chosen(poll: Poll, mine: int) -> str:
    return ", ".join(o for i, o in enumerate(poll.options) if mine & (1 << i))
