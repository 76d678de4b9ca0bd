"""Practice events beside the attempts (issue 8): what learners' kernels logged.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mastery_nb.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column("student_id", sa.String(255), nullable=False),
        sa.Column("unit_id", sa.String(255), nullable=False),
        sa.Column("question", sa.String(255), nullable=False),
        sa.Column("objective", sa.String(255), nullable=True),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("occurred_at", sa.String(64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("course_id", "student_id", "digest", name="uq_practice_event"),
    )
    op.create_index(
        "ix_practice_learner", "practice_events", ["course_id", "student_id", "received_at"]
    )
    op.create_index("ix_practice_unit", "practice_events", ["course_id", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_practice_unit", table_name="practice_events")
    op.drop_index("ix_practice_learner", table_name="practice_events")
    op.drop_table("practice_events")
