#!/usr/bin/env bash
# `make bench` / `make bench-<name>`: run the benchmarks under bench/ (see bench/README.md).
# With no argument every bench/*.py runs (sorted by name); with names, only bench/<name>.py.
# Each runs with the virtualenv's python from the repository root; the exit status is non-zero
# when any benchmark failed. Usage: bench.sh [name...]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

available() { find "$ROOT/bench" -maxdepth 1 -name '*.py' -printf '%f\n' 2>/dev/null | sed 's/\.py$//' | sort; }

names=()
if [ $# -eq 0 ]; then
    mapfile -t names < <(available)
    [ ${#names[@]} -gt 0 ] || die "no benchmarks found (bench/*.py)"
else
    for arg in "$@"; do
        name="${arg%.py}"
        name="${name#bench/}"
        # make bench-forecast-accuracy runs bench/forecast_accuracy.py (a module name has no dash).
        [ -f "$ROOT/bench/$name.py" ] || name="${name//-/_}"
        if [ ! -f "$ROOT/bench/$name.py" ]; then
            die "unknown benchmark '$arg'; available: $(available | paste -sd' ' -)"
        fi
        names+=("$name")
    done
fi

"$ROOT/scripts/dev/bootstrap.sh"

# Benchmarks may import the project (python puts bench/, not the root, first on sys.path).
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

failed=()
for name in "${names[@]}"; do
    say "benchmark: $name"
    start=$SECONDS
    if "$PY" "bench/$name.py"; then
        say "benchmark $name done in $((SECONDS - start)) s"
    else
        status=$?
        printf 'error: benchmark %s failed (exit status %s)\n' "$name" "$status" >&2
        failed+=("$name")
    fi
done

[ ${#failed[@]} -eq 0 ] || die "failed benchmarks: ${failed[*]}"
