"""Grader errors: the ``failed`` status becomes ``grader-error``; attempts count their grader faults.

An attempt whose grading failed for a reason in the grader or its environment is retried
a bounded number of times (``grader_errors`` counts them), then ends ``grader-error``: it
uses no attempt and starts no cooldown (docs/design.md, "Grading").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(
            sa.Column("grader_errors", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE attempts SET status = 'grader-error' WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE attempts SET status = 'failed' WHERE status = 'grader-error'")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("grader_errors")
