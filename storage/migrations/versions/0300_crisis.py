"""crisis reports, escalation attempts, audit trail, posting holds

Revision ID: 0300
Revises: 0001
Create Date: 2026-11-25 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0300"
down_revision = "0001"
branch_labels = ("crisis",)
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "crisis_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=True),
        sa.Column("source_key", sa.String(length=300), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reporter_pseudonym", sa.String(), nullable=False),
        sa.Column("reporter_lang", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=True),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("permalink", sa.String(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=True),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("proposed_severity", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("policy", sa.String(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        _ts("next_at"),
        _ts("claim_until"),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_pseudonym", sa.String(), nullable=True),
        _ts("acked_at"),
        _ts("resolved_at"),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        _ts("created_at", nullable=False),
        sa.ForeignKeyConstraint(["reporter_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_crisis_report_reporter_id", "crisis_report", ["reporter_id"])
    op.create_index("ix_crisis_report_due", "crisis_report", ["status", "next_at"])

    op.create_table(
        "crisis_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_pseudonym", sa.String(), nullable=True),
        _ts("created_at", nullable=False),
        _ts("lifted_at"),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("notice", sa.String(length=10), nullable=False),
        sa.Column("notice_cursor", sa.Integer(), nullable=False),
        sa.Column("notified", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        _ts("claim_until"),
        sa.ForeignKeyConstraint(["report_id"], ["crisis_report.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_crisis_hold_lifted_at", "crisis_hold", ["lifted_at"])

    op.create_table(
        "crisis_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        _ts("started_at", nullable=False),
        _ts("finished_at"),
        sa.ForeignKeyConstraint(["report_id"], ["crisis_report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "step", "via", "target", name="uq_crisis_attempt"),
    )
    op.create_index("ix_crisis_attempt_report_id", "crisis_attempt", ["report_id"])

    op.create_table(
        "crisis_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("hold_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        _ts("at", nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_pseudonym", sa.String(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["crisis_report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hold_id"], ["crisis_hold.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_crisis_event_report_id", "crisis_event", ["report_id"])
    op.create_index("ix_crisis_event_hold_id", "crisis_event", ["hold_id"])
    op.create_index("ix_crisis_event_actor_id", "crisis_event", ["actor_id"])


def downgrade() -> None:
    op.drop_table("crisis_event")
    op.drop_table("crisis_attempt")
    op.drop_table("crisis_hold")
    op.drop_table("crisis_report")
