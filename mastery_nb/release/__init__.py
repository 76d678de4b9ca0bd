"""``mastery-nb release``: the student version (``release/<course>/``) and the private grading
bundle (``autograder/<course>/``) of a validated course, byte for byte reproducible."""

from mastery_nb.release.build import (
    ReleaseOutput,
    build_release,
    release_course,
    stale_files,
    write_release,
)

__all__ = ["ReleaseOutput", "build_release", "release_course", "stale_files", "write_release"]
