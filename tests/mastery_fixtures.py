"""Fixtures shared by the store, submit, grade-queue, progress and feedback tests.

``mini_root`` is a real course root: ``courses/mini/`` (three units in nbgrader format,
objectives on cells) released by ``mastery-nb release`` into ``release/`` and
``autograder/``. ``store_root`` is that root with a database: SQLite in its data dir, or a
fresh database on a real PostgreSQL server started for the session (see ``postgres_server``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import pytest
from nbgrader_cells import nbgrader_cell, unit_notebook
from sqlalchemy import func, select

from mastery_nb.cli import main as mastery_main
from mastery_nb.root import CourseRoot
from mastery_nb.store import dispose_stores, open_store
from mastery_nb.store.models import CellResultRow, ObjectiveResultRow

COURSE = "mini"

COURSE_TOML = """
[course]
id = "mini"
title = "Mini course"
threshold = 0.8

[policy]
max_attempts = 5
cooldown = "0s"
scoring = "best"

[[units]]
id = "a"
title = "Unit A"
notebooks = ["units/a.ipynb"]

[[units.objectives]]
id = "add"
description = "Add numbers"
remediation = [{ title = "Adding, step by step", href = "https://example.org/adding" }]
enrichment = [{ title = "More arithmetic", href = "https://example.org/more" }]

[[units.objectives]]
id = "strings"
description = "Build strings"
threshold = 1.0
remediation = [{ title = "Strings again", href = "https://example.org/strings" }]

[[units]]
id = "b"
title = "Unit B"
notebooks = ["units/b.ipynb"]
requires = ["a"]

[[units.objectives]]
id = "loops"
description = "Sum with a loop"

[[units]]
id = "c"
title = "Unit C"
notebooks = ["units/c.ipynb"]
requires = ["a"]

[units.policy]
max_attempts = 2
cooldown = "1h"
scoring = "latest"

