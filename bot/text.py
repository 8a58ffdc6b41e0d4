"""Small text helpers every part of the bot uses (``knowledge/`` keeps its own: it imports nothing of ours)."""

from __future__ import annotations

from datetime import date


def clip(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` characters, an ellipsis marking the cut; line breaks are kept."""
    return text if len(text) <= n else text[: n - 1] + "…"


def one_line(text: object, n: int) -> str:
    """``text`` (anything, as its ``str``) on one line, its runs of white space folded, cut to ``n`` characters."""
    return clip(" ".join(str(text).split()), n)


def reader_date(value: date | None, lang: str, *, time: bool = False) -> str:
    """A date (with ``time``, also its hour and minute) as the reader writes it: 31.12.2026 in German,
    2026-12-31 otherwise; "-" for none. Time zones are the caller's: it formats what it is given."""
    if value is None:
        return "-"
    day = "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"
    return value.strftime(day + " %H:%M" if time else day)
