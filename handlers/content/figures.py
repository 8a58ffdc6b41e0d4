"""What content contributes to the metrics: the depth of its outbox (``ambassador_outbox_depth``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from handlers.content.models import (
    ContentDelivery,
)

_DELIVERIES = ContentDelivery.__table__
_OUTBOX_STATUSES = ("pending", "sending", "uncertain", "failed")


def _delivery_depth(now: datetime) -> Any:
    return (select(_DELIVERIES.c.status, func.count())
            .where(_DELIVERIES.c.status.in_(_OUTBOX_STATUSES))
            .group_by(_DELIVERIES.c.status))
