"""content: monthly thank-you: clicks per link and month, consent to being named, shares by date

Revision ID: 0401
Revises: 0400
Create Date: 2026-11-25 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0401"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_clicks",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["content_link.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("link_id", "month"),
    )
    with op.batch_alter_table("content_pref", schema=None) as batch_op:
        # Existing members have not consented to being named: false for everyone.
        batch_op.add_column(sa.Column("thanks_public", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("content_link", schema=None) as batch_op:
        batch_op.create_index("ix_content_link_shared_at", ["shared_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_link", schema=None) as batch_op:
        batch_op.drop_index("ix_content_link_shared_at")
    with op.batch_alter_table("content_pref", schema=None) as batch_op:
        batch_op.drop_column("thanks_public")
    op.drop_table("content_clicks")
