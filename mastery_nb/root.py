"""Where things live in a course root.

A course root holds ``courses/`` (sources), ``release/`` (public student versions),
``autograder/`` (private grading bundles). Runtime state (submissions, the database,
feedback) lives in a data directory that is never inside ``release/`` or ``autograder/``:
``<root>/.mastery-data`` by default, ``MASTERY_NB_DATA_DIR`` or ``--data-dir`` otherwise.
The database is SQLite in the data directory unless ``MASTERY_NB_DB`` or ``--db`` gives a
SQLAlchemy URL (PostgreSQL for many users).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = ["CourseRoot", "shown_db_url"]

DATA_DIR_ENV = "MASTERY_NB_DATA_DIR"
DB_ENV = "MASTERY_NB_DB"


def shown_db_url(url: str) -> str:
    """A database URL as a person may be shown it (messages, first lines): its password
    hidden, in the address or as libpq's ``?password=``. Plain string work, so saying it
    costs no SQLAlchemy import; a URL with nothing to hide is returned as it is."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.split("://", 1)[0] + "://..."
    hidden_query = "password" in parts.query.lower()
    if password is None and not hidden_query:
        return url
    if hidden_query:
        parts = parts._replace(query="...")
    if password is not None:
        user, _, host = parts.netloc.rpartition("@")
        parts = parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}")
    return urlunsplit(parts)


@dataclass(frozen=True)
class CourseRoot:
    """The folders of one course root, resolved to absolute paths."""

    path: Path
    data_dir: Path
    db_url: str

    @classmethod
    def at(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        db_url: str | None = None,
    ) -> CourseRoot:
        """Resolve a course root; arguments win over the environment, which wins over defaults."""
        root = Path(path if path is not None else os.getcwd()).resolve()
        data = data_dir or os.environ.get(DATA_DIR_ENV) or root / ".mastery-data"
        data_path = Path(data).resolve()
        url = db_url or os.environ.get(DB_ENV) or f"sqlite:///{data_path / 'mastery.db'}"
        return cls(path=root, data_dir=data_path, db_url=url)

    @property
    def courses_dir(self) -> Path:
        return self.path / "courses"

    @property
    def release_dir(self) -> Path:
        return self.path / "release"

    @property
    def autograder_dir(self) -> Path:
        return self.path / "autograder"

    def course_source(self, course_id: str) -> Path:
        """``courses/<course>/``: the manifest, unit notebooks, resources."""
        return self.courses_dir / course_id

    def course_release(self, course_id: str) -> Path:
        """``release/<course>/``: what students get."""
        return self.release_dir / course_id

    def course_bundle(self, course_id: str) -> Path:
        """``autograder/<course>/``: the private grading bundle."""
        return self.autograder_dir / course_id

    def course_ids(self) -> list[str]:
        """Every course with a ``course.toml`` under ``courses/``, sorted."""
        if not self.courses_dir.is_dir():
            return []
        return sorted(p.parent.name for p in self.courses_dir.glob("*/course.toml"))

    def store_label(self) -> str:
        """The database as a person may be shown it (``mastery-nb progress`` says which
        store it reads): the SQLite file's path, else the URL with its password hidden."""
        if self.db_url.startswith("sqlite:///"):
            return self.db_url.removeprefix("sqlite:///")
        return shown_db_url(self.db_url)

    def relative(self, path: Path) -> str:
        """A path as the user would type it from the course root."""
        try:
            return str(path.resolve().relative_to(self.path))
        except ValueError:
            return str(path)
