"""Storage: SQLModel models, the database engine and migrations.

The core's tables are in ``storage/models.py``; each capability keeps its own
in ``storage/models_<capability>.py`` with a migration of its own.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_models() -> None:
    """Import every models module, so that all tables are known to SQLModel.metadata."""
    for info in pkgutil.iter_modules(__path__):
        if info.name == "models" or info.name.startswith("models_"):
            importlib.import_module(f"{__name__}.{info.name}")
