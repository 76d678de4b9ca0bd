"""``mastery-nb demo``: the whole mastery loop on one machine.

Copies the sample course (``courses/intro-data-science`` of the course root, by default the
current folder) into a scratch folder, releases it there with the real ``release`` code,
and starts JupyterLab with the Mastery sidebar and the in-process grader on SQLite::

    <scratch>/course-root/   courses/, release/, autograder/, .mastery-data/ (the store)
    <scratch>/workspace/     what JupyterLab shows; started units appear here

The scratch folder is a new temporary folder (printed), or ``--dir DIR``. Nothing is
written to the source course root. Stop with Ctrl+C.

``--hub`` runs the same course on a real JupyterHub instead (:mod:`mastery_nb.demo.hub_cli`).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser
from mastery_nb.errors import EXIT_FAILURE, EXIT_OK, MasteryError, Problem
from mastery_nb.root import CourseRoot, shown_db_url

__all__ = ["DEFAULT_COURSE", "prepare_demo", "register", "run"]

DEFAULT_COURSE = "intro-data-science"
START_TIMEOUT = 120.0


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "demo",
        description="Release the sample course into a scratch folder and start JupyterLab there "
        "with the Mastery sidebar and the in-process grader (SQLite). Prints the URL.",
    )
    add_root_options(parser)
    parser.add_argument(
        "--course", default=DEFAULT_COURSE, help=f"course to run (default: {DEFAULT_COURSE})"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port for JupyterLab (default: a free one)"
    )
    parser.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--dir",
        default=None,
        metavar="DIR",
        help="scratch folder to use (default: a new temporary folder); reused if it exists",
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    parser.add_argument(
        "--hub",
        action="store_true",
        help="a real JupyterHub instead: two students and an instructor, the mastery service "
        "(needs the [hub] extra and configurable-http-proxy; prints how to log in)",
    )
    parser.set_defaults(func=run)


def _free_port(ip: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((ip, 0))
        return int(s.getsockname()[1])


def _course_source(source: CourseRoot, course_id: str) -> Path:
    """The course's source folder: in the course root, else the sample course shipped with
    mastery-nb (the checkout of an editable install, or ``<prefix>/share/mastery-nb``)."""
    in_root = source.course_source(course_id)
    if (in_root / "course.toml").is_file() or course_id != DEFAULT_COURSE:
        return in_root
    checkout = Path(__file__).resolve().parent.parent.parent
    installed = Path(sys.prefix) / "share" / "mastery-nb" / "courses"
    for shipped in (checkout / "courses" / course_id, installed / course_id):
        if (shipped / "course.toml").is_file():
            return shipped
    return in_root


def prepare_demo(
    source: CourseRoot,
    course_id: str,
    scratch: Path,
    *,
    data_dir: str | None = None,
    db_url: str | None = None,
) -> tuple[CourseRoot, Path]:
    """Copy the course source into ``scratch/course-root`` and release it; return (root, workspace).

    The store is SQLite in ``scratch/course-root/.mastery-data`` unless ``data_dir`` /
    ``db_url`` (``--data-dir`` / ``--db``, or the environment) say otherwise.
    """
    from mastery_nb.release.build import release_course

    course_source = _course_source(source, course_id)
    if not (course_source / "course.toml").is_file():
        raise MasteryError(
            Problem(
                file=str(course_source / "course.toml"),
                place="",
                message=f"the course '{course_id}' is not here",
                fix="run `mastery-nb demo` in the mastery-nb repository (it holds courses/"
                f"{DEFAULT_COURSE}), or pass --root DIR with a course root that has courses/{course_id}/",
            )
        )
    root_path = scratch / "course-root"
    workspace = scratch / "workspace"
    target = root_path / "courses" / course_id
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        course_source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    workspace.mkdir(parents=True, exist_ok=True)
    root = CourseRoot.at(root_path, data_dir=data_dir or root_path / ".mastery-data", db_url=db_url)
    release_course(root, course_id)
    return root, workspace


def _server_config(root: CourseRoot, course_id: str, workspace: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"mastery_nb.server": True}},
        "MasteryApp": {
            "course_root": str(root.path),
            "course_id": course_id,
            "data_dir": str(root.data_dir),
            "db_url": root.db_url,
            "workspace_dir": str(workspace),
            "grade_in_process": True,
        },
    }


def _wait_ready(url: str, token: str, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    request = urllib.request.Request(
        f"{url}api/status", headers={"Authorization": f"token {token}"}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(request, timeout=5):
                return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    return False


def release_into_scratch(
    args: argparse.Namespace, prefix: str = "mastery-nb-demo-"
) -> tuple[Path, CourseRoot, Path]:
    """The scratch folder (``--dir``, else a new temporary one) with the course released
    into it, said as it happens; (scratch, course root, workspace)."""
    source = CourseRoot.at(args.root)
    if args.dir:
        scratch = Path(args.dir).resolve()
        scratch.mkdir(parents=True, exist_ok=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix=prefix))
    print(f"demo: scratch course root in {scratch} (delete it when you are done)", flush=True)
    print(f"demo: releasing {args.course} from {_course_source(source, args.course)}", flush=True)
    root, workspace = prepare_demo(
        source, args.course, scratch, data_dir=args.data_dir, db_url=args.db
    )
    print(f"demo: the store is {shown_db_url(root.db_url)}", flush=True)
    return scratch, root, workspace


def run(args: argparse.Namespace) -> int:
    if args.hub:
        from mastery_nb.demo.hub_cli import run_hub

        return run_hub(args)
    scratch, root, workspace = release_into_scratch(args)

    config_file = scratch / "jupyter_demo_config.json"
    config_file.write_text(
        json.dumps(_server_config(root, args.course, workspace), indent=1), encoding="utf-8"
    )
    settings = scratch / "lab-settings"
    notification = (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True, exist_ok=True)
    # a demo starts without JupyterLab's own "get notified about news?" prompt over the course
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = args.port or _free_port(args.ip)
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={config_file}",
        f"--ServerApp.ip={args.ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={workspace}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        f"--LabApp.user_settings_dir={settings}",
    ]
    if os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")
    env = {k: v for k, v in os.environ.items() if k not in ("MASTERY_NB_DATA_DIR", "MASTERY_NB_DB")}
    log = scratch / "jupyterlab.log"
    print(f"demo: starting JupyterLab (log: {log})", flush=True)
    with log.open("ab") as out:
        # its own session: a Ctrl+C reaches only this command, which stops JupyterLab cleanly
        process = subprocess.Popen(
            command,
            cwd=workspace,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://{args.ip}:{port}/"

    def _stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # run the clean-up below on SIGTERM / SIGHUP too

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    try:
        if not _wait_ready(base, token, process):
            tail = log.read_text(errors="replace")[-2000:]
            print(f"error: JupyterLab did not start; the end of {log}:\n{tail}", file=sys.stderr)
            return EXIT_FAILURE
        url = f"{base}lab?token={token}"
        print(
            f"demo: JupyterLab is running with the Mastery sidebar (the star on the left):\n\n    {url}\n",
            flush=True,
        )
        print(
            "demo: start unit 1 from the sidebar, submit, read the feedback, resubmit. "
            "Ctrl+C stops the demo.",
            flush=True,
        )
        if not args.no_browser:
            webbrowser.open(url)
        process.wait()
        return (
            EXIT_OK if process.returncode in (0, -signal.SIGINT, -signal.SIGTERM) else EXIT_FAILURE
        )
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        if process.poll() is None:
            print("demo: stopping JupyterLab", flush=True)
            process.terminate()  # SIGTERM: JupyterLab shuts kernels and the grader down
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
