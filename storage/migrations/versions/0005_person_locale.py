"""person.locale: the language the platform reports for a person

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-07 19:00:00

Messages the bot starts (approval requests, crisis alerts, poll messages) go to a person
whose language is automatic in the language their platform reports (Slack's and Teams'
locale), not in the program's default.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("locale")
