"""Shared fixtures: settings on a throwaway SQLite database (or PostgreSQL), the core."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from bot.app import build_core
from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = ROOT / "app.yaml"

LEAD_EMAIL = "lea.lead@example.com"
COMMUNICATOR_EMAIL = "clara.sales@example.com"
EMPLOYEE_EMAIL = "erik.employee@example.com"
# A fake program key (bot/keys.py): tests never read or make the key file beside the sample app.yaml.
TEST_SECRET = "test-program-key-not-for-production-0123456789"


def make_settings(tmp_path: Path, database_url: str | None = None, **env: str):
    """Settings from the sample app.yaml on a fresh database; env adds platform secrets."""
    base = {"DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'test.db'}", "AMBASSADOR_SECRET": TEST_SECRET,
            "AMBASSADOR_KEY_FILE": str(tmp_path / "ambassador.key")}
    base.update(env)
    return load_settings(SAMPLE_CONFIG, env=base, read_dotenv=False)


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
async def core(settings):
    core = build_core(settings)
    await core.db.upgrade()
    yield core
    await core.db.dispose()


# -- PostgreSQL: used where a server is reachable (CI here), skipped elsewhere --

PG_ADMIN_URL = os.environ.get("AMBASSADOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return _pg_reachable()


@pytest.fixture
def pg_url(pg_available):
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not pg_available:
        if os.environ.get("AMBASSADOR_REQUIRE_PG"):
            pytest.fail(f"AMBASSADOR_REQUIRE_PG is set but no PostgreSQL is reachable at {PG_ADMIN_URL}")
        pytest.skip(f"no PostgreSQL reachable at {PG_ADMIN_URL} (set AMBASSADOR_TEST_PG to point at one)")
    import psycopg

    name = f"ambassador_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
async def any_core(request, tmp_path):
    """The core on SQLite and, where reachable, on PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
    else:
        url = None
    core = build_core(make_settings(tmp_path, url))
    await core.db.upgrade()
    yield core
    await core.db.dispose()
