"""How the detectors' patterns are written: alternatives compiled as one, names from app.yaml as one."""

from __future__ import annotations

import re
from collections.abc import Iterable

FLAGS = re.IGNORECASE | re.UNICODE


def any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), FLAGS)


def names_rx(names: Iterable[str]) -> re.Pattern[str] | None:
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)", FLAGS
    )

