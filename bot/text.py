"""Small text helpers every part of the bot uses (``knowledge/`` keeps its own: it imports nothing of ours)."""

from __future__ import annotations


def clip(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` characters, an ellipsis marking the cut; line breaks are kept."""
    return text if len(text) <= n else text[: n - 1] + "…"


def one_line(text: object, n: int) -> str:
    """``text`` (anything, as its ``str``) on one line, its runs of white space folded, cut to ``n`` characters."""
    return clip(" ".join(str(text).split()), n)
