"""Run a benchmark's inner half against a database of its own, then drop it.

Each benchmark (bench/<name>.py) measures in a throwaway database of the project's PostgreSQL
cluster, with its own Redis databases, so it never touches `make run`'s data: this starts the
embedded services if they are down, creates the database, runs ``python <script> --inner`` with the
environment pointing there, and always drops the database, flushes the Redis databases and stops
what it started.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def run_inner(
    *,
    script: str,
    database: str,
    redis_dbs: tuple[int, int],
    timeout: float = 900,
    extra_env: dict[str, str] | None = None,
    own_media: bool = False,
) -> int:
    """The inner run's exit status (``script`` is the benchmark's ``__file__``). With
    ``own_media`` uploaded files go to a temporary MEDIA_ROOT, removed at the end."""
    services = ROOT / "scripts" / "dev" / "services.sh"
    status = subprocess.run([str(services), "status"], capture_output=True, text=True).stdout
    started_services = "postgres: running" not in status
    if started_services:
        subprocess.run([str(services), "start"], check=True)
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://saas@127.0.0.1:54329/saas"))
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    psql = ["psql", admin_url, "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/0").rsplit("/", 1)[0]
    media = tempfile.mkdtemp(prefix=f"{database}-media-") if own_media else None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{database}")),
        "REDIS_URL": f"{redis_base}/{redis_dbs[0]}",
        "CACHE_URL": f"{redis_base}/{redis_dbs[1]}",
        "SITE_PORT": "",
        "PYTHONPATH": str(ROOT),
        **({"MEDIA_ROOT": media} if media else {}),
        **(extra_env or {}),
    }
    try:
        return subprocess.run(
            [sys.executable, script, "--inner"], cwd=ROOT, env=env, timeout=timeout
        ).returncode
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=False)
        for db in sorted(set(redis_dbs)):
            subprocess.run(
                ["redis-cli", "-u", f"{redis_base}/{db}", "flushdb"], capture_output=True, check=False
            )
        if media:
            shutil.rmtree(media, ignore_errors=True)
        if started_services:
            subprocess.run([str(services), "stop"], check=False)
