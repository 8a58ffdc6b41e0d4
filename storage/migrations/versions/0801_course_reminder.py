"""course_reminder: the weekly nudge reminded a member of the course (once)

Revision ID: 0801
Revises: 0800
Create Date: 2026-12-07 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0801"
down_revision = "0800"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_reminder",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id"),
    )


def downgrade() -> None:
    op.drop_table("course_reminder")
