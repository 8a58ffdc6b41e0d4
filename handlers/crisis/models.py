"""The crisis capability's tables. They live in storage/models_crisis.py, where alembic's env finds them."""

from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport, Hold

__all__ = ["CrisisAttempt", "CrisisEvent", "CrisisReport", "Hold"]
