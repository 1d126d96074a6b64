# Shared by the dev scripts: where the embedded services keep their state, and small helpers.
# Everything that `make run` / `make test` create lives under .local/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
WEB_PORT="${WEB_PORT:-8000}"
PG_DATA="$LOCAL/pg/data"
PG_SOCK="$LOCAL/pg/sock"
RUN_DIR="$LOCAL/run"
LOG_DIR="$LOCAL/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export DATABASE_URL="${DATABASE_URL:-postgres://saas@127.0.0.1:$PG_PORT/saas}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
export PLAYWRIGHT_BROWSERS_PATH=0

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Install Debian packages when a program is missing, and say so.
apt_install() {
    say "installing with the system package manager: $*"
    local sudo=""
    if ! is_root; then
        command -v sudo >/dev/null || die "need root or sudo to install: $*"
        sudo="sudo"
    fi
    if [ ! -f "$LOCAL/.apt-updated" ]; then
        $sudo apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
        touch "$LOCAL/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" \
        >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get install $* failed (see $LOG_DIR/apt.log)"
}

pg_bin() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

# initdb and pg_ctl refuse to run as root: run them as the `postgres` system user then.
as_pg() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
