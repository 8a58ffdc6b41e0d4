"""Feeds (handlers/feeds.py): what the bot knows about each configured feed or page between runs.

One row per configured address: the validators for conditional requests (ETag,
Last-Modified), when it was last fetched, why it failed (a reason code and a
short detail, never the response body), and the entries skipped in the last run
with their reasons, for ``content status``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models import ts


class FeedState(SQLModel, table=True):
    __tablename__ = "feed_state"

    url: str = Field(primary_key=True, max_length=2000)
    name: str = Field(max_length=300)
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    fetched_at: datetime | None = ts()  # the last try, whatever came of it
    ok_at: datetime | None = ts()  # the last try that worked (a 304 included)
    error: str | None = Field(default=None, max_length=30)  # a reason code: timeout | too_large | not_feed | ...
    error_detail: str | None = Field(default=None, max_length=300)
    failing_since: datetime | None = ts()
    items_seen: int = 0  # entries that became items, over all runs
    skipped: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))  # the last run's: {link, reason}
