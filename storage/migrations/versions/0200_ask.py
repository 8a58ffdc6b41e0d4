"""answer records, answer feedback, knowledge-base gaps, reload alerts

Revision ID: 0200
Revises: 0001
Create Date: 2026-11-25 03:11:10
"""

import sqlalchemy as sa
from alembic import op

revision = "0200"
down_revision = "0001"
branch_labels = ("ask",)
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "ask_question",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("pseudonym", sa.String(length=20), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=True),
        sa.Column("guideline_ids", sa.JSON(), nullable=True),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("composed_by", sa.String(length=10), nullable=False),
        sa.Column("guarded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ask_question_created_at", "ask_question", ["created_at"])
    op.create_index("ix_ask_question_person_id", "ask_question", ["person_id"])
    op.create_index("ix_ask_question_topic_verdict", "ask_question", ["topic", "verdict"])

    op.create_table(
        "ask_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["ask_question.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "person_id", name="uq_ask_feedback_question_person"),
    )
    op.create_index("ix_ask_feedback_created_at", "ask_feedback", ["created_at"])
    op.create_index("ix_ask_feedback_person_id", "ask_feedback", ["person_id"])
    op.create_index("ix_ask_feedback_question_id", "ask_feedback", ["question_id"])

    op.create_table(
        "kb_gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        _ts("created_at", nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("pseudonym", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=10), nullable=True),
        sa.Column("guideline_ids", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        _ts("notified_at"),
        _ts("lead_next_try"),
        sa.Column("lead_attempts", sa.Integer(), nullable=False),
        sa.Column("lead_error", sa.String(length=500), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("answer_rule", sa.String(length=200), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_name", sa.String(length=200), nullable=True),
        _ts("answered_at"),
        _ts("delivered_at"),
        _ts("asker_next_try"),
        sa.Column("asker_attempts", sa.Integer(), nullable=False),
        sa.Column("asker_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["answered_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["ask_question.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id"),
    )
    op.create_index("ix_kb_gap_created_at", "kb_gap", ["created_at"])
    op.create_index("ix_kb_gap_person_id", "kb_gap", ["person_id"])
    op.create_index("ix_kb_gap_status_created", "kb_gap", ["status", "created_at"])
    op.create_index("ix_kb_gap_lead_due", "kb_gap", ["notified_at", "lead_next_try"])
    op.create_index("ix_kb_gap_asker_due", "kb_gap", ["status", "delivered_at", "asker_next_try"])

    op.create_table(
        "kb_reload_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=True),
        _ts("created_at", nullable=False),
        _ts("notified_at"),
        _ts("next_try"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fingerprint"),
    )
    op.create_index("ix_kb_reload_alert_created_at", "kb_reload_alert", ["created_at"])


def downgrade() -> None:
    op.drop_table("kb_reload_alert")
    op.drop_table("kb_gap")
    op.drop_table("ask_feedback")
    op.drop_table("ask_question")
