"""Who the learner behind a request is.

The rule is the same as ``mastery-nb submit``'s: the JupyterHub user when the server runs
under JupyterHub (``$JUPYTERHUB_USER``), otherwise the operating-system user who runs the
server. A deployment may pin it with ``c.MasteryApp.student``. The browser never chooses
whose data it sees: routes compare any ``student`` a request names with this value and
refuse the others.
"""

from __future__ import annotations

import getpass
import os

__all__ = ["default_student"]


def default_student() -> str:
    """The JupyterHub user, else the OS user, else ``"student"`` when neither is known."""
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers) and no $USER
        return "student"
