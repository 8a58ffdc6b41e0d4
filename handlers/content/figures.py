"""What content contributes to the metrics: the depth of its outbox (``ambassador_outbox_depth``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.capability import OutboxGauge
from handlers.content.models import ContentDelivery

_DELIVERIES = ContentDelivery.__table__
OUTBOX_STATUSES = ("pending", "sending", "uncertain", "failed")


def delivery_depth(now: datetime) -> Any:
    return (select(_DELIVERIES.c.status, func.count())
            .where(_DELIVERIES.c.status.in_(OUTBOX_STATUSES))
            .group_by(_DELIVERIES.c.status))


OUTBOX = OutboxGauge("content_delivery", delivery_depth, statuses=OUTBOX_STATUSES)
