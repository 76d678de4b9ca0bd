"""``load_checks(unit)``: find and load a unit's checks file from inside a notebook.

The checks file is ``checks/<unit>.py`` in the course folder. From the notebook's folder
(the kernel's working directory) we walk up until a folder holds ``checks/<unit>.py``; that
covers the learner's workspace (``<course>/units/x.ipynb`` + ``<course>/checks/``), the
author's source tree (``courses/<course>/...``) and the grader's work folder. The course id
and objective descriptions come from ``course.json`` (or ``course.toml``) beside it when
present.

A unit with parallel forms gets the learner's form from ``forms/<unit>.json`` beside
``checks/`` (written when the learner started the unit; written by the grader from the form
it regenerated), else the preview form the released notebook shows.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mastery_nb.checks.api import Checks
from mastery_nb.forms.values import FormError, read_form_file

__all__ = ["ChecksError", "find_checks_file", "load_checks"]

_MAX_LEVELS = 8


class ChecksError(Exception):
    """A checks file that cannot be found or loaded. Shown in the notebook without a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"error: {self}"]


def find_checks_file(unit: str, start: Path) -> Path | None:
    """``checks/<unit>.py`` in ``start`` or the nearest folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents)[:_MAX_LEVELS]:
        candidate = folder / "checks" / f"{unit}.py"
        if candidate.is_file():
            return candidate
    return None


def _course_info(course_dir: Path) -> tuple[str, dict[str, str], str]:
    """(course id, objective descriptions, unit ids) from ``course.json`` or ``course.toml``."""
    data: Any = None
    try:
        data = json.loads((course_dir / "course.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        try:
            import tomllib

            data = tomllib.loads((course_dir / "course.toml").read_text(encoding="utf-8"))
        except (OSError, ValueError, ImportError):
            data = None
    if not isinstance(data, dict):
        return course_dir.name, {}, ""
    objectives: dict[str, str] = {}
    units = data.get("units")
    raw_units: list[Any] = units if isinstance(units, list) else []
    if isinstance(units, dict):  # course.toml may key units by id
        raw_units = [dict(v, id=k) for k, v in units.items() if isinstance(v, dict)]
    for unit in raw_units:
        if not isinstance(unit, dict):
            continue
        objs = unit.get("objectives")
        if isinstance(objs, dict):
            objs = [
                dict(v, id=k) if isinstance(v, dict) else {"id": k, "description": v}
                for k, v in objs.items()
            ]
        for obj in objs if isinstance(objs, list) else []:
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                desc = obj.get("description")
                objectives[obj["id"]] = desc if isinstance(desc, str) else ""
    course_id = data.get("id")
    if not isinstance(course_id, str):
        course = data.get("course")
        course_id = course.get("id") if isinstance(course, dict) else None
    return (course_id if isinstance(course_id, str) else course_dir.name), objectives, ""


def _exec_checks_file(path: Path, unit: str) -> Checks:
    name = f"mastery_nb_checks_{unit.replace('-', '_').replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ChecksError(
            f"{path}: cannot be loaded as Python. Fix: check the file name ends in .py"
        )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # No checks/__pycache__ beside the file: release/ is committed and compared byte for
    # byte, and a learner's copy of the course should hold only what was released.
    write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ChecksError(
            f"{path}: line {exc.lineno}: {exc.msg}. Fix: correct the syntax of the checks file"
        ) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise ChecksError(
            f"{path}: {exc}. Fix: correct the declaration in the checks file"
        ) from None
    except Exception as exc:
        raise ChecksError(
            f"{path}: loading raised {type(exc).__name__}: {exc}. Fix: the checks file must only "
            "declare questions; move other code into the check functions"
        ) from None
    finally:
        sys.dont_write_bytecode = write_bytecode
    found = module.__dict__.get("checks")
    if not isinstance(found, Checks):
        instances = [v for v in module.__dict__.values() if isinstance(v, Checks)]
        if len(instances) != 1:
            raise ChecksError(
                f"{path}: no `checks = Checks(unit={unit!r})` found. Fix: create exactly one Checks "
                "registry named `checks`"
            )
        found = instances[0]
    if found.unit != unit:
        raise ChecksError(
            f"{path}: declares Checks(unit={found.unit!r}) but the notebook asked for unit "
            f"{unit!r}. Fix: make the unit ids agree"
        )
    return found


def _mastered_lookup(unit: str) -> Any:
    """Is ``unit`` mastered? The kernel asks its Jupyter server, which asks the backend.

    The server that started this kernel put its URL and a per-server kernel token in the
    environment (``$MASTERY_NB_SERVER_URL``, ``$MASTERY_NB_KERNEL_TOKEN``; see
    :mod:`mastery_nb.server.app`); that token opens only this learner's solution gates.
    The kernel never opens the store. Anything missing or failing means "unknown"
    (``None``), so an ``after_mastery`` solution stays hidden.
    """

    def lookup() -> bool | None:
        from mastery_nb.checks.gating import ask_server

        return ask_server(unit)

    return lookup


def load_checks(
    unit: str,
    *,
    start: str | os.PathLike[str] | None = None,
    namespace: Mapping[str, Any] | None = None,
) -> Checks:
    """Load ``checks/<unit>.py`` for this notebook and bind it to the learner's kernel.

    ``start`` is where to begin the search (default: the current folder, which in Jupyter
    is the notebook's folder). ``namespace`` defaults to the IPython user namespace.
    """
    folder = Path(start) if start is not None else Path.cwd()
    path = find_checks_file(unit, folder)
    if path is None:
        raise ChecksError(
            f"no checks file checks/{unit}.py in {folder} or any folder above it. Fix: open the "
            "notebook from its course folder (next to checks/), or check the unit id"
        )
    checks = _exec_checks_file(path, unit)
    course_dir = path.parent.parent
    course, objectives, _ = _course_info(course_dir)
    checks.bind(
        namespace=namespace,
        folder=folder,
        course=checks.course or course,
        objectives=objectives,
        form=read_form_file(course_dir, unit) if checks.has_form else None,
    )
    checks.source = path
    checks.mastered = _mastered_lookup(unit)
    try:
        checks.check_declarations()
    except FormError as exc:
        raise ChecksError(f"{path}: {exc}. Fix: correct the form function") from None
    except Exception as exc:
        raise ChecksError(
            f"{path}: building the questions for this form raised {type(exc).__name__}: {exc}. "
            "Fix: correct the form function or the questions that use the form"
        ) from None
    return checks
