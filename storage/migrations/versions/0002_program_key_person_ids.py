"""program key fingerprint; person ids never reused on SQLite

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 18:00:00

- key_check: a fingerprint of the program key (never the key), so replicas started with
  different keys are stopped instead of splitting anonymous ballots and file links.
- person: AUTOINCREMENT on SQLite, so the id of a forgotten person is never given to a new
  one (PostgreSQL's sequence never reuses ids). The table is rebuilt (the migration
  connection runs without foreign-key enforcement, so nothing cascades).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_check",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        top = bind.execute(sa.text("SELECT max(id) FROM person")).scalar()
        with op.batch_alter_table("person", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
        if top:
            # Ids handed out before may have been reused already; at least none at or below today's top again.
            bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'person'"))
            bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('person', :top)"), {"top": top})


def downgrade() -> None:
    op.drop_table("key_check")
