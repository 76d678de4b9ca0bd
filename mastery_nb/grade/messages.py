"""What a grading message may show the learner: bounded, and never a hidden test.

A test cell's message is the exception its run raised: the test's own ``assert`` (with
the author's message) or an exception learner code raised, with whatever text learner
code put in it. The sandbox keeps the hidden tests out of learner code's reach (see
docs/security.md); this is the second line, in the grader, which holds the bundle:

- a message is cut to :data:`MAX_CHARS` characters and :data:`MAX_LINES` lines;
- any line that shows material of a hidden test (one of its lines, a string literal of
  it other than an ``assert`` message, a number of three or more characters), as it is
  or encoded (base64, hex, reversed, ROT13, percent-encoding, character codes) is
  withheld.
"""

from __future__ import annotations

import ast
import base64
import binascii
import codecs
import contextlib
import functools
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from mastery_nb.course.bundle import BundleCell, hidden_lines

__all__ = [
    "MAX_CHARS",
    "MAX_LINES",
    "WITHHELD",
    "HiddenMaterial",
    "bound_message",
    "hidden_material",
]

MAX_CHARS = 500
MAX_LINES = 8
WITHHELD = "[part of this message is withheld: it would show a hidden test]"

_B64 = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}[\s:,]?){8,}")
_CODES = re.compile(r"(?:\d{2,3}[\s,;]+){6,}\d{2,3}")


@dataclass(frozen=True)
class HiddenMaterial:
    """What of a unit's hidden tests must never reach a learner (shared by every attempt
    of the unit: immutable)."""

    lines: frozenset[str] = frozenset()
    literals: frozenset[str] = frozenset()
    public: frozenset[str] = frozenset()  #: what the released cells show anyway
    #: ``public`` casefolded, longest first, and ``literals`` casefolded: worked out once,
    #: not for every line and decoding of every message
    _public_folded: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _literals_folded: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_length = sorted(self.public, key=len, reverse=True)
        object.__setattr__(self, "_public_folded", tuple(p.casefold() for p in by_length))
        object.__setattr__(self, "_literals_folded", tuple(x.casefold() for x in self.literals))

    def __bool__(self) -> bool:
        return bool(self.lines or self.literals)

    def found_in(self, text: str) -> bool:
        """Does ``text`` show a hidden line, or a hidden literal other than inside something
        the learner's released cells show (their station "perth_metro" is no sign of a
        hidden "Perth"; a hidden "perth_metro_2" in it still is)?"""
        if any(piece in text for piece in self.lines):
            return True
        folded = text.casefold()
        found = [
            (start, start + len(literal))
            for literal in self._literals_folded
            for start in _occurrences(folded, literal)
        ]
        if not found:  # the common case: no hidden literal at all, nothing to excuse
            return False
        shown = [
            (start, start + len(piece))
            for piece in self._public_folded
            for start in _occurrences(folded, piece)
        ]
        return any(
            not any(begin <= start and end <= stop for begin, stop in shown) for start, end in found
        )


def _occurrences(text: str, piece: str) -> Iterable[int]:
    """Where ``piece`` starts in ``text``, overlapping occurrences included."""
    start = text.find(piece)
    while start != -1:
        yield start
        start = text.find(piece, start + 1)


def _parts(source: str) -> tuple[str, str]:
    """(the public part, the hidden tests) of a test cell's source, by the bundle's own
    reading of its hidden regions (markers excluded)."""
    hidden = {number for number, _ in hidden_lines(source)}
    lines = source.splitlines()
    public = [line for number, line in enumerate(lines, start=1) if number not in hidden]
    secret = [
        line
        for number, line in enumerate(lines, start=1)
        if number in hidden and not line.strip().startswith(("### BEGIN HIDDEN", "### END HIDDEN"))
    ]
    return "\n".join(public), "\n".join(secret)


def _literals(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return set()
    messages = {
        id(node.msg) for node in ast.walk(tree) if isinstance(node, ast.Assert) and node.msg
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in messages:
            continue
        if isinstance(node.value, str) and len(node.value.strip()) >= 4:
            found.add(node.value.strip())
        elif isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool):
            text = repr(node.value)
            if len(text) >= 3:
                found.add(text)
    return found


def hidden_material(cells: Iterable[BundleCell]) -> HiddenMaterial:
    """The hidden lines and literals of a unit's code cells, less what the learner sees
    anyway: the public part of each test cell, and every other cell as it was handed out
    (a setup cell with the learner's own form values, such as their station's name). A
    message that names a value of the learner's own notebook is not withheld because a
    hidden test happens to use the same word.

    Every attempt of a unit has the same cells: the material is worked out once per run
    from their sources (parsing them took 3-4 ms of each attempt's clock)."""
    return _material_of(tuple(cell.source for cell in cells if cell.cell_type == "code"))


@functools.lru_cache(maxsize=64)
def _material_of(sources: tuple[str, ...]) -> HiddenMaterial:
    lines: set[str] = set()
    literals: set[str] = set()
    public_literals: set[str] = set()
    for source in sources:
        public, hidden = _parts(source)
        public_literals |= _literals(public)
        lines.update(s.strip() for s in hidden.splitlines() if len(s.strip()) >= 6)
        literals |= _literals(hidden)
    return HiddenMaterial(
        lines=frozenset(lines),
        literals=frozenset(literals - public_literals),
        public=frozenset(p for p in public_literals if len(p) >= 4),
    )


def _decodings(line: str) -> Iterable[str]:
    """The line and what it says in the encodings a learner could use to smuggle text."""
    yield line
    yield line[::-1]
    yield codecs.decode(line, "rot13")
    if "%" in line:
        yield urllib.parse.unquote(line)
    for token in _B64.findall(line):
        for candidate in (token, token + "=" * (-len(token) % 4)):
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                with contextlib.suppress(binascii.Error, ValueError):
                    yield decode(candidate).decode("utf-8", "ignore")
    for token in _HEX.findall(line):
        with contextlib.suppress(ValueError):
            yield bytes.fromhex(re.sub(r"[\s:,]", "", token)).decode("utf-8", "ignore")
    for token in _CODES.findall(line):
        codes = [int(c) for c in re.findall(r"\d+", token)]
        yield "".join(chr(c) for c in codes if 0 < c < 0x110000)


def bound_message(text: str, hidden: HiddenMaterial) -> str:
    """``text`` cut to the bounds, with every line that shows hidden material withheld.

    A class's messages repeat (the same failed ``assert``, the same ``NameError``): each
    is filtered once per unit (cached), not once per attempt on the attempt's clock."""
    return _bounded(text[: MAX_CHARS * 4], hidden)


@functools.lru_cache(maxsize=4096)
def _bounded(text: str, hidden: HiddenMaterial) -> str:
    lines = text.splitlines() or [""]
    kept: list[str] = []
    withheld = False
    for line in lines:
        if hidden and any(hidden.found_in(form) for form in _decodings(line)):
            withheld = True
        else:
            kept.append(line)
    if hidden and kept:
        joined = "".join(kept)
        for spread in (joined, re.sub(r"\s+", "", joined)):  # one piece a line
            if any(hidden.found_in(form) for form in _decodings(spread)):
                kept, withheld = [], True
                break
    shown = "\n".join(kept[:MAX_LINES])
    if len(shown) > MAX_CHARS:
        shown = shown[: MAX_CHARS - 1] + "…"
    elif len(kept) > MAX_LINES:
        shown += "\n…"
    if withheld:
        shown = f"{shown}\n{WITHHELD}" if shown else WITHHELD
    return shown
