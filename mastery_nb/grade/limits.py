"""What one graded notebook may use: time, memory, processes, output, files, network.

The same :class:`Limits` travels from the queue (``mastery-nb grade``) through
:func:`mastery_nb.grade.attempt.grade_attempt` into the sandboxed child, so it is plain,
frozen, JSON-friendly data. A course's ``[grading]`` settings
(:class:`~mastery_nb.course.model.GradingSettings`) become limits with
:meth:`Limits.for_course`; ``mastery-nb grade --cell-timeout`` etc. override them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the worker imports this module: keep it free of the course package
    from mastery_nb.course.model import GradingSettings

__all__ = [
    "DEFAULT_CELL_TIMEOUT",
    "DEFAULT_MEMORY_BYTES",
    "DEFAULT_NOTEBOOK_TIMEOUT",
    "DEFAULT_OUTPUT_BYTES",
    "DEFAULT_PRELOAD",
    "Limits",
]

#: the defaults of a course's ``[grading]`` settings (one home: the course model reads them)
DEFAULT_CELL_TIMEOUT = 30.0
DEFAULT_NOTEBOOK_TIMEOUT = 300.0
DEFAULT_MEMORY_BYTES = 2 * 1024**3
DEFAULT_OUTPUT_BYTES = 1024**2

#: Modules every worker imports once, before any private data exists, so that every
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
    ``hide_paths``: paths never shown to the child, even inside a folder it may see (the
    store, the course sources); the bundle and the course's private folders always are.
    ``uid_base``: first uid of the range used for sandbox users when grading as root (one
    uid per concurrently running child, so children cannot touch each other).
    ``after_timeout``: time each later cell of a notebook may run once one of its cells ran
    out of time (at most ``cell_timeout``): a looping answer loops again in every test
    that calls it, and costs one timeout, not one per test.
    ``nice``: how much lower than the grader's the CPU priority of the zygote and its
    children is (``nice(2)``; the child cannot raise it back): on a machine that also
    serves learners, a burst of grading yields the CPU to the service's answers, the
    sidebar and learners' own kernels; on a machine that only grades, nothing is slower.
    ``preload``: modules the workers import before forking (speed, and protection).
    ``require``: modules the course needs (its ``[grading] preload``): when one cannot be
    imported, grading is a grader error, not the learner's zero.
    ``warm``: modules the courses' bundles import (:mod:`mastery_nb.grade.preload`), imported
    by the workers too when they can be, skipped quietly when not.
    """

    cell_timeout: float = DEFAULT_CELL_TIMEOUT
    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    max_processes: int = 32
    max_output_bytes: int = DEFAULT_OUTPUT_BYTES
    max_file_bytes: int = 64 * 1024**2
    hide_paths: tuple[str, ...] = ()
    uid_base: int = 61000
    uid_count: int = 1000
    interrupt_grace: float = 2.0
    after_timeout: float = 1.0
    nice: int = 10
    preload: tuple[str, ...] = field(default=DEFAULT_PRELOAD)
    require: tuple[str, ...] = ()
    warm: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("hide_paths", "preload", "require", "warm"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)

    def for_course(self, settings: GradingSettings, **overrides: Any) -> Limits:
        """These limits with a course's ``[grading]`` settings, then ``overrides`` (the
        command line's), laid over them."""
        preload = tuple(dict.fromkeys((*self.preload, *settings.preload)))
        values: dict[str, Any] = {
            "cell_timeout": settings.cell_timeout,
            "notebook_timeout": settings.notebook_timeout,
            "memory_bytes": settings.memory_bytes,
            "max_output_bytes": settings.output_bytes,
            "preload": preload,
            "require": settings.preload,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(self, **values)
