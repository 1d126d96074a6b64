"""Every URL with a path parameter answers a malformed value with a refusal (404 and the like),
never a server error. The URLs are read from the URLconfs, so a new route is covered the day it
is added."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from accounts.models import User
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import in_schema

JUNK = ["abc", "99999999999999999999", "-1", "0", "ñandú☃", "1e3", "%00", "..%2F"]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route(pattern) -> str | None:
    """The pattern as a path with ``<name>`` placeholders (None for DRF's format-suffix twins)."""
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    regex = pattern.regex.pattern
    if "format" in regex:
        return None
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z").replace(r"\.", ".")
    return NAMED_GROUP.sub(lambda match: f"<{match.group(1)}>", regex)


def parameterized_paths(urlconf: str) -> list[str]:
    """Every route of ``urlconf`` that takes a path parameter, as a template with placeholders."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = _route(entry.pattern)
            if route is None:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and PARAMETER.search(prefix + route):
                found.append("/" + prefix + route)

    walk(get_resolver(urlconf).url_patterns, "")
    assert found, f"no parameterized route found in {urlconf}"
    return sorted(set(found))


def filled(template: str, junk: str) -> str:
    return PARAMETER.sub(junk, template)


TENANT_ROUTES = parameterized_paths(settings.ROOT_URLCONF)
PUBLIC_ROUTES = parameterized_paths(settings.PUBLIC_SCHEMA_URLCONF)


@pytest.fixture
def owner_client(db, workspaces, client_for):
    """alpha's owner, signed in, on the plan that opens every screen (API, forecasts)."""
    top = Plan.objects.order_by("-rank").first()
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=top)
    client = client_for(workspaces.alpha)
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_walk_finds_the_routes_users_reach():
    assert "/sales/<int:sale_id>/" in TENANT_ROUTES
    assert "/forecasts/products/<str:product_id>/<str:location_id>/" in TENANT_ROUTES
    assert "/team/join/<str:token>/" in TENANT_ROUTES
    assert any(route.startswith("/api/v1/") for route in TENANT_ROUTES)
    assert "/legal/<slug:document>/" in PUBLIC_ROUTES


@pytest.mark.parametrize("template", TENANT_ROUTES)
def test_a_workspace_route_refuses_junk_without_a_server_error(owner_client, template):
    for junk in JUNK:
        path = filled(template, junk)
        for method in (owner_client.get, owner_client.post):
            response = method(path)
            assert response.status_code < 500, f"{method.__name__.upper()} {path} -> {response.status_code}"


@pytest.mark.parametrize("template", PUBLIC_ROUTES)
def test_a_public_route_refuses_junk_without_a_server_error(client_for, template):
    client = client_for(None)
    for junk in JUNK:
        path = filled(template, junk)
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code < 500, f"{method.__name__.upper()} {path} -> {response.status_code}"


@pytest.mark.parametrize("field", ["supplier", "location"])
def test_a_suggested_order_with_a_junk_id_is_not_found(owner_client, field):
    form = {"supplier": "1", "location": "1", field: "abc"}
    assert owner_client.post("/forecasts/order/", form).status_code == 404
