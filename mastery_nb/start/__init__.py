"""Starting a unit for a learner: their current form of it, written into a workspace.

``start_unit(root, course, unit, student, workspace)`` does what the sidebar's Start does
(the backend's ``start`` and the learner's server writing the files), for scripts and LMS
integrations: ``mastery-nb start COURSE UNIT --student S [--dir D]``. The files go to
``D/<course>/`` at their course paths; a file already there is kept, and a notebook of an
earlier form is moved aside, never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mastery_nb._lazy import lazy_exports

if TYPE_CHECKING:
    from mastery_nb.start.workspace import start_unit

__all__ = ["start_unit"]

# imported on first use, so that `mastery-nb start --help` does not load them
__getattr__ = lazy_exports(__name__, {"start_unit": "mastery_nb.start.workspace"})
