#!/usr/bin/env bash
# Installs what the project needs on this machine: system programs (only when missing),
# the virtualenv with the pinned requirements, and the compiled translation catalogues.
# Usage: bootstrap.sh [--browser]   (--browser also makes sure Debian's chromium is there)
source "$(dirname "$0")/lib.sh"

missing=()
[ -n "$(pg_bin || true)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v npm >/dev/null || missing+=(npm)
if [ "${1:-}" = "--browser" ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

req_hash="$(cat "$ROOT"/requirements/*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x "$PY" ]; then
    say "creating the virtualenv in .venv"
    python3 -m venv "$VENV"
fi
if [ "$(cat "$VENV/.requirements-hash" 2>/dev/null || true)" != "$req_hash" ]; then
    say "installing the pinned requirements (requirements/local.txt)"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip >"$LOG_DIR/pip.log" 2>&1
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements/local.txt" \
        >>"$LOG_DIR/pip.log" 2>&1 || { tail -n 30 "$LOG_DIR/pip.log"; die "pip install failed"; }
    echo "$req_hash" >"$VENV/.requirements-hash"
fi

# Browser packages served as static files (package.json; never a CDN): installed again when the
# lock file changes.
lock_hash="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$ROOT/node_modules/.lock-hash" 2>/dev/null || true)" != "$lock_hash" ]; then
    say "installing the browser packages (package-lock.json)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >"$LOG_DIR/npm.log" 2>&1) \
        || { tail -n 30 "$LOG_DIR/npm.log"; die "npm ci failed"; }
    echo "$lock_hash" >"$ROOT/node_modules/.lock-hash"
fi

# Compile the gettext catalogues (the .mo files are build output, not committed).
(cd "$ROOT" && "$PY" manage.py compilemessages --ignore=.venv --ignore=.local -v 0)
