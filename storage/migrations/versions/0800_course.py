"""course: who started the course for new ambassadors, their answers, when they finished

Revision ID: 0800
Revises: 0001
Create Date: 2026-12-07 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0800"
down_revision = "0001"
branch_labels = ("course",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_progress",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_table(
        "course_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("guideline_id", sa.String(length=200), nullable=False),
        sa.Column("right", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "guideline_id", name="uq_course_answer_person_step"),
    )
    op.create_index("ix_course_answer_person_id", "course_answer", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_course_answer_person_id", table_name="course_answer")
    op.drop_table("course_answer")
    op.drop_table("course_progress")
