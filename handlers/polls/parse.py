"""``poll \"Question?\" \"A\" \"B\" --closes 3d ...``: the command parsed and checked."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import Translator
from bot.router import BACKUP, LEAD
from handlers.polls.config import MIN_OPTIONS, OPTION_MAX, QUESTION_MAX, polls_config
from handlers.polls.figures import MAX_OPTIONS
from handlers.polls.times import _fmt

_FLAGS = {
    "multi": "multi", "multiple": "multi", "mehrfach": "multi",
    "anonymous": "anonymous", "anon": "anonymous", "anonym": "anonymous",
    "named": "named", "namentlich": "named",
    "audience": "audience", "zielgruppe": "audience", "for": "audience", "für": "audience",
    "closes": "closes", "close": "closes", "until": "closes", "schluss": "closes", "ende": "closes", "bis": "closes",
    "remind": "remind", "reminder": "remind", "erinnerung": "remind", "erinnern": "remind",
    "every": "every", "repeat": "every", "alle": "every", "wiederholen": "every",
}


_VALUE_FLAGS = {"audience", "closes", "remind", "every"}


_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "‚": "‘", "'": "'"}


_DASHES = re.compile(r"(?:(?<=\s)|^)(?:—|–|−)(?=[^\W\d_])")


_DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(m|min|h|std|d|t|tage?|days?|w|wo|weeks?|wochen?)$", re.IGNORECASE)


class PollInputError(Exception):
    """Bad poll input: a text key and its values, said to the person in their language."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def say(self, t: Translator) -> str:
        return t(self.key, **self.values)


@dataclass
class PollSpec:
    question: str
    options: list[str]
    multi: bool = False
    anonymous: bool = False
    audience_kind: str = "members"
    audience_value: str = ""
    closes: str | None = None
    remind: str | None = None
    every: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_command(text: str) -> PollSpec:
    """``"Question?" A | B --flag value ...`` into a PollSpec (not yet validated)."""
    text = _DASHES.sub("--", text.strip())
    m = re.search(r"(?:^|\s)--(?=[^\W\d_])", text)
    head, tail = (text[: m.start()], text[m.start():]) if m else (text, "")
    question, rest = _split_question(head.strip())
    options = [o.strip() for o in re.split(r"[|\n]", rest)]
    spec = PollSpec(question=question, options=[o for o in options if o])
    try:
        tokens = shlex.split(tail)
    except ValueError:
        tokens = tail.split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--"):
            i += 1
            continue
        name, _, inline = tok[2:].partition("=")
        flag = _FLAGS.get(name.lower())
        if flag is None:
            raise PollInputError("poll.err_flag", flag="--" + name, known="")
        if flag in _VALUE_FLAGS:
            values = [inline] if inline else []
            j = i + 1
            while not inline and j < len(tokens) and not tokens[j].startswith("--"):
                values.append(tokens[j])
                j += 1
            value = " ".join(values).strip()
            if not value:
                raise PollInputError("poll.err_value", flag="--" + name)
            if flag == "audience":
                spec.extra["audience"] = value
            else:
                setattr(spec, flag, value)
            i = j if not inline else i + 1
            continue
        if flag == "multi":
            spec.multi = True
        elif flag == "anonymous":
            spec.anonymous = True
        elif flag == "named":
            spec.anonymous = False
        i += 1
    return spec


def _split_question(head: str) -> tuple[str, str]:
    if head[:1] in _QUOTES:
        close = _QUOTES[head[0]]
        end = head.find(close, 1)
        if end == -1 and close != '"':
            end = head.find('"', 1)
        if end > 0:
            return head[1:end].strip(), head[end + 1:]
    if "?" in head:
        q, _, rest = head.partition("?")
        return q.strip() + "?", rest
    if "\n" in head:
        q, _, rest = head.partition("\n")
        return q.strip(), rest
    q, _, rest = head.partition("|")
    # Without quotes or a question mark the first part is the question only when options follow it.
    return (q.strip(), rest) if rest else (head.strip(), "")


def parse_when(value: str, now: datetime, tz: ZoneInfo) -> datetime:
    """An absolute local time (2026-12-01T17:00, 2026-12-01 17:00, 2026-12-01 = end of that day) or a duration (3d, 48h)."""
    v = value.strip()
    d = parse_duration(v)
    if d is not None:
        return now + d
    v = v.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", v) else v
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            local = datetime.combine(date.fromisoformat(v), time(23, 59), tzinfo=tz)
        elif re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}(?:T\d{1,2}:\d{2})?", v):
            day, _, clock = v.partition("T")
            dd, mm, yyyy = (int(x) for x in day.split("."))
            hh, mi = (int(x) for x in clock.split(":")) if clock else (23, 59)
            local = datetime(yyyy, mm, dd, hh, mi, tzinfo=tz)
        else:
            local = datetime.fromisoformat(v)
            local = local.replace(tzinfo=tz) if local.tzinfo is None else local
    except ValueError:
        raise PollInputError("poll.err_when", value=value[:60]) from None
    return local.astimezone(UTC)


