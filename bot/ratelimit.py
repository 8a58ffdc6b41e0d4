"""A per-person rate limit: a flood from one person is not worked off, the others are not slowed down.

The core asks ``RateLimiter.check`` before a handler runs. Within a sliding
window (a minute) a person may send ``limits.per_user_per_minute`` messages;
the first one over the limit gets one friendly message (``ratelimit.slow_down``),
every further one in the same minute is dropped without an answer. Messages
already accepted are stored (the platform got its acknowledgement), only the
handler does not run for them.

What is never limited, and why:

- **crisis reports and the crisis buttons** (routes named ``crisis`` or
  ``crisis.*``): losing a crisis report is worse than reading a flood of them,
  and a report names its reporter, so abuse is visible in the trail;
- **button presses** (source ``action``): they come only from the platforms'
  own clients, on messages the bot sent, and cannot be scripted through the
  Slack or Teams APIs; the lead approving a week's queue must not be slowed.
  A double click is dropped before it reaches the limiter (the event id), so it
  counts once or not at all;
- the App Home view (a view refresh, not a message) and the terminal chat.

The counts live in the replica's memory, not in the database: nothing is
written per message. With several replicas behind round-robin, a person can
send up to ``replicas x limit`` messages a minute before every replica limits
them: a flood is still cut to a bounded, predictable rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from prometheus_client import CollectorRegistry, Counter

Decision = Literal["ok", "warn", "drop"]

WINDOW = timedelta(minutes=1)
# Route names (and their "name.*" actions) that are never limited.
NEVER_LIMITED = ("crisis",)
# Sources that are not counted: see the module docstring.
UNCOUNTED_SOURCES = frozenset({"action", "home", "system"})
UNCOUNTED_PLATFORMS = frozenset({"shell"})
# Above this many people tracked at once, people with nothing in the window are forgotten.
MAX_TRACKED = 50_000


def never_limited(route_name: str | None, exempt: Iterable[str] = NEVER_LIMITED) -> bool:
    if not route_name:
        return False
    return any(route_name == name or route_name.startswith(name + ".") for name in exempt)


class RateLimiter:
    """Sliding-window counts per person (``platform:user id``) in this process."""

    def __init__(self, per_window: int, window: timedelta = WINDOW, *,
                 registry: CollectorRegistry | None = None, max_tracked: int = MAX_TRACKED) -> None:
        self.per_window = per_window  # 0: no limit
        self.window = window
        self.max_tracked = max_tracked
        self._seen: dict[str, list[datetime]] = {}
        self._warned: dict[str, datetime] = {}
        self.limited = Counter(
            "ambassador_rate_limited",
            "Messages over the per-person rate limit (limits.per_user_per_minute) in this replica: "
            "warned (the one friendly message) or dropped (not answered)",
            ["platform", "outcome"], registry=registry,
        ) if registry is not None else None

    @property
    def enabled(self) -> bool:
        return self.per_window > 0

    def check(self, key: str, now: datetime) -> Decision:
        """Count one message of ``key`` at ``now``: ok (handle it), warn (tell them once) or drop."""
        if not self.enabled:
            return "ok"
        start = now - self.window
        # A clock moved back (tests, a corrected host clock) must not keep stale times in the window.
        recent = [at for at in self._seen.get(key, ()) if start < at <= now]
        warned = self._warned.get(key)
        if warned is not None and not start < warned <= now:
            del self._warned[key]
            warned = None
        if len(recent) < self.per_window:
            recent.append(now)
            self._remember(key, recent, now)
            return "ok"
        self._seen[key] = recent
        if warned is not None:
            return "drop"  # told once in this window already: a steady flood gets one message a minute
        self._warned[key] = now
        return "warn"

    def record(self, platform: str, decision: Decision) -> None:
        if self.limited is not None and decision != "ok":
            self.limited.labels(platform, "warned" if decision == "warn" else "dropped").inc()

    def _remember(self, key: str, recent: list[datetime], now: datetime) -> None:
        self._seen[key] = recent
        if len(self._seen) > self.max_tracked:
            start = now - self.window
            self._seen = {k: v for k, v in self._seen.items() if v and start < v[-1] <= now}
            self._warned = {k: v for k, v in self._warned.items() if k in self._seen}


TEXTS = {
    "ratelimit.slow_down": {
        "en": "You are sending me a lot of messages at once, so I am leaving some unanswered for a moment. "
              "Please wait a minute, then send your question again. A crisis report always gets through: "
              "start it with *crisis*.",
        "de": {"du": "Du schickst mir gerade sehr viele Nachrichten auf einmal, deshalb lasse ich einige kurz "
                     "unbeantwortet. Warte bitte eine Minute und schick deine Frage dann noch einmal. Eine "
                     "Krisenmeldung kommt immer durch: Beginne sie mit *krise*.",
               "sie": "Sie senden mir gerade sehr viele Nachrichten auf einmal, deshalb lasse ich einige kurz "
                      "unbeantwortet. Bitte warten Sie eine Minute und senden Sie Ihre Frage dann noch einmal. "
                      "Eine Krisenmeldung kommt immer durch: Beginnen Sie sie mit *krise*."},
    },
}
