"""department proposals: a person's own word on their department waits for confirmation

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-09 10:00:00

- person.department_proposed: the department a person named themself ("department NAME").
  ``person.department`` stays the confirmed department that opens department-only polls
  and results; only app.yaml, the comms lead or that department's communicator set it.
  Existing rows keep their department (set before confirmation existed); the comms lead
  reviews them with "department list" and corrects with "department confirm".
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("department_proposed", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("department_proposed")