def parse_duration(value: str) -> timedelta | None:
    m = _DURATION.match(value.strip())
    if not m:
        return None
    n = float(m.group(1).replace(",", "."))
    unit = m.group(2).lower()
    if unit in ("m", "min"):
        return timedelta(minutes=n)
    if unit in ("h", "std"):
        return timedelta(hours=n)
    if unit.startswith("w"):
        return timedelta(weeks=n)
    return timedelta(days=n)


@dataclass
class ValidPoll:
    question: str
    options: list[str]
    multi: bool
    anonymous: bool
    audience_kind: str
    audience_value: str
    closes_at: datetime
    remind_at: datetime | None
    every_days: int | None


def validate(spec: PollSpec, *, settings: Settings, now: datetime, tz: ZoneInfo, roles: frozenset[str],
             departments: tuple[str, ...], channel: str | None) -> ValidPoll:
    """Check a poll before anything is stored; raises PollInputError with the first problem."""
    cfg = polls_config(settings)
    question = " ".join(spec.question.split())
    if not question:
        raise PollInputError("poll.err_question")
    if len(question) > QUESTION_MAX:
        raise PollInputError("poll.err_question_long", max=QUESTION_MAX)
    options = [" ".join(o.split()) for o in spec.options]
    if len(options) < MIN_OPTIONS:
        raise PollInputError("poll.err_few", min=MIN_OPTIONS, n=len(options))
    if len(options) > MAX_OPTIONS:
        raise PollInputError("poll.err_many", max=MAX_OPTIONS, n=len(options))
    seen: set[str] = set()
    for o in options:
        if len(o) > OPTION_MAX:
            raise PollInputError("poll.err_option_long", option=o[:40] + "…", max=OPTION_MAX)
        if o.casefold() in seen:
            raise PollInputError("poll.err_duplicate", option=o)
        seen.add(o.casefold())

    if spec.anonymous and not settings.key.available:
        raise PollInputError("poll.err_no_key")
    kind, value = resolve_audience(spec.extra.get("audience"), settings, channel)
    privileged = LEAD in roles or BACKUP in roles
    if not privileged and kind != "channel" and not (kind == "department" and value in departments):
        raise PollInputError("poll.err_audience_role", departments=", ".join(departments) or "-")

    closes_at = (parse_when(spec.closes, now, tz) if spec.closes else now + timedelta(days=cfg.default_days))
    if closes_at <= now:
        raise PollInputError("poll.err_past", when=_fmt(closes_at, tz, "en"))
    if closes_at - now > timedelta(days=cfg.max_days):
        raise PollInputError("poll.err_far", days=cfg.max_days)
    remind_at = None
    if spec.remind:
        before = parse_duration(spec.remind)
        remind_at = closes_at - before if before is not None else parse_when(spec.remind, now, tz)
        if not now < remind_at < closes_at:
            raise PollInputError("poll.err_remind", when=_fmt(remind_at, tz, "en"))
    every_days = None
    if spec.every:
        d = parse_duration(spec.every)
        if d is None or d < timedelta(days=1):
            raise PollInputError("poll.err_every", value=spec.every[:30])
        every_days = max(1, round(d / timedelta(days=1)))
        if closes_at - now > timedelta(days=every_days):
            raise PollInputError("poll.err_every_short", days=every_days)
    return ValidPoll(question, options, spec.multi, spec.anonymous, kind, value, closes_at, remind_at, every_days)


def resolve_audience(raw: str | None, settings: Settings, channel: str | None) -> tuple[str, str]:
    if not raw:
        return "members", ""
    v = raw.strip()
    low = v.lower()
    if low in ("members", "all", "everyone", "mitglieder", "alle"):
        return "members", ""
    if low in ("core", "core group", "kerngruppe"):
        return "core", ""
    if low in ("here", "channel", "this channel", "hier", "kanal"):
        if not channel:
            raise PollInputError("poll.err_here")
        return "channel", channel
    if low.startswith(("channel:", "kanal:")):
        return "channel", v.split(":", 1)[1].strip().lstrip("#")
    known = settings.app.departments
    match = next((d for d in known if d.lower() == low), None)
    if match is None:
        raise PollInputError("poll.err_audience", value=v[:60], departments=", ".join(known) or "-")
    return "department", match
