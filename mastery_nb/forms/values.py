"""A form's values: drawn by the author's function, kept as JSON, read back in the kernel.

The author declares a unit's parameters in its checks file::

    @checks.form
    def form(rng):                      # rng: a random.Random seeded for this form
        return {"coffee_price": rng.choice([2.2, 2.4, 2.6]), "coffees": rng.randint(2, 6)}

:func:`draw` calls that function with a generator seeded by :func:`preview_seed` (the
*preview* form, number 0: the released notebook and the author's own runs) or by the
backend's secret per-course key (a learner's form, :mod:`mastery_nb.forms.keys`), and
checks that what it returns is plain JSON. The values then travel as JSON everywhere: in
``forms/<unit>.json`` in the learner's workspace (and in the grader's work folder), where
:func:`read_form_file` finds them for the checks. Standard library only: the learner's
kernel imports this module.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "FORMS_FOLDER",
    "FORM_SCHEMA_VERSION",
    "HIDDEN_PREFIX",
    "MAX_FORM_BYTES",
    "PREVIEW_NUMBER",
    "RESERVED_NAMES",
    "FormError",
    "FormValues",
    "draw",
    "form_file_bytes",
    "form_file_path",
    "normalise_values",
    "preview_seed",
    "public_values",
    "read_form_file",
]

#: the folder of a course (workspace, grader's work folder) holding ``<unit>.json``
FORMS_FOLDER = "forms"
FORM_SCHEMA_VERSION = 1
#: form 0 is the preview: what ``release/`` shows and the author's source runs with
PREVIEW_NUMBER = 0
#: a form's values as JSON may be at most this large (they are written into notebooks)
MAX_FORM_BYTES = 256 * 1024
#: values whose name starts with this are for hidden tests only: never written into the
#: learner's notebook, form file or the grader's work folder, only into hidden tests
HIDDEN_PREFIX = "hidden_"
#: names of :class:`FormValues` itself, which ``form.<name>`` could not reach
RESERVED_NAMES = frozenset(
    {"as_dict", "get", "items", "keys", "values", "number", "unit", "preview"}
)


class FormError(ValueError):
    """The author's form function returned something that cannot be a form (in words)."""


def form_file_path(unit: str) -> str:
    """Where a unit's form file lives, relative to the course folder."""
    return f"{FORMS_FOLDER}/{unit}.json"


def _check(value: Any, where: str, depth: int = 0) -> None:
    if depth > 8:
        raise FormError(f"{where} is nested more than 8 levels deep")
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormError(f"{where} is {value}, not a finite number")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check(item, f"{where}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FormError(f"{where} has the key {key!r}; keys must be strings")
            _check(item, f"{where}[{key!r}]", depth + 1)
        return
    raise FormError(
        f"{where} is a {type(value).__name__}; a form holds numbers, strings, true/false, "
        "None and lists or dicts of those"
    )


def normalise_values(values: object) -> dict[str, Any]:
    """The values as the JSON they travel as (tuples become lists, keys sorted).

    Raises :class:`FormError` naming the value that cannot be part of a form.
    """
    if not isinstance(values, Mapping):
        raise FormError(f"the form function returned a {type(values).__name__}, not a dict")
    for name in values:
        if not (isinstance(name, str) and name.isidentifier() and not name.startswith("_")):
            raise FormError(
                f"{name!r} cannot name a form value: use a Python name such as coffee_price "
                "(notebooks refer to it as form.coffee_price)"
            )
        if name in RESERVED_NAMES:
            raise FormError(
                f"{name!r} cannot name a form value: `form.{name}` already means something "
                f"(reserved: {', '.join(sorted(RESERVED_NAMES))}); choose another name"
            )
    for name, value in values.items():
        _check(value, f"form value {name!r}")
    text = json.dumps(dict(values), sort_keys=True, ensure_ascii=False)
    if len(text.encode("utf-8")) > MAX_FORM_BYTES:
        raise FormError(
            f"the form's values are {len(text) // 1024} KB as JSON, more than "
            f"{MAX_FORM_BYTES // 1024} KB; draw less data per form"
        )
    normal: dict[str, Any] = json.loads(text)
    return normal


def public_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a learner may see: all but the ``hidden_`` ones (hidden tests' inputs)."""
    return {k: v for k, v in values.items() if not k.startswith(HIDDEN_PREFIX)}


def preview_seed(course: str, unit: str) -> int:
    """The seed of the preview form (public: anyone can compute it, so it is no learner's)."""
    digest = hashlib.sha256(f"mastery-nb preview form\0{course}\0{unit}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


def draw(fn: Callable[[random.Random], object], seed: int) -> dict[str, Any]:
    """Call the author's form function with a generator seeded by ``seed``; the values.

    The same seed always gives the same values (``random.Random`` is reproducible), so a
    form is the same wherever it is drawn. Raises :class:`FormError` when the function
    returns something that is not a form, and whatever the function itself raises.
    """
    return normalise_values(fn(random.Random(seed)))


class FormValues(Mapping[str, Any]):
    """One form's values, read-only: ``form.coffee_price`` or ``form["coffee_price"]``.

    ``number`` is the form's number (0: the preview); each read returns a copy, so code
    that changes a list it got does not change the form.
    """

    __slots__ = ("_values", "number", "unit")
    _values: dict[str, Any]
    number: int
    unit: str

    def __init__(self, values: Mapping[str, Any], *, unit: str = "", number: int = 0) -> None:
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "number", number)

    @property
    def preview(self) -> bool:
        return self.number == PREVIEW_NUMBER

    def __getitem__(self, name: str) -> Any:
        return copy.deepcopy(self._values[name])

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return copy.deepcopy(values[name])
        known = ", ".join(sorted(values)) or "none"
        raise AttributeError(f"this form has no value {name!r} (it has: {known})")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a form's values cannot be changed")

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        which = "preview form" if self.preview else f"form {self.number}"
        return f"<{which} of {self.unit or 'a unit'}: {', '.join(self._values) or 'no values'}>"

    def as_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._values)


def form_file_bytes(course: str, unit: str, number: int, values: Mapping[str, Any]) -> bytes:
    """``forms/<unit>.json``: the form of a unit as the workspace and the grader keep it
    (its public values: the hidden tests' own never leave the grader's parent process)."""
    data = {
        "schema_version": FORM_SCHEMA_VERSION,
        "course": course,
        "unit": unit,
        "form": number,
        "values": public_values(values),
    }
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read_form_file(course_dir: Path, unit: str) -> FormValues | None:
    """The form in ``<course_dir>/forms/<unit>.json``, or None when absent or unreadable."""
    try:
        data = json.loads((course_dir / form_file_path(unit)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("unit") != unit:
        return None
    number, values = data.get("form"), data.get("values")
    if not isinstance(number, int) or isinstance(number, bool) or not isinstance(values, dict):
        return None
    try:
        return FormValues(normalise_values(values), unit=unit, number=number)
    except FormError:
        return None
