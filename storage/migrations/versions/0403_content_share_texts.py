"""content: the ready share texts of an item, made once and checked by the answer engine

Revision ID: 0403
Revises: 0402
Create Date: 2026-12-07 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0403"
down_revision = "0402"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_texts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("share_texts_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_column("share_texts_at")
        batch_op.drop_column("share_texts")
