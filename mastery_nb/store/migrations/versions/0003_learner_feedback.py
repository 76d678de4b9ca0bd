"""What feedback tells the learner about their own code (issue 12).

``attempts.learner_errors``: the exceptions the learner's own cells raised, so a
``SyntaxError`` in an answer reaches the feedback beside the checks it broke.
``cell_results.part``: whether a failed test cell raised in its visible part or in a hidden
test (never the hidden test itself).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("learner_errors", sa.JSON(), nullable=True))
    with op.batch_alter_table("cell_results") as batch:
        batch.add_column(sa.Column("part", sa.String(16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("cell_results") as batch:
        batch.drop_column("part")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("learner_errors")
