"""The first schema: learners, units, learner_units, attempts, cell and objective results.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mastery_nb.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("student_id", sa.String(255), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("course_id", sa.String(255), primary_key=True),
        sa.Column("unit_id", sa.String(255), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
    )
    op.create_table(
        "learner_units",
        sa.Column("course_id", sa.String(255), primary_key=True),
        sa.Column(
            "student_id", sa.String(255), sa.ForeignKey("learners.student_id"), primary_key=True
        ),
        sa.Column("unit_id", sa.String(255), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_submitted_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column(
            "student_id", sa.String(255), sa.ForeignKey("learners.student_id"), nullable=False
        ),
        sa.Column("unit_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("notebooks", sa.JSON(), nullable=False),
        sa.Column("storage", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("graded_at", UTCDateTime(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("max_points", sa.Float(), nullable=True),
        sa.Column("mastered", sa.Boolean(), nullable=True),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("tampering", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.UniqueConstraint(
            "course_id", "student_id", "unit_id", "number", name="uq_attempt_number"
        ),
    )
    op.create_index("ix_attempts_queue", "attempts", ["status", "lease_until"])
    op.create_table(
        "cell_results",
        sa.Column(
            "attempt_id",
            sa.Integer(),
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("notebook", sa.String(512), primary_key=True),
        sa.Column("grade_id", sa.String(255), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )
    op.create_table(
        "objective_results",
        sa.Column(
            "attempt_id",
            sa.Integer(),
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("objective", sa.String(255), primary_key=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("mastered", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("objective_results")
    op.drop_table("cell_results")
    op.drop_index("ix_attempts_queue", table_name="attempts")
    op.drop_table("attempts")
    op.drop_table("learner_units")
    op.drop_table("units")
    op.drop_table("learners")
