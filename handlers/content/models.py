"""The content capability's tables. They live in storage/models_content.py, which alembic's
env imports for the migrations; this module names them for the package."""

from storage.models_content import (
    ContentClicks,
    ContentDelivery,
    ContentItem,
    ContentLink,
    ContentPref,
    ContentRun,
)

__all__ = ["ContentClicks", "ContentDelivery", "ContentItem", "ContentLink", "ContentPref", "ContentRun"]