[[units.objectives]]
id = "dicts"
description = "Use a dict"
"""

HIDDEN_LINE = 'assert x + 0 == 2, "hidden check of x"'


def _notebook_text(cells: list[nbformat.NotebookNode]) -> str:
    return nbformat.writes(unit_notebook(cells))


UNIT_NOTEBOOKS = {
    "units/a.ipynb": [
        nbgrader_cell("markdown", "# Unit A", "intro"),
        nbgrader_cell(
            "code", "### BEGIN SOLUTION\nx = 1 + 1\n### END SOLUTION", "answer-add", solution=True
        ),
        nbgrader_cell(
            "code",
            f'assert x == 2, "x should be 2"\n### BEGIN HIDDEN TESTS\n{HIDDEN_LINE}\n### END HIDDEN TESTS',
            "test-add",
            grade=True,
            points=2,
            objectives=("add",),
        ),
        nbgrader_cell(
            "code",
            '### BEGIN SOLUTION\ngreeting = "hi"\n### END SOLUTION',
            "answer-greet",
            solution=True,
        ),
        nbgrader_cell(
            "code",
            "assert greeting == 'hi', \"greeting should be 'hi'\"",
            "test-greet",
            grade=True,
            points=1,
            objectives=("strings",),
        ),
        nbgrader_cell(
            "code",
            "### BEGIN HIDDEN TESTS\nassert greeting.upper() == 'HI'\n### END HIDDEN TESTS",
            "test-greet-hidden",
            grade=True,
            points=1,
            objectives=("strings",),
        ),
    ],
    "units/b.ipynb": [
        nbgrader_cell(
            "code",
            "### BEGIN SOLUTION\ntotal = sum(range(4))\n### END SOLUTION",
            "answer-total",
            solution=True,
        ),
        nbgrader_cell(
            "code", 'assert total == 6, "total should be 6"', "test-total", grade=True, points=1
        ),
    ],
    "units/c.ipynb": [
        nbgrader_cell(
            "code", '### BEGIN SOLUTION\nd = {"a": 1}\n### END SOLUTION', "answer-d", solution=True
        ),
        nbgrader_cell(
            "code", 'assert d["a"] == 1, "d[\'a\'] should be 1"', "test-d", grade=True, points=1
        ),
    ],
}

#: correct answers per unit notebook: solution grade_id -> source
CORRECT = {
    "units/a.ipynb": {"answer-add": "x = 1 + 1", "answer-greet": 'greeting = "hi"'},
    "units/b.ipynb": {"answer-total": "total = sum(range(4))"},
    "units/c.ipynb": {"answer-d": 'd = {"a": 1}'},
}
NOTEBOOK_OF = {"a": "units/a.ipynb", "b": "units/b.ipynb", "c": "units/c.ipynb"}


def build_course_root(path: Path) -> CourseRoot:
    """Write courses/mini and release it with the real `mastery-nb release`."""
    course = path / "courses" / COURSE
    (course / "units").mkdir(parents=True)
    (course / "course.toml").write_text(COURSE_TOML, encoding="utf-8")
    for rel, cells in UNIT_NOTEBOOKS.items():
        (course / rel).write_text(_notebook_text(cells), encoding="utf-8")
    code = mastery_main(["release", COURSE, "--root", str(path)])
    assert code == 0, "mastery-nb release failed on the fixture course"
    return CourseRoot.at(path)


@pytest.fixture(scope="session")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mini-template")
    build_course_root(path)
    return path


@pytest.fixture
def mini_root(released_template: Path, tmp_path: Path) -> CourseRoot:
    """A fresh copy of the released mini course, with SQLite in its own data dir."""
    target = tmp_path / "root"
    shutil.copytree(released_template, target)
    return CourseRoot.at(
        target,
        data_dir=target / ".mastery-data",
        db_url=f"sqlite:///{target / '.mastery-data' / 'mastery.db'}",
    )


def submission(
    root: CourseRoot, unit: str, answers: dict[str, str] | None = None, *, correct: bool = True
) -> dict[str, bytes]:
    """The released notebook of ``unit`` with its solution cells filled in.

    ``answers`` (solution grade_id -> source) override the correct ones; with
    ``correct=False`` every answer not given is left as the released stub.
    """
    rel = NOTEBOOK_OF[unit]
    nb = nbformat.read(root.course_release(COURSE) / rel, as_version=4)
    filled = dict(CORRECT[rel]) if correct else {}
    filled.update(answers or {})
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in filled:
            cell.source = filled[grade_id]
    return {rel: nbformat.writes(nb).encode("utf-8")}


# --------------------------------------------------------------------------- PostgreSQL


@dataclass(frozen=True)
class PostgresServer:
    """A PostgreSQL server the tests started: password login only (scram), on TCP and its socket."""

    host: str
    port: int
    user: str
    password: str
    socket_dir: Path

    def url(self, database: str) -> str:
        # the plain URL the docs show (psycopg 3, the [postgres] extra)
        return f"postgresql://{self.user}:{quote(self.password, safe='')}@{self.host}:{self.port}/{database}"

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def create_owned_database(self) -> str:
        """A new database owned by a new role with its own password (what a service holds);
        nobody else may connect to it. Returns its URL."""
        from psycopg import sql

        name = f"m_{uuid.uuid4().hex[:12]}"
        password = secrets.token_urlsafe(18)
        with self._admin() as connection:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password)
                )
            )
            connection.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(name)
                )
            )
            connection.execute(
                sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name))
            )
        return f"postgresql://{name}:{quote(password, safe='')}@{self.host}:{self.port}/{name}"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why."""


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user_prefix() -> list[str]:
    """PostgreSQL refuses to run as root: run it as 'nobody' then."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable(
            "running as root and runuser is missing: cannot start PostgreSQL as another user"
        )
    return [runuser, "-u", "nobody", "--"]


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL cluster in a temporary folder on a free port.

    Every login needs the superuser's random password (scram-sha-256), over TCP and over
    its Unix socket alike, so other users of the machine (and the multi-user tests' OS
    users) cannot connect to it. Raises :class:`PostgresUnavailable` saying why it cannot start.
    """
    bin_dir = _pg_bin()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or PATH"
        )
    prefix = _as_user_prefix()
    folder = Path(tempfile.mkdtemp(prefix="mastery-pg-"))
    os.chmod(folder, 0o755)
    data = folder / "data"
    if prefix:
        subprocess.run(["chown", "nobody", str(folder)], check=True)
    password = secrets.token_urlsafe(18)
    password_file = folder / "pwfile"
    password_file.write_text(password + "\n", encoding="utf-8")
    if prefix:
        subprocess.run(["chown", "nobody", str(password_file)], check=True)
    password_file.chmod(0o600)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    init = subprocess.run(
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "-E",
            "UTF8",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )
    password_file.unlink()
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(
            f"initdb failed, cannot start PostgreSQL: {init.stderr.strip()[-500:]}"
        )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    start = subprocess.run(
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )
    if start.returncode != 0:
        log = (
            (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else ""
        )
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"PostgreSQL did not start: {start.stderr.strip()[-400:]} {log}")
    server = PostgresServer(
        host="127.0.0.1", port=port, user="postgres", password=password, socket_dir=folder
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.create_database()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield server
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=env,
            cwd=folder,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session (see :func:`running_postgres`)."""
    if os.environ.get("MASTERY_NB_TEST_PG_URL"):
        pytest.skip("MASTERY_NB_TEST_PG_URL given: using that server is not supported here")
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_postgres())
        except PostgresUnavailable as error:
            pytest.skip(str(error))
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_root(request: pytest.FixtureRequest, mini_root: CourseRoot) -> Iterator[CourseRoot]:
    """The mini course root with its store on SQLite or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield mini_root
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        yield CourseRoot.at(
            mini_root.path, data_dir=mini_root.data_dir, db_url=server.url(server.create_database())
        )
    dispose_stores()  # close this test's connections (PostgreSQL counts them)


def read_json(text: str) -> dict[str, object]:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value


def result_counts(root: CourseRoot) -> dict[int, tuple[int, int]]:
    """attempt id -> (cell result rows, objective result rows) stored for it."""
    with open_store(root).read() as session:
        cells = dict(
            session.execute(
                select(CellResultRow.attempt_id, func.count()).group_by(CellResultRow.attempt_id)
            ).all()
        )
        objectives = dict(
            session.execute(
                select(ObjectiveResultRow.attempt_id, func.count()).group_by(
                    ObjectiveResultRow.attempt_id
                )
            ).all()
        )
    return {
        attempt: (cells.get(attempt, 0), objectives.get(attempt, 0))
        for attempt in set(cells) | set(objectives)
    }
