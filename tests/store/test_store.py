"""The store on SQLite and on a real PostgreSQL: migrations, constraints, time zones, indexes."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from mastery_nb.root import CourseRoot
from mastery_nb.store import HEAD_REVISION, AttemptRow, LearnerRow, dispose_stores, open_store
from mastery_nb.store.models import Base


def _attempt(number: int, student: str = "ada") -> AttemptRow:
    return AttemptRow(
        course_id="mini",
        student_id=student,
        unit_id="a",
        number=number,
        submitted_at=datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc),
        notebooks={"units/a.ipynb": "0" * 64},
        storage=f"submissions/mini/{student}/a/{number}",
        status="queued",
        claims=0,
        messages=[],
        tampering=[],
    )


def test_open_migrates_to_head_and_schema_matches_models(store_root: CourseRoot) -> None:
    store = open_store(store_root)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "learners",
        "units",
        "learner_units",
        "attempts",
        "cell_results",
        "objective_results",
        "alembic_version",
    } <= tables
    with store.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == HEAD_REVISION
        )
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_attempt_numbers_are_unique_per_learner_and_unit(store_root: CourseRoot) -> None:
    store = open_store(store_root)
    with store.write() as session:
        session.add_all([LearnerRow(student_id="ada"), LearnerRow(student_id="bob")])
        session.flush()
        session.add_all([_attempt(1), _attempt(1, "bob")])
    with pytest.raises(IntegrityError), store.write() as session:
        session.add(_attempt(1))
    with store.read() as session:
        assert session.execute(
            select(AttemptRow.student_id).order_by(AttemptRow.id)
        ).scalars().all() == ["ada", "bob"]


def test_times_come_back_as_aware_utc(store_root: CourseRoot) -> None:
    store = open_store(store_root)
    with store.write() as session:
        session.add(LearnerRow(student_id="ada"))
        session.flush()
        session.add(_attempt(1))
    with store.read() as session:
        moment = session.execute(select(AttemptRow.submitted_at)).scalar_one()
    assert moment == datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_sqlite_runs_in_wal_with_busy_timeout(mini_root: CourseRoot) -> None:
    store = open_store(mini_root)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (mini_root.data_dir / "mastery.db").is_file()


def test_progress_query_uses_the_learner_index(mini_root: CourseRoot) -> None:
    store = open_store(mini_root)
    with store.engine.connect() as connection:
        plan = " ".join(
            str(row[-1])
            for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT a.unit_id, o.objective FROM attempts a "
                "LEFT JOIN objective_results o ON o.attempt_id = a.id "
                "WHERE a.course_id = 'mini' AND a.student_id = 'ada'"
            )
        )
    assert "INDEX" in plan.upper() and "SCAN a" not in plan, plan


def _open_in_process(url: str) -> str:
    try:
        return open_store(url).url
    except Exception as error:  # report it in the assertion, not as a pickled traceback
        return f"{type(error).__name__}: {error}"


def test_many_processes_opening_a_fresh_store_at_once(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/fresh/mastery.db"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        assert pool.map(_open_in_process, [url] * 8) == [url] * 8
    with open_store(url).engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_bad_database_url_is_a_clear_error(tmp_path: object) -> None:
    from mastery_nb.errors import MasteryError

    with pytest.raises(MasteryError, match="not a database URL"):
        open_store("not a url")
    with pytest.raises(MasteryError, match="cannot open the database"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_a_database_from_a_newer_version_is_a_clear_error(tmp_path: object) -> None:
    from mastery_nb.errors import MasteryError

    url = f"sqlite:///{tmp_path}/newer.db"
    with open_store(url).engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    dispose_stores()
    with pytest.raises(MasteryError, match=r"revision '9999'.*does not know"):
        open_store(url)
