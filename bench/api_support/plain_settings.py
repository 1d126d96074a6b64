"""Settings of the "plain" server of bench/api.py: the same API views on the same data, without
tenant routing (one schema, fixed by the connection's search_path; no tenant middleware).

The benchmark sets BENCH_SCHEMA (the workspace's schema) and BENCH_TENANT_ID before starting it.
"""

import os

from config.settings.local import *  # noqa: F403

SCHEMA = os.environ["BENCH_SCHEMA"]
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"  # noqa: F405
DATABASES["default"]["OPTIONS"] = {"options": f"-c search_path={SCHEMA},public"}  # noqa: F405
ROOT_URLCONF = "bench.api_support.plain_urls"
DEBUG = False
# The project's middleware, with the tenant routing (WorkspaceMiddleware) replaced by a fixed workspace.
MIDDLEWARE = [
    "bench.api_support.plain_urls.FixedWorkspaceMiddleware"
    if name == "tenants.middleware.WorkspaceMiddleware"
    else name
    for name in MIDDLEWARE  # noqa: F405
]
CACHES["default"]["KEY_FUNCTION"] = "django.core.cache.backends.base.default_key_func"  # noqa: F405
CACHES["default"].pop("REVERSE_KEY_FUNCTION", None)  # noqa: F405
