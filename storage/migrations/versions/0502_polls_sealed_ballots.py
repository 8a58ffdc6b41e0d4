"""polls: sealed anonymous ballots, totals kept at closing; the key leaves the database

Revision ID: 0502
Revises: 0501
Create Date: 2026-12-07 18:00:00

- poll.sealed: the ballots of an anonymous poll made from now on are sealed with the
  program key (see handlers/polls.py); polls made before keep counting as they did.
- poll.tally: an anonymous poll's totals, written when it closes; its ballots are then deleted.
- poll_secret is dropped: the key of the ballot hashes is never in the database again
  (AMBASSADOR_SECRET or the key file, bot/keys.py). A vote changed after the upgrade in an
  anonymous poll that was open before it counts as a new ballot: close such polls first.
"""

import sqlalchemy as sa
from alembic import op

revision = "0502"
down_revision = "0501"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("poll") as batch:
        batch.add_column(sa.Column("sealed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("tally", sa.JSON(), nullable=True))
    op.drop_table("poll_secret")


def downgrade() -> None:
    op.create_table(
        "poll_secret",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("poll") as batch:
        batch.drop_column("tally")
        batch.drop_column("sealed")
