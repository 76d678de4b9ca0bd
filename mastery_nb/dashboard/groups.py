"""Who is in which group (section, lab, cohort): the class dashboard's group filter.

Two sources, both read-only for mastery-nb:

- :class:`HubGroups`: JupyterHub's own groups, read with the service's token through the
  hub's REST API (the service's role needs the scopes ``list:groups`` and
  ``read:groups``; :func:`mastery_nb.service.hub.configure_hub` grants them). The answer is
  kept for a minute.
- :class:`FileGroups`: a file the instructor keeps beside the course, either JSON
  ``{"groups": {"section-a": ["ada", "bob"], ...}}`` or CSV rows ``learner,group``; read
  again when it changes.

Either gives ``learner -> [group, ...]``. A source that cannot be read gives no groups
(the dashboard still works) and logs why once.
"""

from __future__ import annotations

import csv
import json
import logging
import threading
import time
from pathlib import Path
from typing import Protocol

__all__ = ["FileGroups", "GroupSource", "HubGroups", "invert"]

log = logging.getLogger(__name__)


class GroupSource(Protocol):
    def groups(self) -> dict[str, list[str]]:
        """learner -> the names of their groups (sorted)."""
        ...


def invert(members: dict[str, list[str]]) -> dict[str, list[str]]:
    """``group -> learners`` as ``learner -> groups``."""
    found: dict[str, set[str]] = {}
    for group, learners in members.items():
        for learner in learners:
            found.setdefault(str(learner), set()).add(str(group))
    return {learner: sorted(names) for learner, names in found.items()}


class FileGroups:
    """Groups from a JSON or CSV file (see the module docstring), re-read when it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._groups: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._warned = False

    def _parse(self, text: str) -> dict[str, list[str]]:
        if self.path.suffix.lower() == ".json":
            data = json.loads(text)
            members = data.get("groups") if isinstance(data, dict) else None
            if not isinstance(members, dict):
                raise ValueError('expected {"groups": {"<group>": ["<learner>", ...]}}')
            return invert({str(g): [str(m) for m in ms] for g, ms in members.items()})
        by_group: dict[str, list[str]] = {}
        for row in csv.reader(text.splitlines()):
            if len(row) >= 2 and row[0].strip() and row[0].strip().lower() != "learner":
                by_group.setdefault(row[1].strip(), []).append(row[0].strip())
        return invert(by_group)

    def groups(self) -> dict[str, list[str]]:
        with self._lock:
            try:
                stat = self.path.stat()
                key = (stat.st_mtime_ns, stat.st_size)
                if key != self._seen:
                    self._groups = self._parse(self.path.read_text(encoding="utf-8"))
                    self._seen = key
            except (OSError, ValueError) as error:
                if not self._warned:
                    log.warning("groups file %s cannot be read: %s", self.path, error)
                    self._warned = True
            return self._groups


class HubGroups:
    """JupyterHub's groups, through the hub's REST API with the service's own token."""

    def __init__(self, api_url: str, token: str, *, max_age: float = 60.0) -> None:
        self.api_url = api_url.rstrip("/") + "/"
        self.token = token
        self.max_age = max_age
        self._at = 0.0
        self._groups: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._warned = False

    def groups(self) -> dict[str, list[str]]:
        with self._lock:
            if time.monotonic() - self._at < self.max_age:
                return self._groups
            self._at = time.monotonic()
            try:
                self._groups = invert(self._fetch())
            except Exception as error:  # the hub is down or the role lacks the scopes
                if not self._warned:
                    log.warning("cannot read the hub's groups (%s); no group filter", error)
                    self._warned = True
            return self._groups

    def _fetch(self) -> dict[str, list[str]]:
        import httpx

        members: dict[str, list[str]] = {}
        offset = 0
        with httpx.Client(timeout=10) as client:
            while True:
                answer = client.get(
                    f"{self.api_url}groups",
                    params={"offset": offset, "limit": 200},
                    headers={
                        "Authorization": f"token {self.token}",
                        "Accept": "application/jupyterhub-pagination+json",
                    },
                )
                answer.raise_for_status()
                page = answer.json()
                items = page.get("items", page) if isinstance(page, dict) else page
                for group in items:
                    members[str(group["name"])] = [str(u) for u in group.get("users", [])]
                if not isinstance(page, dict) or not page.get("_pagination", {}).get("next"):
                    return members
                offset += len(items)
