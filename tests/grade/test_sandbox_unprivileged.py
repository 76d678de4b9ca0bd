"""The sandbox as a grader without root would apply it (user namespaces).

The tests run as root, so this one forks, switches to an unprivileged uid first, and then
enters the sandbox exactly as a non-root zygote's child does; it reports what it could do.
"""

from __future__ import annotations

import ctypes
import encodings.idna  # noqa: F401  (imported before the switch: the uid may not read the interpreter)
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from mastery_nb.grade.sandbox import SandboxSpec, enter_sandbox

UID = 61990


def _in_child(write_fd: int, workdir: str, secret_dir: str) -> dict[str, object]:
    os.setgroups([])
    os.setresgid(UID, UID, UID)
    os.setresuid(UID, UID, UID)
    spec = SandboxSpec(
        workdir=workdir, cwd=".", uid=None, hide_paths=(secret_dir,), keep_fds=(write_fd,)
    )
    cwd, notes = enter_sandbox(spec)
    report: dict[str, object] = {"notes": notes, "cwd": cwd, "uid": os.getuid()}
    try:
        report["read"] = Path(secret_dir, "secret.txt").read_text()
    except OSError as exc:
        report["read"] = type(exc).__name__
    libc = ctypes.CDLL(None, use_errno=True)
    report["umount"] = libc.umount2(secret_dir.encode(), 2)  # MNT_DETACH
    report["umount_errno"] = ctypes.get_errno()
    try:
        report["read_after"] = Path(secret_dir, "secret.txt").read_text()
    except OSError as exc:
        report["read_after"] = type(exc).__name__
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=2)
        report["network"] = "connected"
    except OSError as exc:
        report["network"] = type(exc).__name__
    return report


def test_unprivileged_grader_still_hides_paths_and_network() -> None:
    secret_dir = Path(tempfile.mkdtemp(prefix="mastery-nb-secret-", dir="/var/lib"))
    workdir = Path(tempfile.mkdtemp(prefix="mastery-nb-work-", dir="/var/lib"))
    try:
        secret_dir.chmod(0o755)
        (secret_dir / "secret.txt").write_text("s3cret")
        (secret_dir / "secret.txt").chmod(0o644)
        os.chown(workdir, UID, UID)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                report = _in_child(write_fd, str(workdir), str(secret_dir))
            except BaseException as exc:
                import traceback

                report = {"error": repr(exc), "trace": traceback.format_exc()}
            os.write(write_fd, json.dumps(report).encode())
            os._exit(0)
        os.close(write_fd)
        data = b""
        while chunk := os.read(read_fd, 65536):
            data += chunk
        os.waitpid(pid, 0)
        report = json.loads(data)
    finally:
        shutil.rmtree(secret_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
    if "error" in report and "unshare" in str(report["error"]):
        pytest.skip(f"no unprivileged user namespaces here: {report['error']}")
    assert "error" not in report, report
    assert "user namespace" in report["notes"], report
    assert report["read"] == "FileNotFoundError"
    assert report["umount"] == -1 and report["umount_errno"] in (1, 22)  # EPERM / EINVAL
    assert report["read_after"] == "FileNotFoundError"
    assert report["network"] == "OSError"
    assert report["uid"] == 1000
