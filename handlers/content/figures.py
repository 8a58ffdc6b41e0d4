"""What content contributes to the figures: the depth of its outbox on /metrics (``ambassador_outbox_depth``),
and the tables the meeting report reads (items, their messages, the share links)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.capability import OutboxGauge, ReportSource
from handlers.content.models import ContentDelivery

_DELIVERIES = ContentDelivery.__table__
OUTBOX_STATUSES = ("pending", "sending", "uncertain", "failed")


def delivery_depth(now: datetime) -> Any:
    return (select(_DELIVERIES.c.status, func.count())
            .where(_DELIVERIES.c.status.in_(OUTBOX_STATUSES))
            .group_by(_DELIVERIES.c.status))


OUTBOX = OutboxGauge("content_delivery", delivery_depth, statuses=OUTBOX_STATUSES)


# An item given to a person is a content_link; its message is a content_delivery; "I shared it"
# sets shared_at; the redirect counts clicks (the report's items sent, shares, clicks and items table).
REPORT_SOURCES = (
    ReportSource("content_items", "content_item", {"id": "id", "title": "title"}),
    ReportSource("content_deliveries", "content_delivery", {"id": "id", "status": "status", "sent_at": "sent_at"}),
    ReportSource("content_links", "content_link", {
        "item_id": "item_id", "person_id": "person_id", "pseudonym": "pseudonym", "delivery_id": "delivery_id",
        "shared_at": "shared_at", "clicks": "clicks", "first_click_at": "first_click_at",
    }),
)
