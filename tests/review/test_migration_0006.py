"""Migration 0006: attempts graded before answers graded by hand counted are decided again."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

import mastery_nb.store.engine as engine_module
from mastery_nb.store import dispose_stores, open_store

MIGRATIONS = Path(engine_module.__file__).parent / "migrations"


def _at_revision(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_old_manual_answers_are_counted_and_mastery_decided_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _at_revision(url, "0003")
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO learners (student_id, created_at) VALUES ('ada', '2026-11-01')")
        )
        db.execute(
            text(
                "INSERT INTO attempts (id, course_id, student_id, unit_id, number, submitted_at, "
                "notebooks, storage, status, claims, points, max_points, mastered, messages, "
                "tampering) VALUES (1, 'c', 'ada', 'ps1', 1, '2026-11-01', '{}', 's', 'graded', 1, "
                "3, 3, 1, '[]', '[]')"
            )
        )
        cells = [
            ("correct_squares", 1.0, "passed", ""),
            ("correct_sum_of_squares", 2.0, "passed", ""),
            ("part-a", 0.0, "not_run", "graded by hand: not part of the automatic score"),
            (
                "part-b",
                0.0,
                "not_run",
                "graded by hand: not part of the automatic score (left unanswered)",
            ),
        ]
        for position, (grade_id, points, status, message) in enumerate(cells):
            max_points = {"part-a": 8.0, "part-b": 2.0}.get(grade_id, points)
            db.execute(
                text(
                    "INSERT INTO cell_results (attempt_id, notebook, grade_id, position, points, "
                    "max_points, objectives, status, message, part) VALUES (1, 'p.ipynb', :g, :p, "
                    ":pts, :mx, :o, :s, :m, '')"
                ),
                {
                    "g": grade_id,
                    "p": position,
                    "pts": points,
                    "mx": max_points,
                    "o": json.dumps(["sums"]),
                    "s": status,
                    "m": message,
                },
            )
        db.execute(
            text(
                "INSERT INTO objective_results (attempt_id, objective, points, max_points, "
                "threshold, mastered) VALUES (1, 'sums', 3, 3, 0.8, 1)"
            )
        )
    engine.dispose()

    store = open_store(url)  # migrates to the head
    with store.engine.connect() as db:
        statuses = dict(db.execute(text("SELECT grade_id, status FROM cell_results")).all())
        objective = db.execute(
            text("SELECT points, max_points, pending_points, mastered FROM objective_results")
        ).one()
        attempt = db.execute(text("SELECT max_points, mastered FROM attempts")).one()
    dispose_stores()
    assert statuses == {
        "correct_squares": "passed",
        "correct_sum_of_squares": "passed",
        "part-a": "manual",
        "part-b": "failed",
    }
    # 3 of 13 earned, 8 pending: "mastered" no more; awaiting review instead
    assert tuple(objective) == (3.0, 13.0, 8.0, 0)
    assert tuple(attempt) == (13.0, 0)
