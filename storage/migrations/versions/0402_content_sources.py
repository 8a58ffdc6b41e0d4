"""content: where an item came from (a feed) and its canonical link, unique, for de-duplication

Revision ID: 0402
Revises: 0401
Create Date: 2026-12-01 04:02:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0402"
down_revision = "0401"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("canonical_url", sa.String(length=2000), nullable=True))
        # Items added by hand have none (NULLs never collide); a feed's article is in the queue once.
        batch_op.create_index("ix_content_item_canonical_url", ["canonical_url"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_index("ix_content_item_canonical_url")
        batch_op.drop_column("canonical_url")
        batch_op.drop_column("source")
