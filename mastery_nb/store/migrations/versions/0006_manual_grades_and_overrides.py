"""Manual grades and overrides (issue 9): the instructor's side.

- ``manual_grades``: every grade given by hand to an answer or task (append-only).
- ``overrides``: an instructor's exceptions for one learner (extra attempts, lifting a
  cooldown, excusing or marking an objective mastered, reopening a unit), with who, when,
  why, and who revoked it.
- ``objective_results.pending_points``: points of answers graded by hand not yet graded.
- indexes on ``attempts`` by course and time, for the class dashboard's refresh.

Attempts graded before this revision kept answers graded by hand out of the score
(``not_run``, "graded by hand: not part of the automatic score"). They are brought under
the new rule here: an unanswered one scores 0 (``failed``), an answered one awaits review
(``manual``), and its points join what is possible and pending for its objectives, so an
attempt that was "mastered" with every written answer blank is decided again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from mastery_nb.mastery import decide
from mastery_nb.store.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_OLD_MANUAL = "graded by hand: not part of the automatic score"


def upgrade() -> None:
    op.create_table(
        "manual_grades",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "attempt_id",
            sa.Integer(),
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("notebook", sa.String(512), nullable=False),
        sa.Column("grade_id", sa.String(255), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rubric", sa.JSON(), nullable=False),
        sa.Column("grader", sa.String(255), nullable=False),
        sa.Column("graded_at", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_manual_grades_cell", "manual_grades", ["attempt_id", "notebook", "grade_id"]
    )
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column("student_id", sa.String(255), nullable=False),
        sa.Column("unit_id", sa.String(255), nullable=False),
        sa.Column("objective", sa.String(255), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(255), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_overrides_learner", "overrides", ["course_id", "student_id"])
    with op.batch_alter_table("objective_results") as batch:
        batch.add_column(
            sa.Column("pending_points", sa.Float(), nullable=False, server_default="0")
        )
    op.create_index("ix_attempts_course_graded", "attempts", ["course_id", "graded_at"])
    op.create_index("ix_attempts_course_submitted", "attempts", ["course_id", "submitted_at"])
    _count_old_manual_answers()


def _count_old_manual_answers() -> None:
    """Attempts graded before this revision: their answers graded by hand now count."""
    bind = op.get_bind()
    cells = sa.table(
        "cell_results",
        sa.column("attempt_id"),
        sa.column("notebook"),
        sa.column("grade_id"),
        sa.column("max_points"),
        sa.column("objectives"),
        sa.column("status"),
        sa.column("message"),
    )
    old = bind.execute(
        sa.select(
            cells.c.attempt_id,
            cells.c.notebook,
            cells.c.grade_id,
            cells.c.max_points,
            cells.c.objectives,
            cells.c.message,
        ).where(cells.c.status == "not_run", cells.c.message.like(_OLD_MANUAL + "%"))
    ).all()
    added: dict[int, dict[str, list[float]]] = {}  # attempt -> objective -> [possible, pending]
    extra: dict[int, float] = {}  # attempt -> points now possible that were not
    for attempt_id, notebook, grade_id, max_points, objectives, message in old:
        unanswered = "unanswered" in message
        bind.execute(
            cells.update()
            .where(
                cells.c.attempt_id == attempt_id,
                cells.c.notebook == notebook,
                cells.c.grade_id == grade_id,
            )
            .values(
                status="failed" if unanswered else "manual",
                message="graded by hand: left unanswered, so 0 points"
                if unanswered
                else "graded by hand: awaiting review",
            )
        )
        extra[attempt_id] = extra.get(attempt_id, 0.0) + float(max_points)
        names: Any = json.loads(objectives) if isinstance(objectives, str) else objectives
        for objective in names or []:
            entry = added.setdefault(attempt_id, {}).setdefault(str(objective), [0.0, 0.0])
            entry[0] += float(max_points)
            entry[1] += 0.0 if unanswered else float(max_points)
    results = sa.table(
        "objective_results",
        sa.column("attempt_id"),
        sa.column("objective"),
        sa.column("points"),
        sa.column("max_points"),
        sa.column("threshold"),
        sa.column("mastered"),
        sa.column("pending_points"),
    )
    attempts = sa.table("attempts", sa.column("id"), sa.column("max_points"), sa.column("mastered"))
    for attempt_id, more in extra.items():
        objectives = added.get(attempt_id, {})
        rows = bind.execute(
            sa.select(
                results.c.objective,
                results.c.points,
                results.c.max_points,
                results.c.threshold,
            ).where(results.c.attempt_id == attempt_id)
        ).all()
        verdicts = []
        for objective, points, max_points, threshold in rows:
            possible, pending = objectives.get(objective, [0.0, 0.0])
            verdict = decide(points, max_points + possible, threshold, pending)
            verdicts.append(verdict.mastered)
            bind.execute(
                results.update()
                .where(results.c.attempt_id == attempt_id, results.c.objective == objective)
                .values(
                    max_points=max_points + possible,
                    pending_points=pending,
                    mastered=verdict.mastered,
                )
            )
        bind.execute(
            attempts.update()
            .where(attempts.c.id == attempt_id)
            .values(
                max_points=attempts.c.max_points + more,
                mastered=bool(verdicts) and all(verdicts),
            )
        )


def downgrade() -> None:
    op.drop_index("ix_attempts_course_submitted", table_name="attempts")
    op.drop_index("ix_attempts_course_graded", table_name="attempts")
    with op.batch_alter_table("objective_results") as batch:
        batch.drop_column("pending_points")
    op.drop_index("ix_overrides_learner", table_name="overrides")
    op.drop_table("overrides")
    op.drop_index("ix_manual_grades_cell", table_name="manual_grades")
    op.drop_table("manual_grades")
