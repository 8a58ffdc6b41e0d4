"""content queue, runs, outbox, share links, preferences

Revision ID: 0400
Revises: 0001
Create Date: 2026-11-25 03:04:51.987018
"""

import sqlalchemy as sa
from alembic import op

revision = "0400"
down_revision = "0001"
branch_labels = ("content",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=60), nullable=False),
        sa.Column("wave", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_claim_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_tries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cycle", "wave", name="uq_content_run_cycle_wave"),
    )
    with op.batch_alter_table("content_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_run_status"), ["status"], unique=False)

    op.create_table(
        "content_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("pseudonym", sa.String(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["content_run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cycle", "person_id", name="uq_content_delivery_cycle_person"),
    )
    with op.batch_alter_table("content_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_content_delivery_due", ["status", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_delivery_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_delivery_run_id"), ["run_id"], unique=False)

    op.create_table(
        "content_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("text_de", sa.Text(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("image_url", sa.String(length=2000), nullable=True),
        sa.Column("image_rights", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_via", sa.String(length=10), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_pseudonym", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("approval_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approval_claim_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approval_tries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.create_index("ix_content_item_status", ["status", "valid_from"], unique=False)

    op.create_table(
        "content_pref",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("thanks", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_table(
        "content_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("pseudonym", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("first_click_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_click_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["delivery_id"], ["content_delivery.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["content_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "person_id", name="uq_content_link_item_person"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("content_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_link_delivery_id"), ["delivery_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_link_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_link_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_link_person_id"))
        batch_op.drop_index(batch_op.f("ix_content_link_item_id"))
        batch_op.drop_index(batch_op.f("ix_content_link_delivery_id"))

    op.drop_table("content_link")
    op.drop_table("content_pref")
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_index("ix_content_item_status")

    op.drop_table("content_item")
    with op.batch_alter_table("content_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_delivery_run_id"))
        batch_op.drop_index(batch_op.f("ix_content_delivery_person_id"))
        batch_op.drop_index("ix_content_delivery_due")

    op.drop_table("content_delivery")
    with op.batch_alter_table("content_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_run_status"))

    op.drop_table("content_run")
