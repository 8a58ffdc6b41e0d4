"""polls: indexes the meeting report reads from

Revision ID: 0501
Revises: 0500
Create Date: 2026-12-02 01:00:00

Each one lets a report statement read an index alone instead of looking up every
row it counts (a year of data is a few hundred thousand rows per table):

- programevent (at, kind, pseudonym, person_id): active members and activity per day
  over a period;
- poll_ballot (poll_id, choices): the votes per answer;
- poll_outbox (kind, ref_id, status, person_id): per poll, to whom it was sent.
"""

from alembic import op

revision = "0501"
down_revision = "0500"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_programevent_report", "programevent", ["at", "kind", "pseudonym", "person_id"])
    op.create_index("ix_poll_ballot_choices", "poll_ballot", ["poll_id", "choices"])
    op.create_index("ix_poll_outbox_ref", "poll_outbox", ["kind", "ref_id", "status", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_outbox_ref", table_name="poll_outbox")
    op.drop_index("ix_poll_ballot_choices", table_name="poll_ballot")
    op.drop_index("ix_programevent_report", table_name="programevent")
