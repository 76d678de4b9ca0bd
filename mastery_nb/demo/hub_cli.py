"""``mastery-nb demo --hub``: a real JupyterHub on this machine with the mastery service.

Releases the sample course into a scratch folder (as ``mastery-nb demo`` does), then starts
``jupyterhub`` with configurable-http-proxy, the shared-password authenticator (two
students and an instructor, one printed password), the mastery service as a hub-managed
service on SQLite (the hub starts and stops it), and a JupyterLab per user when they log
in (:mod:`mastery_nb.demo.hub`)::

    <scratch>/course-root/   courses/, release/, autograder/ (0700), .mastery-data/ (0700)
    <scratch>/hub/           jupyterhub_config.py, hub-settings.json, the hub's database, its log (0700)
    <scratch>/homes/<user>/  each user's JupyterLab folder; started units appear there

Ctrl+C (or SIGTERM) stops the hub, which stops every user's server, the service and the
proxy. What the demo does not isolate is printed (:data:`NOT_ISOLATED`) and in
docs/jupyterhub.md.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

from mastery_nb.demo.cli import _free_port, release_into_scratch
from mastery_nb.demo.hub import LocalHub, find_proxy, private_folder, write_hub_config
from mastery_nb.errors import EXIT_FAILURE, EXIT_OK, MasteryError, Problem

__all__ = ["INSTRUCTOR", "NOT_ISOLATED", "STUDENTS", "run_hub"]

STUDENTS = ("ada", "bob")
INSTRUCTOR = "prof"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

NOT_ISOLATED = """\
demo: what this demo does NOT isolate: every user's JupyterLab and kernels run as {user}, the
      OS user running the demo, as the mastery service does. So a notebook of ada's can read
      bob's folder, the course's autograder/ (hidden tests) and the store in {data}.
      What it does show is a real hub's wiring: the students' servers hold no database URL and
      no path to autograder/, reach the service only with their own hub token, and the service
      refuses another learner's data (403). On a real hub each student's server runs as that
      student (a system user, as The Littlest JupyterHub does, or their own container on
      Kubernetes) and the service as another user, so file modes keep them apart:
      docs/jupyterhub.md."""


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _wait_ready(hub: LocalHub, process: subprocess.Popen[bytes], log: Path) -> str | None:
    """None once the hub and the service answer through the proxy; else why not."""
    deadline = time.monotonic() + START_TIMEOUT
    urls = [f"{hub.public_url}hub/api/", f"{hub.public_url}services/mastery/api/health"]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"jupyterhub exited with {process.returncode}"
        try:
            if all(_get(url) == 200 for url in urls):
                return None
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return f"the hub did not answer at {urls[0]} within {START_TIMEOUT:.0f} s"


def _check_hub_installed() -> None:
    try:
        import jupyterhub  # noqa: F401
    except ModuleNotFoundError:
        raise MasteryError(
            Problem(
                "mastery-nb demo --hub",
                "",
                "JupyterHub is not installed in this environment",
                "pip install 'mastery-nb[hub]' (or `bash scripts/setup.sh hub`)",
            )
        ) from None


def _print_logins(hub: LocalHub, course: str) -> None:
    url = hub.public_url
    width = max(len(name) for name in (*STUDENTS, INSTRUCTOR))
    rows = [f"      {name:<{width}}  a student of {course}" for name in STUDENTS]
    rows.append(
        f"      {INSTRUCTOR:<{width}}  the instructor of {course}: after logging in, open "
        f"{url}services/mastery/"
    )
    print(
        f"demo: JupyterHub is running with the mastery service and the course {course}:\n\n"
        f"    {url}\n\n"
        f"demo: log in (the hub's login page) as one of these, each with the password "
        f"{hub.password}\n" + "\n".join(rows) + "\n"
        "demo: a student opens the Mastery sidebar (the star on the left), starts unit 1, "
        "submits, reads the feedback and resubmits; use a private window per user to be "
        "several at once.\n",
        flush=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the hub: it stops every user's server, the service and the proxy."""
    if process.poll() is None:
        print("demo: stopping the hub, the users' servers, the service and the proxy", flush=True)
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)  # anything it left in its own group


def run_hub(args: argparse.Namespace) -> int:
    """The ``--hub`` branch of ``mastery-nb demo``."""
    _check_hub_installed()
    proxy = find_proxy()
    scratch, root, _ = release_into_scratch(args, prefix="mastery-nb-hub-demo-")
    # the service's secrets, readable by their owner only: solutions, hidden tests, the store
    for secret in (root.courses_dir, root.autograder_dir, root.data_dir):
        private_folder(secret)
    environment = {"MASTERY_NB_DB": args.db} if args.db else {}
    hub = LocalHub(
        folder=scratch / "hub",
        ip=args.ip,
        port=args.port or _free_port(args.ip),
        hub_port=_free_port("127.0.0.1"),
        proxy_api_port=_free_port("127.0.0.1"),
        service_port=_free_port("127.0.0.1"),
        course_roots=[root.path],
        data_dir=root.data_dir,
        courses={args.course: {"instructors": [INSTRUCTOR], "graders": []}},
        service_environment=environment,
        proxy_command=proxy,
        spawner="same-user",
        homes=scratch / "homes",
        authenticator="shared-password",
        users=[*STUDENTS, INSTRUCTOR],
        password=secrets.token_urlsafe(9),
    )
    config = write_hub_config(hub)
    log = hub.folder / "jupyterhub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTERY_NB", "JUPYTERHUB"))}
    print(f"demo: starting JupyterHub (log: {log})", flush=True)
    with log.open("ab") as out:
        # its own session: a Ctrl+C reaches only this command, which stops the hub cleanly
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=hub.folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # the clean-up below, on SIGTERM / SIGHUP too

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)  # SIGINT too: a shell may start it with Ctrl+C ignored
    try:
        problem = _wait_ready(hub, process, log)
        if problem:
            tail = log.read_text(errors="replace")[-3000:]
            print(f"error: {problem}; the end of {log}:\n{tail}", file=sys.stderr)
            return EXIT_FAILURE
        _print_logins(hub, args.course)
        print(NOT_ISOLATED.format(user=getpass.getuser(), data=root.data_dir), flush=True)
        print("demo: Ctrl+C stops everything.", flush=True)
        if not args.no_browser:
            webbrowser.open(hub.public_url)
        process.wait()
        return EXIT_OK if process.returncode in (0, -signal.SIGTERM) else EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        _stop(process)
        print("demo: stopped", flush=True)
