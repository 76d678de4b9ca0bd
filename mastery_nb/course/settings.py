"""``[grading]`` of ``course.toml``: read, checked, and turned into
:class:`~mastery_nb.course.model.GradingSettings`.

Durations are written ``"30s"``, ``"2m"``, ``"1m30s"`` or a number of seconds; sizes
``"512MiB"``, ``"2GiB"``, ``"1MB"`` or a number of bytes. Every mistake is a
:class:`~mastery_nb.errors.Problem` naming the key and the fix, like the rest of the
manifest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parsers are light: `grade --cell-timeout 5s` needs no course model
    from mastery_nb.course.model import GradingSettings

__all__ = ["GRADING_KEYS", "parse_bytes", "parse_seconds", "read_grading"]

GRADING_KEYS = ("cell_timeout", "notebook_timeout", "memory", "output_limit", "preload")

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$"
)
_SIZE = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[KMGT]?i?B?)$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

#: bounds of each setting: (lowest, highest)
_SECONDS_RANGE = (0.1, 24 * 3600.0)
_MEMORY_RANGE = (64 * 1024**2, 256 * 1024**3)
_OUTPUT_RANGE = (1024, 1024**3)


def parse_seconds(value: object) -> float:
    """Seconds in ``"30s"``, ``"2m"``, ``"1h30m"``, ``"1.5s"`` or a number."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (found := _DURATION.match(value.strip())) and value.strip():
        try:
            seconds = float(value.strip())
        except ValueError:
            parts = found.groupdict(default="0")
            seconds = float(parts["h"]) * 3600 + float(parts["m"]) * 60 + float(parts["s"])
    else:
        try:
            seconds = float(str(value).strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a duration (write 30s, 2m or 1m30s)") from None
    low, high = _SECONDS_RANGE
    if not low <= seconds <= high:
        raise ValueError(f"{value!r} is outside {low:g} s to {high / 3600:g} h")
    return seconds


def parse_bytes(value: object) -> int:
    """Bytes in ``"512MiB"``, ``"2GiB"``, ``"1MB"``, ``"64k"`` or a number."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size")
    if isinstance(value, int):
        return value
    found = _SIZE.match(str(value).strip())
    if not found:
        raise ValueError(f"{value!r} is not a size (write 512MiB, 2GiB or 1MB)")
    unit = found.group("unit").upper()
    letter = unit[:1] if unit[:1] in "KMGT" else ""
    scale = 1024 ** ("KMGT".index(letter) + 1) if letter and "I" in unit else _UNITS[letter]
    return int(float(found.group("n")) * scale)


def _size_in(value: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(
            f"{value:,} bytes is outside {low // 1024:,} KiB to {high // 1024**3:,} GiB"
        )
    return value


def read_grading(
    table: Mapping[str, Any], problem: Callable[[str, str, str], None]
) -> GradingSettings:
    """The settings of a ``[grading]`` table; each mistake goes to ``problem(place, message,
    fix)`` and that setting keeps its default."""
    values: dict[str, Any] = {}
    checks: list[tuple[str, str, Callable[[Any], Any], str]] = [
        ("cell_timeout", "cell_timeout", parse_seconds, 'write cell_timeout = "30s" (or "2m")'),
        ("notebook_timeout", "notebook_timeout", parse_seconds, 'write notebook_timeout = "5m"'),
        (
            "memory",
            "memory_bytes",
            lambda v: _size_in(parse_bytes(v), _MEMORY_RANGE),
            'write memory = "2GiB" (64 MiB to 256 GiB)',
        ),
        (
            "output_limit",
            "output_bytes",
            lambda v: _size_in(parse_bytes(v), _OUTPUT_RANGE),
            'write output_limit = "1MiB" (1 KiB to 1 GiB)',
        ),
    ]
    for key, field, parse, fix in checks:
        if key in table:
            try:
                values[field] = parse(table[key])
            except ValueError as error:
                problem(f"grading.{key}", str(error), fix)
    if "preload" in table:
        raw = table["preload"]
        if not isinstance(raw, list):
            problem(
                "grading.preload",
                "should be a list of module names",
                'write preload = ["scipy", "seaborn"]',
            )
        else:
            names: list[str] = []
            for index, name in enumerate(raw):
                if isinstance(name, str) and _MODULE.match(name.strip()):
                    names.append(name.strip())
                else:
                    problem(
                        f"grading.preload[{index}]",
                        f"{name!r} is not a module name",
                        "write the name you would import, such as scipy.stats",
                    )
            values["preload"] = tuple(dict.fromkeys(names))
    from mastery_nb.course.model import GradingSettings

    settings = GradingSettings(**values)
    if settings.cell_timeout > settings.notebook_timeout:
        problem(
            "grading.cell_timeout",
            f"cell_timeout ({settings.cell_timeout:g} s) is longer than notebook_timeout "
            f"({settings.notebook_timeout:g} s)",
            "make cell_timeout at most notebook_timeout",
        )
        settings = settings.model_copy(update={"cell_timeout": settings.notebook_timeout})
    return settings
