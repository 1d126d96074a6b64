"""Content-Security-Policy: every page answers with it, and no template carries an inline
script or an on*= handler (scripts are static files, so the policy allows no inline script).

The routes are read from the URLconfs and the templates from the folders, so a page or a
template added by anyone later is covered the day it lands."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from tests.conftest import in_schema

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
# <script ...>body</script> whose body is not empty; JSON data blocks (json_script) are no script.
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
DATA_TYPES = re.compile(r"""type\s*=\s*["']application/(?:ld\+)?json["']""", re.IGNORECASE)
HANDLER = re.compile(r"""<[a-zA-Z][^>]*?\son[a-z]+\s*=""", re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def plain_paths(urlconf: str) -> list[str]:
    """Every route of ``urlconf`` without a path parameter (the pages one can simply open)."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(?P" in route or "format" in route:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append("/" + (prefix + route).removeprefix("^").removesuffix("$"))

    walk(get_resolver(urlconf).url_patterns, "")
    return sorted({p for p in found if "\\" not in p and "^" not in p})


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            where = str(path.relative_to(ROOT))
            for attrs, body in SCRIPT.findall(text):
                if body.strip() and not DATA_TYPES.search(attrs):
                    offenders.append(f"{where}: inline <script> body")
            if HANDLER.search(text):
                offenders.append(f"{where}: on*= handler")
            if JS_URL.search(text):
                offenders.append(f"{where}: javascript: URL")
    assert offenders == []


def test_the_scan_finds_what_it_looks_for():
    page = '<p>x</p><script>alert(1)</script><button onclick="go()">'
    data = '<script type="application/json" id="d">{"a": 1}</script><script src="/s.js"></script>'

    assert [b for a, b in SCRIPT.findall(page) if b.strip() and not DATA_TYPES.search(a)] == ["alert(1)"]
    assert HANDLER.search(page)
    assert [b for a, b in SCRIPT.findall(data) if b.strip() and not DATA_TYPES.search(a)] == []
    assert not HANDLER.search(data)


def _assert_policy(response, path):
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, (path, response.status_code, policy)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], path
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path


@pytest.mark.parametrize("signed_in", [True, False], ids=["owner", "anonymous"])
def test_every_workspace_page_answers_with_the_policy(client_for, workspaces, signed_in):
    client = client_for(workspaces.alpha)
    if signed_in:
        with in_schema(workspaces.alpha):
            user = User.objects.get(email="owner@alpha.test")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    paths = plain_paths(settings.ROOT_URLCONF)
    assert "/" in paths and "/products/" in paths and "/settings/data/" in paths

    for path in paths:
        _assert_policy(client.get(path), path)


def test_every_public_page_answers_with_the_policy(client_for, workspaces):
    client = client_for(None)
    paths = plain_paths(settings.PUBLIC_SCHEMA_URLCONF)
    assert "/signup/" in paths

    for path in paths + ["/no-such-page/"]:
        _assert_policy(client.get(path), path)
    _assert_policy(client_for(workspaces.suspended).get("/"), "suspended /")
