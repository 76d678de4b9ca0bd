"""``mastery-nb release``: the student version (``release/<course>/``) and the private grading
bundle (``autograder/<course>/``) of a validated course, byte for byte reproducible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.release.build import ReleaseOutput, build_release, release_course, stale_files, write_release

__all__ = [
    "ReleaseOutput",
    "build_release",
    "release_course",
    "stale_files",
    "write_release",
]

# imported on first use, so that `mastery-nb VERB --help` does not load them
__getattr__ = lazy_exports(
    __name__,
    {
        "ReleaseOutput": "mastery_nb.release.build",
        "build_release": "mastery_nb.release.build",
        "release_course": "mastery_nb.release.build",
        "stale_files": "mastery_nb.release.build",
        "write_release": "mastery_nb.release.build",
    },
)
