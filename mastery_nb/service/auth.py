"""Who is calling the mastery service, and what they may do: roles from the hub's RBAC.

**Who.** Under JupyterHub (the service runs as a hub-managed service: ``$JUPYTERHUB_API_TOKEN``
and friends are set) every request is authenticated with
:class:`jupyterhub.services.auth.HubOAuth`: an API token in the ``Authorization`` header
(a student's single-user server, a script) or, for a browser, the OAuth cookie set after
logging in through the hub (``<prefix>oauth_callback``). A token must carry the service's
access scope (``access:services!service=<name>``). Without a hub, a token file maps tokens
to names and scopes (one machine, tests); there is no anonymous mode.

**What.** Scopes the hub grants (declared in ``jupyterhub_config.py``, see
docs/design.md "Roles"):

- ``custom:mastery:learn``: act as a learner on one's own data;
- ``custom:mastery:teach:<course>``: an instructor of that course (reads the class);
- ``custom:mastery:grade:<course>``: a grader/TA of that course (reads the class).

Every handler method declares the access it needs with :func:`authorized`, one of
:data:`ACCESS`: ``public`` (says nothing about anyone), ``caller`` (any authenticated
caller), ``self`` (the learner named in the URL is the caller, who holds the learn scope),
``self_or_staff`` (that, or staff of the course in the URL), ``staff``. Requests that
change anything (``POST``) must come with a token, never a cookie alone, so another web
page cannot make a signed-in browser submit or post practice.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, cast

from mastery_nb.backend import BackendError

__all__ = [
    "ACCESS",
    "LEARN_SCOPE",
    "Access",
    "Caller",
    "HubAuthenticator",
    "TokenAuthenticator",
    "authorized",
    "grade_scope",
    "teach_scope",
]

LEARN_SCOPE = "custom:mastery:learn"
Access = Literal["public", "caller", "self", "self_or_staff", "staff"]
ACCESS: tuple[Access, ...] = ("public", "caller", "self", "self_or_staff", "staff")
F = TypeVar("F", bound=Callable[..., Awaitable[None]])


def teach_scope(course: str) -> str:
    return f"custom:mastery:teach:{course}"


def grade_scope(course: str) -> str:
    return f"custom:mastery:grade:{course}"


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: their hub name and the scopes their credential carries."""

    name: str
    scopes: frozenset[str]
    via_token: bool  #: authenticated by a token (not only a browser cookie)

    @property
    def learns(self) -> bool:
        return LEARN_SCOPE in self.scopes

    def teaches(self, course: str) -> bool:
        return teach_scope(course) in self.scopes

    def grades(self, course: str) -> bool:
        return grade_scope(course) in self.scopes

    def staff_of(self, course: str) -> bool:
        return self.teaches(course) or self.grades(course)

    def roles(self, course: str) -> list[Literal["learner", "teach", "grade"]]:
        roles: list[Literal["learner", "teach", "grade"]] = []
        if self.learns:
            roles.append("learner")
        if self.teaches(course):
            roles.append("teach")
        if self.grades(course):
            roles.append("grade")
        return roles


class Authenticator(Protocol):
    async def caller(self, handler: Any) -> Caller | None: ...

    @property
    def login_possible(self) -> bool: ...


class TokenAuthenticator:
    """Tokens from a JSON file (no hub: one machine, tests).

    ``{"tokens": {"<token>": {"name": "ada", "scopes": ["custom:mastery:learn"]}}}``
    """

    login_possible = False

    def __init__(self, tokens: dict[str, Caller]) -> None:
        self.tokens = tokens

    @classmethod
    def from_file(cls, path: Path) -> TokenAuthenticator:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(entries, dict) or not entries:
            raise ValueError(f'{path}: expected {{"tokens": {{TOKEN: {{name, scopes}}}}}}')
        tokens = {}
        for token, entry in entries.items():
            if len(token) < 16:
                raise ValueError(f"{path}: a token must be at least 16 characters long")
            tokens[token] = Caller(
                name=str(entry["name"]), scopes=frozenset(entry.get("scopes", [])), via_token=True
            )
        return cls(tokens)

    async def caller(self, handler: Any) -> Caller | None:
        header = handler.request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() not in ("token", "bearer") or not token.strip():
            return None
        return self.tokens.get(token.strip())


class HubAuthenticator:
    """JupyterHub's HubOAuth: API tokens, and OAuth cookies for browsers."""

    login_possible = True

    def __init__(self) -> None:
        from jupyterhub.services.auth import HubOAuth

        self.hub_auth = HubOAuth(cache_max_age=60)

    async def caller(self, handler: Any) -> Caller | None:
        model = await self.hub_auth.get_user(handler, sync=False)
        if not model:
            return None
        scopes = set(model.get("scopes", []))
        if not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            raise BackendError(
                403,
                "forbidden",
                f"{model.get('name')!r} may not use the mastery service (the token lacks "
                f"{' or '.join(sorted(self.hub_auth.access_scopes))})",
            )
        return Caller(
            name=str(model["name"]),
            scopes=frozenset(scopes),
            via_token=bool(getattr(handler, "_token_authenticated", False)),
        )


def _check(handler: Any, access: Access, method: str, arguments: dict[str, str]) -> None:
    """Raise BackendError (401/403) unless the handler's caller has ``access``."""
    if access == "public":
        return
    caller: Caller | None = handler.current_user
    if caller is None:
        raise BackendError(
            401,
            "unauthorized",
            "sign in first: send your hub API token as `Authorization: token ...`",
        )
    if method != "GET" and not caller.via_token:
        raise BackendError(
            403, "forbidden", "changes need an API token in the Authorization header"
        )
    if access == "caller":
        return
    course = arguments.get("course", "")
    learner = arguments.get("learner")
    is_self = learner is not None and learner == caller.name and caller.learns
    staff = bool(course) and caller.staff_of(course)
    allowed = {
        "self": is_self,
        "self_or_staff": is_self or staff,
        "staff": staff,
    }[access]
    if not allowed:
        whose = f"{learner!r}'s" if learner is not None else "this course's"
        raise BackendError(
            403,
            "forbidden",
            f"you are signed in as {caller.name!r} and cannot "
            f"{'see' if method == 'GET' else 'change'} {whose} work in course {course!r}",
        )


def authorized(access: Access) -> Callable[[F], F]:
    """Declare and enforce the access a handler method needs (checked before it runs).

    The handler's path arguments ``course`` and ``learner`` say whose data is asked for;
    the wrapped method carries ``__mastery_access__`` so tests and docs can list them.
    """
    if access not in ACCESS:
        raise ValueError(f"unknown access {access!r}; use one of {ACCESS}")

    def decorate(method: F) -> F:
        @functools.wraps(method)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
            try:
                _check(self, access, self.request.method, {**self.path_kwargs, **kwargs})
            except BackendError as error:
                self.fail(error)
                return
            await method(self, *args, **kwargs)

        wrapper.__mastery_access__ = access  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate
