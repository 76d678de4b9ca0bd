"""Who the learner is, and what an id may look like: one rule each, used everywhere.

**Who the learner is.** :func:`current_learner`: an explicit name (``--student`` on the
command line, ``c.MasteryApp.student`` in a server) wins; else the JupyterHub user
(``$JUPYTERHUB_USER``, set for every single-user server and its kernels); else the operating
system user. The mastery service never asks this: it takes the learner from the hub token
of each request (:mod:`mastery_nb.service.auth`).

**Ids.** Courses, units, objectives, questions and checks share one grammar, :data:`ID_RE`:
letters, digits, ``-``, ``_`` and ``.``, starting with a letter or digit, at most 80
characters. They become file names (``checks/<unit>.py``, ``units/<unit>.json``), cell
tags (``objective:<id>``) and URL path segments, so no spaces, slashes or leading dots.

A course id also names JupyterHub scopes (``custom:mastery:teach:<course>``), and the hub
accepts only lowercase ASCII letters, digits, ``-``, ``_``, ``:`` and ``*`` there, not
ending in ``-`` (``jupyterhub.scopes._custom_scope_pattern``). So :data:`COURSE_RE` is the
narrower rule for course ids: lowercase letters, digits, ``-`` and ``_``, starting with a
letter or digit and ending with a letter, digit or ``_``.

Learner ids (:data:`LEARNER_RE`) are user names chosen elsewhere (the hub, the OS): any
text without blanks, slashes, backslashes or control characters, not starting with a dot,
at most 255 characters (they name folders under the data directory). ``@``, ``+`` and
non-ASCII letters are fine; in a URL they are percent-encoded.
"""

from __future__ import annotations

import getpass
import os
import re

from mastery_nb.errors import MasteryError, Problem

__all__ = [
    "COURSE_RE",
    "HUB_USER_ENV",
    "ID_RE",
    "LEARNER_RE",
    "ROUTE_COURSE",
    "ROUTE_ID",
    "ROUTE_LEARNER",
    "check_course_id",
    "check_id",
    "check_learner",
    "current_learner",
    "id_problem",
    "is_course_id",
    "is_id",
    "is_learner",
]

HUB_USER_ENV = "JUPYTERHUB_USER"

_ID_BODY = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}"
_COURSE_BODY = r"[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9_])?"
#: course, unit, objective, question and check ids
ID_RE = re.compile(rf"^{_ID_BODY}$")
#: course ids: also legal inside a JupyterHub custom scope name
COURSE_RE = re.compile(rf"^{_COURSE_BODY}$")
#: learner ids (user names): no blanks, slashes or control characters, no leading dot
LEARNER_RE = re.compile(r"^[^\s/\\\x00-\x1f\x7f.][^\s/\\\x00-\x1f\x7f]{0,254}$")

#: the same rules as tornado route groups (a learner is checked again after URL decoding)
ROUTE_ID = _ID_BODY
ROUTE_COURSE = _COURSE_BODY
ROUTE_LEARNER = r"[^/]{1,800}"

ID_FIX = "use letters, digits, '-', '_' or '.', starting with a letter or digit, at most 80 characters (e.g. 'select-rows')"
COURSE_FIX = (
    "use lowercase letters, digits, '-' or '_', starting with a letter or digit and not "
    "ending with '-' (e.g. 'intro-data-science'); it also names the course's JupyterHub scopes"
)
LEARNER_FIX = "use the learner's user name: no spaces, slashes or control characters, not starting with '.', at most 255 characters"


def is_id(value: object) -> bool:
    return isinstance(value, str) and ID_RE.match(value) is not None


def is_course_id(value: object) -> bool:
    return isinstance(value, str) and COURSE_RE.match(value) is not None


def is_learner(value: object) -> bool:
    return isinstance(value, str) and LEARNER_RE.match(value) is not None


def id_problem(kind: str, value: object, *, file: str = "", place: str = "") -> Problem:
    """The problem with an id that breaks the grammar, naming its kind and the fix."""
    fix = COURSE_FIX if kind == "course" else LEARNER_FIX if kind == "learner" else ID_FIX
    return Problem(file or kind, place, f"{value!r} is not a valid {kind} id", fix)


def check_id(kind: str, value: object) -> str:
    """``value`` when it is a valid id of ``kind`` (unit, objective, ...), else MasteryError."""
    ok = is_course_id(value) if kind == "course" else is_id(value)
    if not ok:
        raise MasteryError(id_problem(kind, value))
    assert isinstance(value, str)
    return value


def check_course_id(value: object) -> str:
    return check_id("course", value)


def check_learner(value: object) -> str:
    """``value`` when it is a valid learner id, else MasteryError naming the fix."""
    if not is_learner(value):
        raise MasteryError(id_problem("learner", value))
    assert isinstance(value, str)
    return value


def current_learner(explicit: str | None = None) -> str:
    """The learner this process acts for: ``explicit``, else the hub user, else the OS user.

    Raises MasteryError when the name found cannot be a learner id.
    """
    name = (explicit or "").strip() or os.environ.get(HUB_USER_ENV, "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (some containers) and no $USER
            name = "student"
    return check_learner(name)
