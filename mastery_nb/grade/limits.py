"""What one graded notebook may use: time, memory, processes, output, files, network.

The same :class:`Limits` travels from the queue (``mastery-nb grade``) through
:func:`mastery_nb.grade.attempt.grade_attempt` into the sandboxed child, so it is plain,
frozen, JSON-friendly data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["DEFAULT_PRELOAD", "Limits"]

#: Modules the zygote imports once, before any private data exists, so that every
#: submission's fresh child starts with them already imported (the speed of the design).
DEFAULT_PRELOAD: tuple[str, ...] = (
    "IPython",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "mastery_nb.checks",
)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one notebook of one attempt (each notebook runs in its own child).

    ``cell_timeout``: wall-clock seconds one cell may take; the child is interrupted
    (``KeyboardInterrupt``, as nbgrader does) and killed if it does not stop.
    ``notebook_timeout``: wall-clock seconds for the whole notebook; then the child is killed
    and the cells not run score 0.
    ``memory_bytes``: address space the submission may add to what the preloaded
    interpreter already maps (``RLIMIT_AS``/``RLIMIT_DATA``).
    ``max_processes``: processes and threads the sandbox user may have (``RLIMIT_NPROC``).
    ``max_output_bytes``: output one cell may print; past it the cell fails.
    ``max_file_bytes``: largest file the submission may write (``RLIMIT_FSIZE``).
    ``hide_paths``: extra paths the child must not see (the store, the course sources); the
    bundle folder, ``/root`` and ``/home`` are always hidden where the OS allows.
    ``uid_base``: first uid of the range used for sandbox users when grading as root (one
    uid per concurrently running child, so children cannot touch each other).
    ``preload``: modules imported in the zygote before forking.
    """

    cell_timeout: float = 30.0
    notebook_timeout: float = 300.0
    memory_bytes: int = 2 * 1024**3
    max_processes: int = 32
    max_output_bytes: int = 1024**2
    max_file_bytes: int = 64 * 1024**2
    hide_paths: tuple[str, ...] = ()
    uid_base: int = 61000
    uid_count: int = 1000
    interrupt_grace: float = 2.0
    preload: tuple[str, ...] = field(default=DEFAULT_PRELOAD)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("hide_paths", "preload"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)
