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
- ``custom:mastery:grade:<course>``: a grader/TA of that course (reads the class, grades
  answers by hand).

Every handler method declares the access it needs with :func:`authorized`, one of
:data:`ACCESS`: ``public`` (says nothing about anyone), ``caller`` (any authenticated
caller), ``self`` (the learner named in the URL is the caller, who holds the learn scope),
``self_or_staff`` (that, or staff of the course in the URL), ``staff`` (instructors and
graders of the course: the class dashboard, grading by hand), ``teach`` (the course's
instructors only: overrides of the rules). Requests that change anything (``POST``) must
come with a token, never a cookie alone, so another web page cannot make a signed-in
browser submit or post practice; the one exception is the dashboard's own forms (a
handler with ``accepts_forms``), which carry the page's XSRF token, checked here.

Without a hub, a browser signs in by pasting its token once (the ``login`` page): a signed
cookie then names it (:class:`TokenAuthenticator`).
"""

from __future__ import annotations

import functools
import hashlib
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
Access = Literal["public", "caller", "self", "self_or_staff", "staff", "teach"]
ACCESS: tuple[Access, ...] = ("public", "caller", "self", "self_or_staff", "staff", "teach")
#: the signed cookie naming a browser that signed in with a token (no hub)
SESSION_COOKIE = "mastery-session"
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
        self._sessions = {_digest(token): caller for token, caller in tokens.items()}

    def sign_in(self, handler: Any, token: str) -> Caller | None:
        """A browser that pasted a valid token gets a signed session cookie (one day)."""
        caller = self.tokens.get(token.strip())
        if caller is not None:
            handler.set_signed_cookie(
                SESSION_COOKIE,
                _digest(token.strip()),
                expires_days=1,
                httponly=True,
                samesite="Strict",
                path="/",
            )
        return caller

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
        if scheme.lower() in ("token", "bearer") and token.strip():
            return self.tokens.get(token.strip())
        session = handler.get_signed_cookie(SESSION_COOKIE, max_age_days=1)
        found = self._sessions.get(session.decode("ascii", "replace")) if session else None
        return None if found is None else Caller(found.name, found.scopes, via_token=False)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
        if not getattr(handler, "accepts_forms", False):
            raise BackendError(
                403, "forbidden", "changes need an API token in the Authorization header"
            )
        _check_form(handler)
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
        "teach": bool(course) and caller.teaches(course),
    }[access]
    if not allowed:
        whose = f"{learner!r}'s" if learner is not None else "this course's"
        why = (
            " (only the course's instructors may override its rules)"
            if access == "teach" and staff
            else ""
        )
        raise BackendError(
            403,
            "forbidden",
            f"you are signed in as {caller.name!r} and cannot "
            f"{'see' if method == 'GET' else 'change'} {whose} work in course {course!r}{why}",
        )


def _check_form(handler: Any) -> None:
    """A dashboard form posted with a cookie must carry the page's XSRF token."""
    import tornado.web

    try:
        handler.check_xsrf_cookie()
    except tornado.web.HTTPError:
        raise BackendError(
            403,
            "forbidden",
            "this form is out of date or was not sent from the dashboard: reload the page "
            "and send it again",
        ) from None


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
