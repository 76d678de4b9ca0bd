"""When hints and solutions may be shown: pure rules, so they are testable without a kernel.

Hints are revealed one at a time. A solution is shown only when the author's
``show_solution`` policy allows it: ``"never"``, ``"always"``, ``"after_attempts:N"``
(N checks of this question, counted from the practice log so a kernel restart does not
reset them) or ``"after_mastery"`` (the unit is mastered according to the course progress).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

__all__ = [
    "SERVER_ENV",
    "Gate",
    "SolutionPolicy",
    "ask_server",
    "next_hint",
    "parse_solution_policy",
    "solution_gate",
]

#: where the kernel's Jupyter server is, and the token its kernels present to it
SERVER_ENV = ("MASTERY_NB_SERVER_URL", "MASTERY_NB_KERNEL_TOKEN")
_ASK_TIMEOUT = 5.0

_AFTER_ATTEMPTS = re.compile(r"^after_attempts:(\d{1,4})$")


@dataclass(frozen=True)
class SolutionPolicy:
    """A parsed ``show_solution`` value."""

    mode: str  #: "never" | "always" | "after_attempts" | "after_mastery"
    attempts: int = 0

    def __str__(self) -> str:
        return f"after_attempts:{self.attempts}" if self.mode == "after_attempts" else self.mode


def parse_solution_policy(value: str) -> SolutionPolicy:
    """Parse ``show_solution``; raise ``ValueError`` naming the accepted forms."""
    text = value.strip()
    if text in ("never", "always", "after_mastery"):
        return SolutionPolicy(text)
    m = _AFTER_ATTEMPTS.match(text)
    if m and int(m.group(1)) >= 1:
        return SolutionPolicy("after_attempts", int(m.group(1)))
    raise ValueError(
        f"show_solution={value!r} is not understood; use 'never', 'always', "
        "'after_attempts:N' (N >= 1) or 'after_mastery'"
    )


@dataclass(frozen=True)
class Gate:
    """Whether something may be shown, and if not, a sentence saying when it will be."""

    allowed: bool
    message: str = ""


def solution_gate(
    policy: SolutionPolicy, *, has_solution: bool, attempts: int, mastered: bool | None
) -> Gate:
    """May the solution be shown now?

    ``attempts`` counts this question's checks so far; ``mastered`` is the unit's mastery
    from the course progress, or ``None`` when no progress is available (then an
    ``after_mastery`` solution stays hidden).
    """
    if not has_solution:
        return Gate(False, "There is no worked solution for this question.")
    if policy.mode == "always":
        return Gate(True)
    if policy.mode == "never":
        return Gate(False, "The author keeps this solution hidden; use the hints.")
    if policy.mode == "after_attempts":
        if attempts >= policy.attempts:
            return Gate(True)
        left = policy.attempts - attempts
        return Gate(
            False,
            f"The solution becomes available after {policy.attempts} checks of this question "
            f"({left} more to go).",
        )
    if mastered:
        return Gate(True)
    return Gate(
        False,
        "The solution becomes available once you have mastered this unit "
        "(submit it from the Mastery sidebar).",
    )


def next_hint(hints: tuple[str, ...], shown: int) -> tuple[int, str]:
    """The next hint to reveal after ``shown`` hints: ``(new_shown, text)``.

    Once every hint is out, the last one is repeated with a note instead of failing.
    """
    if not hints:
        return 0, "There are no hints for this question."
    if shown >= len(hints):
        return len(hints), f"Hint {len(hints)} of {len(hints)} (no more hints): {hints[-1]}"
    return shown + 1, f"Hint {shown + 1} of {len(hints)}: {hints[shown]}"


def ask_server(unit: str, question: str = "unit") -> bool | None:
    """Ask this kernel's Jupyter server whether ``unit`` is mastered (None: cannot tell).

    The server answers from its backend (the store on one machine, the mastery service
    on a hub) for its own learner only; the kernel sends the per-server kernel token the
    server put in its environment. No server (nbclient, the grader, an author's checkout)
    means None.
    """
    url, token = (os.environ.get(name, "") for name in SERVER_ENV)
    if not url or not token:
        return None
    path = "mastery/api/units/{}/solutions/{}".format(
        urllib.parse.quote(unit, safe=""), urllib.parse.quote(question, safe="")
    )
    request = urllib.request.Request(
        url.rstrip("/") + "/" + path, headers={"X-Mastery-Kernel-Token": token}
    )
    try:
        with urllib.request.urlopen(request, timeout=_ASK_TIMEOUT) as response:
            answer = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    mastered = answer.get("unit_mastered") if isinstance(answer, dict) else None
    return mastered if isinstance(mastered, bool) else None
