"""polls, ballots, feedback, meetings, their outbox; an index for counting program events

Revision ID: 0500
Revises: 0001
Create Date: 2026-11-25 03:04:15
"""
import sqlalchemy as sa
from alembic import op

revision = "0500"
down_revision = "0001"
branch_labels = ("polls",)
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "poll_secret",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )

    op.create_table(
        "poll_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.JSON(), nullable=True),
        sa.Column("every_days", sa.Integer(), nullable=False),
        _ts("next_at", nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("creator_pseudonym", sa.String(), nullable=True),
        _ts("created_at", nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_series_due", "poll_series", ["active", "next_at"])

    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("multi", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("audience_kind", sa.String(length=20), nullable=False),
        sa.Column("audience_value", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("creator_pseudonym", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        _ts("created_at", nullable=False),
        _ts("closes_at", nullable=False),
        _ts("closed_at"),
        _ts("remind_at"),
        _ts("reminded_at"),
        sa.ForeignKeyConstraint(["creator_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["series_id"], ["poll_series.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_closes_at", "poll", ["closes_at"])
    op.create_index("ix_poll_created_at", "poll", ["created_at"])
    op.create_index("ix_poll_creator_id", "poll", ["creator_id"])
    op.create_index("ix_poll_series_id", "poll", ["series_id"])
    op.create_index("ix_poll_due_close", "poll", ["status", "closes_at"])
    op.create_index("ix_poll_due_remind", "poll", ["status", "remind_at"])

    # No person column and no time: see storage/models_polls.py.
    op.create_table(
        "poll_ballot",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=64), nullable=False),
        sa.Column("choices", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "voter_key"),
    )

    op.create_table(
        "poll_voter",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=64), nullable=False),
        _ts("voted_at", nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "person_id"),
    )
    op.create_index("ix_poll_voter_voted_at", "poll_voter", ["voted_at"])

    op.create_table(
        "poll_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=200), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("claim_until"),
        _ts("sent_at"),
        sa.Column("error", sa.String(length=500), nullable=True),
        _ts("created_at", nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref_id", "person_id", name="uq_poll_outbox_target"),
    )
    op.create_index("ix_poll_outbox_due", "poll_outbox", ["status", "id"])
    op.create_index("ix_poll_outbox_person_id", "poll_outbox", ["person_id"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("context", sa.String(length=200), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=False),
        _ts("created_at", nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_index("ix_feedback_department_created", "feedback", ["department", "created_at"])
    op.create_index("ix_feedback_person_id", "feedback", ["person_id"])

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("scheduled_at", nullable=False),
        _ts("period_from", nullable=False),
        _ts("period_to", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        _ts("claim_until"),
        sa.Column("report_dir", sa.String(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("summary_by", sa.String(), nullable=True),
        _ts("summary_at"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scheduled_at"),
    )

    # The meeting report counts program events by kind over a period.
    op.create_index("ix_programevent_kind_at", "programevent", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_programevent_kind_at", table_name="programevent")
    op.drop_table("meeting")
    op.drop_table("feedback")
    op.drop_table("poll_outbox")
    op.drop_table("poll_voter")
    op.drop_table("poll_ballot")
    op.drop_table("poll")
    op.drop_table("poll_series")
    op.drop_table("poll_secret")
