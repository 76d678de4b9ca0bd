"""Build hook: say at once, in one line, when a source build needs Node.js and has none.

The sidebar (a JupyterLab extension in TypeScript) is built with Node.js by the
hatch-jupyter-builder hook. A wheel or sdist carries it prebuilt; a source checkout does
not. Without this hook, ``pip install -e .`` on a machine without Node.js first installed
JupyterLab into the build environment and then failed minutes later inside a long
traceback. Here the check runs when pip asks for the build's requirements, before any of
them is installed, and JupyterLab (for ``jlpm`` and ``jupyter labextension build``) is
required only when the extension must actually be built.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUILT = Path("mastery_nb") / "labextension" / "static" / "style.js"
BUILD_REQUIRES = ["jupyterlab>=4.1,<5"]


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def _built(self) -> bool:
        return (Path(self.root) / BUILT).is_file()

    def dependencies(self) -> list[str]:
        if shutil.which("node") is not None:
            # the jupyter-builder hook runs jlpm for an editable install even when the
            # sidebar is already built, so it needs JupyterLab's jlpm in the build env
            return list(BUILD_REQUIRES)
        if self._built():
            return []
        if shutil.which("node") is None:
            raise SystemExit(
                "error: mastery-nb from a source checkout builds its JupyterLab sidebar with "
                "Node.js, and `node` is not on PATH. Fix: install Node.js 18 or newer "
                "(Debian: apt-get install nodejs npm; or run bash scripts/setup.sh), or "
                "install a mastery-nb wheel, which carries the sidebar prebuilt."
            )
        return list(BUILD_REQUIRES)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self.dependencies()  # a build started without get_requires (no isolation) checks too
