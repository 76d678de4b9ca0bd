"""The secret that makes a learner's form unpredictable, and the seed of each form.

A learner's form is fixed by (course, unit, learner, form number). Derived from those alone,
anyone who reads the public checks file could compute every classmate's form, and their own
next one. So the seed is an HMAC of them under a random per-course key that only the
backend holds: ``<data dir>/form-keys/<course>.key`` (created on first use, mode 0600). The
service, ``mastery-nb start`` and the grader all read the same data directory, so a form is
the same bytes wherever it is drawn; learners' servers and kernels never see the key (on one
machine, ``mastery-nb demo``, the learner is the owner of the data directory: see
docs/design.md, "What is isolated where").
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from mastery_nb.identity import COURSE_RE

__all__ = ["KEYS_FOLDER", "course_key", "learner_seed"]

KEYS_FOLDER = "form-keys"
_KEY_BYTES = 32


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == _KEY_BYTES else None


def course_key(data_dir: Path, course_id: str) -> bytes:
    """The course's form key, created (atomically, readable by its owner only) if missing.

    Raises ``OSError`` when the data directory cannot hold it, and ``ValueError`` when the
    file exists but is not a key (it is never replaced: every form drawn so far depends on it).
    """
    if not COURSE_RE.match(course_id):
        raise ValueError(f"{course_id!r} is not a course id")
    path = data_dir / KEYS_FOLDER / f"{course_id}.key"
    key = _read(path)
    if key is not None:
        return key
    if path.exists():
        raise ValueError(
            f"{path} is not a form key (64 hexadecimal digits); restore it from a backup: "
            "every learner's form depends on it"
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=".key-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_bytes(_KEY_BYTES).hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        # link, not rename: when two processes race, the first key written wins for both
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    key = _read(path)
    if key is None:
        raise ValueError(f"{path} could not be read back as a form key")
    return key


def learner_seed(key: bytes, course: str, unit: str, learner: str, number: int) -> int:
    """The seed of ``learner``'s form ``number`` of ``unit``: an HMAC-SHA256 under ``key``."""
    message = "\0".join(("mastery-nb form", course, unit, learner, str(number))).encode("utf-8")
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:16], "big")
