"""The wheel carries the prebuilt sidebar: installed where node is absent, it is enabled and served.

1. Build the wheel from a clean copy of the source (no node_modules, no built extension), as
   ``pip wheel`` on a fresh clone would: the hatch-jupyter-builder hook builds the
   JupyterLab extension with node (jlpm) during the build.
2. Install that wheel into a fresh virtual environment (it borrows the heavy dependencies,
   JupyterLab and friends, from this environment's site-packages, but mastery-nb itself,
   its labextension and its server config come only from the wheel).
3. With a PATH on which there is no node, jlpm or npm: ``jupyter labextension list`` shows
   mastery-nb enabled and OK from the venv's share folder, and a JupyterLab server started
   from the venv serves the extension's static assets and the /mastery/ routes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]
#: left out of the copy wherever they are
SKIP_ANYWHERE = {"node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
#: left out of the copy at the top of the repository (``mastery_nb/release/`` is code, kept)
SKIP_AT_TOP = {
    "lib",
    ".git",
    ".mastery-data",
    "tests",
    "release",
    "autograder",
    "dist",
    "build",
    ".yarn",
    "benchmarks",
    "docs",
}


def _copy_source(dest: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n in SKIP_ANYWHERE or n.endswith(".tsbuildinfo")}
        if Path(folder) == REPO:
            skipped |= SKIP_AT_TOP & set(names)
        if Path(folder) == REPO / "mastery_nb":
            skipped.add("labextension")  # the build must make it
        if Path(folder) == REPO / "courses":  # only the sample course goes into the wheel
            skipped |= {n for n in names if n != "intro-data-science"}
        return skipped

    shutil.copytree(REPO, dest, ignore=ignore)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("src") / "mastery-nb"
    _copy_source(source)
    assert not (source / "mastery_nb" / "labextension").exists(), (
        "the build must make the extension"
    )
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheels = list(out.glob("mastery_nb-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(folder)],
        check=True,
        timeout=120,
    )
    python = folder / "bin" / "python"
    # the test interpreter may itself be a venv (anywhere): --system-site-packages gives
    # only its base interpreter's packages, so point at the test interpreter's as well
    # (after the new venv's own site-packages, where the wheel goes)
    site_dir = next((folder / "lib").glob("python3*/site-packages"))
    ours = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (site_dir / "test_interpreter_packages.pth").write_text("\n".join(ours) + "\n")
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--ignore-installed",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return folder


def _no_node_env(venv: Path, home: Path) -> dict[str, str]:
    path = str(venv / "bin")
    for tool in ("node", "nodejs", "npm", "jlpm", "yarn"):
        assert shutil.which(tool, path=path) is None, f"{tool} is on the hidden PATH"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "MASTERY_NB", "VIRTUAL_ENV"))
    }
    env.update(
        PATH=path,
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    return env


def test_the_wheel_ships_the_prebuilt_extension_and_server_config(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    data = "mastery_nb-0.1.0.data/data/"
    assert f"{data}share/jupyter/labextensions/mastery-nb/package.json" in names
    assert f"{data}share/jupyter/labextensions/mastery-nb/install.json" in names
    assert any(
        re.search(r"labextensions/mastery-nb/static/remoteEntry\.[0-9a-f]+\.js$", n) for n in names
    )
    assert f"{data}etc/jupyter/jupyter_server_config.d/mastery_nb.json" in names
    # nbgrader's own UI off by default (issue 12): its lab extension and server extensions
    assert f"{data}etc/jupyter/labconfig/page_config.d/mastery-nb-nbgrader-off.json" in names
    assert f"{data}etc/jupyter/jupyter_server_config.d/nbgrader.off-by-mastery-nb.json" in names
    assert not any("node_modules" in n for n in names)


def test_installed_without_node_the_extension_is_enabled_and_served(
    venv: Path, tmp_path: Path
) -> None:
    python = str(venv / "bin" / "python")
    env = _no_node_env(venv, tmp_path / "home")
    where = subprocess.run(
        [python, "-c", "import mastery_nb; print(mastery_nb.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), "mastery_nb comes from the wheel"

    listing = subprocess.run(
        [
            python,
            "-c",
            "import sys; from jupyterlab.labextensions import main; sys.argv[0] = 'jupyter-labextension'; main()",
            "list",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(r"mastery-nb v0\.1\.0 enabled\s+OK", text), text
    assert str(venv / "share" / "jupyter" / "labextensions") in text, text

    servers = subprocess.run(
        [
            python,
            "-c",
            "import sys; from jupyter_server.extension.serverextension import main; sys.argv[0] = 'jupyter-server-extension'; main()",
            "list",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", servers.stdout + servers.stderr)
    assert re.search(r"mastery_nb\.server\s+enabled", text), text
    assert re.search(r"mastery_nb\.server\s+OK", text), text

    # a server from the venv, node nowhere: the assets and the routes answer
    package = json.loads((venv / "share/jupyter/labextensions/mastery-nb/package.json").read_text())
    entry = package["jupyterlab"]["_build"]["load"]
    root = tmp_path / "root"
    root.mkdir()
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                python,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.allow_root=True",
                "--MasteryApp.grade_in_process=False",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if _get(f"{base}api/status", token)[0] == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        else:
            pytest.fail("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])
        status, page = _get(f"{base}lab", token)
        assert status == 200 and b'"mastery-nb"' in page, "the page config lists the extension"
        status, body = _get(f"{base}lab/extensions/mastery-nb/{entry}", token)
        assert status == 200 and b"mastery-nb" in body, f"{entry} is served"
        status, body = _get(f"{base}mastery/api/progress", token)
        assert status == 503 and b"no released course" in body, (
            "the server extension is loaded, in words"
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_installed_wheel_carries_the_sample_course_for_the_demo(
    venv: Path, tmp_path: Path
) -> None:
    """``mastery-nb demo`` outside any checkout releases the sample course shipped in the wheel."""
    python = str(venv / "bin" / "python")
    script = (
        "from pathlib import Path\n"
        "from mastery_nb.demo.cli import prepare_demo\n"
        "from mastery_nb.root import CourseRoot\n"
        "root, _ = prepare_demo(CourseRoot.at('.'), 'intro-data-science', Path('scratch'))\n"
        "units = root.release_dir / 'intro-data-science' / 'units'\n"
        "print(root.path)\n"
        "print(sorted(p.name for p in units.iterdir()))\n"
    )
    empty = tmp_path / "not-a-course-root"
    empty.mkdir()
    result = subprocess.run(
        [python, "-c", script],
        env=_no_node_env(venv, tmp_path / "home"),
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    root_line, units_line = result.stdout.strip().splitlines()[-2:]
    assert Path(root_line).is_relative_to(empty)
    assert "01-python-basics.ipynb" in units_line
    assert "13-project.ipynb" in units_line


def test_a_source_build_without_node_fails_at_once_in_one_line(tmp_path: Path) -> None:
    """No node: the build stops before installing JupyterLab, naming the fix, no traceback."""
    source = tmp_path / "mastery-nb"
    _copy_source(source)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    for tool in ("node", "nodejs", "npm", "jlpm", "yarn"):
        assert shutil.which(tool, path=str(bin_dir)) is None
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    env["PATH"] = str(bin_dir)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-w",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "builds its JupyterLab sidebar with Node.js, and `node` is not on PATH" in output
    assert "Traceback" not in output, output[-3000:]
    assert "jupyterlab" not in output.split("Getting requirements")[0].lower(), (
        "JupyterLab is not installed into the build environment before the check"
    )
