"""Permission coverage for every route: the four cases, and how a test claims one.

Every URL pattern (ctip/core/tests/test_url_walk.py walks them all) must have a permission test for each of
  anonymous     no log-in: the log-in page (302) for a screen, 401 for the API;
  wrong_role    a signed-in user of the home agency whose role may not do this: 403;
  other_agency  a user of another agency whose role could do it on their own records: 404 (or what the route
                answers instead: a list that leaves the record out, a restricted page...);
  allowed       a role that may, on a record of its own agency: 200/201/302.
or say why a case cannot apply (`NA("reason")`): a page every signed-in role has, a list with no record in the
URL, a public page.

A test claims coverage in one of two ways, both found by the walker without running anything:

1. A row in a permission table, `ROUTES = [Route(...), ...]` in ctip/<app>/tests/test_route_permissions.py, run
   by that module's one parametrised test through `check_route` with exact status codes:

       Route("cases:detail", kwargs=lambda w: {"public_id": w.case.public_id},
             anonymous=302, wrong_role=(403, "data_analyst"), other_agency=(404, "case_worker"),
             allowed=(200, "case_worker"))

2. The marker `@covers("anonymous", "cases:list", "cases:detail", ...)` on an existing permission test that
   checks that case for those routes with an exact status code (reuse instead of duplicating).

A route anyone may reach without logging in is declared public with a reason and its anonymous test:
`Route("report:tip", public="the tip form for the public", anonymous=200)`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

CASES = ("anonymous", "wrong_role", "other_agency", "allowed")


@dataclass(frozen=True)
class NA:
    """A case that cannot apply to a route, and why."""

    reason: str


Expect = int | tuple[int, str] | NA | None


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: Callable[[Any], dict] | None = None
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    anonymous: Expect = None
    wrong_role: Expect = None
    other_agency: Expect = None
    allowed: Expect = None
    public: str = ""  # why anyone may reach it without logging in
    label: str = ""  # tells two rows of one route apart (GET and POST)
    query: str = ""  # appended to the URL
    check: Callable[[Any, Any, str], None] | None = field(default=None, compare=False)

    session: bool = False  # an api-* route browsers use with their session (the API description)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-") and not self.session

    def expectations(self) -> dict[str, Expect]:
        return {case: getattr(self, case) for case in CASES}

    def __str__(self) -> str:
        return f"{self.name}{'/' + self.label if self.label else ''}"


def covers(case: str, *route_names: str):
    """Mark an existing test as the `case` permission test of `route_names` (see the module docstring)."""
    assert case in CASES, case
    return pytest.mark.permission(case, *route_names)


def table_params(routes: Iterable[Route]):
    """pytest parameters (route, case) for every case of every row that expects a status code."""
    return [
        pytest.param(route, case, id=f"{route}-{case}")
        for route in routes
        for case, expected in route.expectations().items()
        if expected is not None and not isinstance(expected, NA)
    ]


def _client(user, *, api: bool):
    if api:
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    if user is None:
        from django.test import Client

        return Client()
    from ctip.core.tests.world import verified_client

    return verified_client(user)


def check_route(route: Route, case: str, world: SimpleNamespace):
    """Request `route` as the user of `case` and assert the exact status code (and the log-in redirect)."""
    from django.urls import reverse

    expected = route.expectations()[case]
    status, role = expected if isinstance(expected, tuple) else (expected, "")
    if case == "anonymous":
        user = None
    elif case == "other_agency":
        user = world.other_users[role] if role in world.other_users else getattr(world, role)
    else:
        user = world.users[role] if role in world.users else getattr(world, role)
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    client = _client(user, api=route.is_api)
    data = route.data(world) if route.data else {}
    if route.method == "get":
        response = client.get(url)
    elif route.is_api:
        response = getattr(client, route.method)(url, data, format="json")
    else:
        response = getattr(client, route.method)(url, data)
    body = getattr(response, "content", b"")[:300]
    assert response.status_code == status, (str(route), case, role, response.status_code, body)
    if case == "anonymous" and not route.public:
        if status == 401 and response["Content-Type"].startswith("application/json"):
            assert response.json()["code"] == "not_authenticated"
        elif status == 302:
            assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    if route.check:
        route.check(response, world, case)
    return response


# --- the walker's view: which routes exist, which tests claim which cases -------------------------------------------


def all_routes() -> dict[str, str]:
    """{route key: path pattern} for every URL pattern, included URLconfs too. The key is the URL name
    (namespaced), or the path for an unnamed pattern."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                path = prefix + str(pattern.pattern)
                key = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else path
                found.setdefault(key, path)

    walk(get_resolver().url_patterns, "", None)
    return found


def test_modules():
    """Every test module of the project (ctip/*/tests and tests/, browser journeys aside), imported."""
    import ctip

    modules = []
    for info in pkgutil.walk_packages(ctip.__path__, "ctip."):
        leaf = info.name.rsplit(".", 1)[-1]
        if ".tests." in f"{info.name}." and leaf.startswith("test_"):
            modules.append(importlib.import_module(info.name))
    return modules


def claimed() -> tuple[dict[tuple[str, str], list[str]], dict[str, list[Route]]]:
    """({(route, case): [who claims it]}, {route: [table rows]}) over every test module."""
    claims: dict[tuple[str, str], list[str]] = {}
    rows: dict[str, list[Route]] = {}
    for module in test_modules():
        for route in getattr(module, "ROUTES", ()):
            rows.setdefault(route.name, []).append(route)
            for case, expected in route.expectations().items():
                if expected is not None:
                    claims.setdefault((route.name, case), []).append(f"{module.__name__}:{route}")
        for attr, value in vars(module).items():
            if not attr.startswith("test_") or not callable(value):
                continue
            for mark in getattr(value, "pytestmark", ()):
                if mark.name != "permission":
                    continue
                case, *names = mark.args
                for name in names:
                    claims.setdefault((name, case), []).append(f"{module.__name__}.{attr}")
    return claims, rows
