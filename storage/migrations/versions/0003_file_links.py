"""file links: a random id per linked file, its path relative to the report directory

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-08 09:00:00

- file_link: the files the bot linked to (bot.files). The link in chat carries the id and
  a signature made with the program key (never stored), instead of a signed absolute path.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_link",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_file_link_expires_at"), "file_link", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_file_link_expires_at"), table_name="file_link")
    op.drop_table("file_link")
