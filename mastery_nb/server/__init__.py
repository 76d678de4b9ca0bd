"""The Jupyter server extension behind the "Mastery" sidebar.

Installed with the package and enabled by ``jupyter-config/server-config/mastery_nb.json``
(shipped in the wheel as ``etc/jupyter/jupyter_server_config.d/mastery_nb.json``). The
prebuilt JupyterLab extension ships as ``share/jupyter/labextensions/mastery-nb``.
"""

from __future__ import annotations

from typing import Any

from mastery_nb.server.app import MasteryApp

__all__ = ["MasteryApp"]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": "mastery_nb.server", "app": MasteryApp}]
