"""Parallel forms and placement (issue 13): the form each attempt was made on.

``attempts.form``: the number of the learner's form of the unit when the attempt was
submitted; grading regenerates that form from it (never from the submitted notebook).
NULL for attempts stored before forms existed: they were all made on form 1. A placement's
attempts are attempts like a unit's, under the placement's id: no table of their own.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("form", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("form")
