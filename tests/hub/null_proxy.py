"""A JupyterHub proxy that routes nothing: the hub keeps its route table in memory.

For tests that talk to the hub's API (its own port) and to services (their own ports)
directly, with no configurable-http-proxy process. Tests that drive a browser through the
hub's public URL use the real proxy instead (``hub_process.start_hub(proxy="chp")``).
"""

from __future__ import annotations

from typing import Any

from jupyterhub.proxy import Proxy


class NullProxy(Proxy):  # type: ignore[misc]
    """Every route is remembered, none is served."""

    should_start = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._routes: dict[str, dict[str, Any]] = {}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def add_route(self, routespec: str, target: str, data: dict[str, Any]) -> None:
        self._routes[routespec] = {"routespec": routespec, "target": target, "data": data}

    async def delete_route(self, routespec: str) -> None:
        self._routes.pop(routespec, None)

    async def get_all_routes(self) -> dict[str, dict[str, Any]]:
        return dict(self._routes)
