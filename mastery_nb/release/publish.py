"""Publishing the student version only, and noticing a course root that is published whole.

nbgitpuller hands students a whole git repository. A course root's repository holds
``courses/`` (solutions) and ``autograder/`` (hidden tests), so it must never be the one
students pull. ``mastery-nb release COURSE --publish DEST`` writes ``release/<course>/``,
and nothing else, into its own git repository ``DEST`` and commits it; the instructor pushes
that repository and points nbgitpuller at it.

:func:`published_root_warnings` is the check behind ``mastery-nb validate``'s warning. The
rule (docs/authoring.md): the course root is inside a git work tree that tracks files under
``courses/`` or ``autograder/`` and has a remote that others can fetch (any remote URL that
is not a local path). We cannot see who may fetch it, so this is a warning, not an error.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mastery_nb.errors import MasteryError, Problem
from mastery_nb.root import CourseRoot

__all__ = ["Published", "publish_release", "published_root_warnings"]

_COMMITTER = ["-c", "user.name=mastery-nb", "-c", "user.email=mastery-nb@localhost"]


@dataclass(frozen=True)
class Published:
    destination: Path
    files: int
    commit: str | None  #: None when the release was already there (nothing to commit)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=False, timeout=120
    )


def _toplevel(folder: Path) -> Path | None:
    """The work tree ``folder`` is in, or None (not in one, or no git)."""
    try:
        done = _git(folder, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 else None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def publish_release(root: CourseRoot, course_id: str, destination: Path) -> Published:
    """Copy ``release/<course>/`` into the git repository ``destination`` and commit it.

    ``destination`` is created (``git init``) when missing or empty; an existing folder must
    be a git repository of its own. Files of an earlier publication that the release no
    longer has are removed. Refused, writing nothing, when ``destination`` is or holds the
    course root, lies inside it, or belongs to the course root's own repository.
    """
    release = root.course_release(course_id)
    if not (release / "course.json").is_file():
        raise MasteryError(
            Problem(
                root.relative(release),
                "",
                f"course '{course_id}' has no student release to publish",
                f"run `mastery-nb release {course_id}` first",
            )
        )
    target = destination.expanduser().resolve()

    def refuse(message: str, fix: str) -> MasteryError:
        return MasteryError(Problem(str(destination), "", message, fix))

    fix = "publish to a folder outside the course root, e.g. ../<course>-student"
    if _inside(root.path, target) or _inside(target, root.path):
        raise refuse("is the course root, or inside it, or holds it", fix)
    source_repo = _toplevel(root.path)
    if target.exists() and not target.is_dir():
        raise refuse("exists and is not a folder", fix)
    if target.is_dir() and any(target.iterdir()):
        repo = _toplevel(target)
        if repo != target:
            raise refuse(
                "is a folder with files that is not a git repository of its own",
                "give an empty or new folder, or a repository made by an earlier --publish",
            )
        if source_repo is not None and repo == source_repo:
            raise refuse("belongs to the course root's own repository", fix)
    else:
        target.mkdir(parents=True, exist_ok=True)
        made = _git(target, "init", "-q")
        if made.returncode != 0:
            raise refuse(f"git init failed: {made.stderr.strip()}", "install git, or check the folder")

    for entry in target.iterdir():
        if entry.name == ".git":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    files = 0
    for path in sorted(release.rglob("*")):
        if path.is_file():
            copy = target / path.relative_to(release)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            files += 1
    _git(target, "add", "--all", ".")
    if _git(target, "diff", "--cached", "--quiet").returncode == 0:
        return Published(target, files, None)
    done = _git(target, *_COMMITTER, "commit", "-q", "-m", f"Student release of {course_id}")
    if done.returncode != 0:
        raise refuse(f"git commit failed: {done.stderr.strip()}", "check the repository")
    commit = _git(target, "rev-parse", "--short", "HEAD").stdout.strip()
    return Published(target, files, commit or None)


def _fetchable(url: str) -> bool:
    """A remote others can reach: a URL or ``host:path``, not a path on this machine."""
    if url.startswith(("/", "./", "../", "~", "file:")):
        return False
    return "://" in url or (":" in url and not Path(url).exists())


def published_root_warnings(root: CourseRoot) -> list[Problem]:
    """A warning when the course root's repository, solutions and hidden tests included,
    has a remote: students served that repository (nbgitpuller) would get them."""
    repo = _toplevel(root.path)
    if repo is None:
        return []
    tracked = _git(repo, "ls-files", "--", str(root.courses_dir), str(root.autograder_dir))
    if tracked.returncode != 0 or not tracked.stdout.strip():
        return []
    remotes = _git(repo, "remote", "-v").stdout.splitlines()
    urls = sorted({line.split()[1] for line in remotes if len(line.split()) >= 2})
    shared = [url for url in urls if _fetchable(url)]
    if not shared:
        return []
    return [
        Problem(
            str(repo),
            "",
            f"this course root is a git repository with a remote ({', '.join(shared)}) and it "
            "tracks courses/ and autograder/: solutions and hidden tests. Students given this "
            "repository (nbgitpuller) get them too",
            "serve students only the student version: `mastery-nb release COURSE --publish "
            "../COURSE-student`, push that repository and point nbgitpuller at it; keep this "
            "one private",
        )
    ]
