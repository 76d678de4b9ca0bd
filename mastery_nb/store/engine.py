"""Opening the store: one engine per database URL and process, migrated on open.

SQLite (the single-machine default) runs in WAL mode so readers (the sidebar, progress)
never wait for the grader's writes, with a busy timeout so concurrent writers queue
instead of failing, and ``synchronous=FULL`` so a committed attempt survives a power cut.
Transactions that write take SQLite's write lock up front (``BEGIN IMMEDIATE``): a
deferred transaction that reads and then writes can fail with "database is locked"
instead of waiting. PostgreSQL needs none of this.

The schema is brought to the head revision with Alembic on open (serialised by SQLite's
write lock or a PostgreSQL advisory lock, so many processes may open a fresh store at once).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from mastery_nb.errors import MasteryError, Problem
from mastery_nb.root import CourseRoot, shown_db_url

__all__ = ["HEAD_REVISION", "Store", "dispose_stores", "open_store"]


def _head_revision() -> str:
    """The newest migration in ``migrations/versions``: the revision no other one revises.

    Read from the files as text (importing Alembic costs start-up time), so adding a
    revision needs no edit here.
    """
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (Path(__file__).parent / "migrations" / "versions").glob("*.py"):
        text_ = path.read_text(encoding="utf-8")
        found = re.search(r'^revision\s*=\s*"([^"]+)"', text_, re.M)
        if found:
            revisions.add(found.group(1))
        revised.update(re.findall(r'^down_revision\s*=\s*"([^"]+)"', text_, re.M))
    heads = sorted(revisions - revised)
    if len(heads) != 1:
        raise RuntimeError(f"the store's migrations have {len(heads)} heads: {heads}")
    return heads[0]


#: the newest migration in ``mastery_nb/store/migrations/versions``
HEAD_REVISION = _head_revision()
SQLITE_BUSY_TIMEOUT_MS = 60_000
_MIGRATION_LOCK_ID = 0x6D61_7374  # "mast": PostgreSQL advisory lock key for migrations

_WRITE = "mastery_write"
_stores: dict[tuple[int, str], Store] = {}
_stores_lock = threading.Lock()


@dataclass(frozen=True)
class Store:
    """An open, migrated database."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (a snapshot on SQLite WAL; never blocks writers)."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error."""
        engine = self.engine.execution_options(**{_WRITE: True})
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session


def _enable_wal(cursor: Any) -> None:
    """Switch a database to WAL (persistent, so only its first connection ever does).

    Switching needs an exclusive lock and SQLite may answer "database is locked" at once
    instead of waiting when several processes open a fresh database together: retry.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event below emit BEGIN, not the driver (see module doc)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise MasteryError(
            Problem(
                "--db",
                "",
                f"'{url}' is not a database URL ({error})",
                "give a SQLAlchemy URL such as sqlite:////path/mastery.db or "
                "postgresql://user@host/dbname",
            )
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        _sqlite_events(engine)
        return engine
    if parsed.drivername == "postgresql":
        # a plain postgresql:// URL means psycopg 3 (the [postgres] extra), whatever the
        # SQLAlchemy version's own default driver is
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except ImportError as error:
        raise MasteryError(
            Problem(
                "--db",
                "",
                f"the database driver for '{shown_db_url(url)}' is not installed ({error})",
                "install it: pip install 'mastery-nb[postgres]' (psycopg 3) for postgresql:// URLs",
            )
        ) from None


def _current_revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def _upgrade(engine: Engine) -> None:
    with engine.connect() as connection:
        current = _current_revision(connection)
        connection.rollback()
    if current == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.execution_options(**{_WRITE: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_ID}
            )
        if _current_revision(connection) == HEAD_REVISION:
            return  # another process migrated while we waited for the lock
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            raise MasteryError(
                Problem(
                    shown_db_url(str(engine.url)),
                    "alembic_version",
                    f"the database schema is at revision {current!r}, which this version of "
                    f"mastery-nb does not know ({error})",
                    "upgrade mastery-nb to the version that last wrote this database",
                )
            ) from None


def open_store(root: CourseRoot | str) -> Store:
    """The store of a course root (or at a database URL), created and migrated if needed.

    Cached per process and URL: the server and the grading threads share one engine.
    """
    url = root if isinstance(root, str) else root.db_url
    key = (os.getpid(), url)
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            engine = _make_engine(url)
            try:
                _upgrade(engine)
            except DBAPIError as error:
                engine.dispose()
                raise MasteryError(
                    Problem(
                        shown_db_url(url),
                        "",
                        f"cannot open the database ({error.orig})",
                        "check --db / $MASTERY_NB_DB and that the database server is running",
                    )
                ) from None
            store = Store(url=url, engine=engine)
            _stores[key] = store
        return store


def dispose_stores() -> None:
    """Close every engine this process opened (tests; a server shutting down)."""
    with _stores_lock:
        for store in _stores.values():
            store.engine.dispose()
        _stores.clear()
