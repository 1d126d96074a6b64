"""Startup benchmark: how long `make run` and `make test` take on fresh clones of the committed HEAD.

Figures (printed last, one per line, as ``<figure>: <value> <unit>``):

- make_run_fresh_s: `make run` on a fresh clone (venv, requirements, initdb, migrations, demo
  tenants, web/worker/beat up, URLs printed); then `make stop`.
- make_run_again_s: `make run` typed again on that clone (data reused), median of 3 (stop between).
- suite_cold_s: `make test` on a second fresh clone (new venv, new cluster, new test database).
- suite_warm_s: `make test` typed again on that clone (test database reused), median of 2.
- suite_cold_beside_s: two more fresh clones run `make test` at the same time (other ports), as
  on a busy machine; both must pass; the slower of the two.
- baseline_python_django_setup_s: median time of ``python -c "import django; django.setup()"``
  with the project's settings in the clone: a yardstick of this machine's speed, so the ratios
  (each figure divided by the baseline) can be compared across machines.

The clones live in a temporary folder and use free ports of their own (never the ones of a
running `make run`); everything they start is stopped and the folder removed at the end.
Set BENCH_KEEP=1 to keep the folder (and its logs) for inspection.
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_REPEATS = 3
WARM_SUITE_REPEATS = 2
BASELINE_REPEATS = 5

TIMEOUT_CLONE = 120
TIMEOUT_RUN_FRESH = 480
TIMEOUT_RUN_AGAIN = 180
TIMEOUT_SUITE = 900
TIMEOUT_STOP = 120
TIMEOUT_BASELINE = 60

# Variables the parent (make, lib.sh, a venv) may have set that would point a clone's scripts at
# this checkout's database, Redis, settings or interpreter instead of the clone's own.
SCRUBBED_ENV = [
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "SITE_PORT",
    "TEST_DATABASE_NAME",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
]


class BenchError(RuntimeError):
    pass


def progress(message: str) -> None:
    print(f"[startup] {message}", flush=True)


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def port_is_free(port: int) -> bool:
    """Nobody listens on the port, on loopback or on any address."""
    if listening(port):
        return False
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_ports(count: int, avoid: set[int]) -> list[int]:
    """`count` distinct ports nobody listens on, from a range away from the project's defaults."""
    ports: list[int] = []
    start = 42000 + (os.getpid() % 500) * 10
    for port in range(start, 49000):
        if port not in avoid and port_is_free(port):
            ports.append(port)
            if len(ports) == count:
                return ports
    raise BenchError("no free ports found for the clones")


def clone_env(ports: dict[str, int]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update({name: str(port) for name, port in ports.items()})
    return env


class Clone:
    """A fresh `git clone` of the committed HEAD, with its own ports and logs."""

    def __init__(self, base: Path, name: str, ports: dict[str, int]):
        self.path = base / name
        self.logs = base / f"{name}-logs"
        self.ports = ports
        self.env = clone_env(ports)
        self.count = 0

    def create(self) -> None:
        self.logs.mkdir(parents=True)
        run_checked(["git", "clone", "--quiet", str(ROOT), str(self.path)], TIMEOUT_CLONE, cwd=ROOT)

    def make(self, target: str, timeout: float) -> float:
        """Run `make <target>` in the clone; its wall time in seconds. Raises on failure/timeout."""
        return self.finish(self.start(target), timeout)

    def start(self, target: str) -> tuple[subprocess.Popen, str, Path, float]:
        """Start `make <target>` in the clone without waiting (see ``finish``)."""
        self.count += 1
        log = self.logs / f"{self.count:02d}-make-{target}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                ["make", target],
                cwd=self.path,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return process, target, log, time.monotonic()

    def finish(self, started: tuple[subprocess.Popen, str, Path, float], timeout: float) -> float:
        """Wait for a started `make`; its wall time in seconds. Raises on failure/timeout."""
        process, target, log, start = started
        try:
            status = process.wait(timeout=max(timeout - (time.monotonic() - start), 1))
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise BenchError(
                f"`make {target}` in {self.path.name} timed out after {timeout:.0f} s\n{tail(log)}"
            ) from None
        elapsed = time.monotonic() - start
        if status != 0:
            raise BenchError(
                f"`make {target}` in {self.path.name} failed (exit status {status})\n{tail(log)}"
            )
        return elapsed

    def stop(self) -> None:
        self.make("stop", TIMEOUT_STOP)

    def python(self) -> Path:
        return self.path / ".venv" / "bin" / "python"

    def web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ports['WEB_PORT']}/", timeout=5):
                return True
        except urllib.error.HTTPError:
            return True  # an HTTP answer, even an error page, means the server is up
        except OSError:
            return False


def kill_group(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue


def run_checked(cmd: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(cmd)} timed out after {timeout:.0f} s") from None
    if result.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} failed: {(result.stdout + result.stderr)[-2000:]}")
    return result


def tail(log: Path, lines: int = 30) -> str:
    try:
        text = log.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(f"    {line}" for line in text[-lines:])


def baseline(clone: Clone) -> float:
    """Median time of `python -c "import django; django.setup()"` with the clone's settings."""
    env = dict(clone.env, DJANGO_SETTINGS_MODULE="config.settings.local")
    cmd = [str(clone.python()), "-c", "import django; django.setup()"]
    run_checked(cmd, TIMEOUT_BASELINE, cwd=clone.path, env=env)  # warm the file cache once
    times = []
    for _ in range(BASELINE_REPEATS):
        start = time.monotonic()
        run_checked(cmd, TIMEOUT_BASELINE, cwd=clone.path, env=env)
        times.append(time.monotonic() - start)
    return statistics.median(times)


def processes_under(path: Path) -> list[int]:
    """Pids of processes whose working folder or program lives under `path` (leftovers)."""
    found = []
    prefix = str(path) + os.sep
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if (cwd + os.sep).startswith(prefix) or prefix in cmdline:
            found.append(int(entry.name))
    return found


def cleanup(base: Path, clones: list[Clone]) -> list[str]:
    """Stop whatever the clones may still run, then remove the temporary folder. Returns warnings."""
    warnings = []
    for clone in clones:
        if (clone.path / "Makefile").exists():
            try:
                clone.stop()
            except BenchError as error:
                warnings.append(f"`make stop` in {clone.path.name}: {error}")
    leftovers = processes_under(base)
    if leftovers:
        warnings.append(f"processes still running from the clones after `make stop`: {leftovers}")
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        time.sleep(2)
        for pid in processes_under(base):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if os.environ.get("BENCH_KEEP"):
        progress(f"kept {base} (BENCH_KEEP is set)")
    else:
        shutil.rmtree(base, ignore_errors=True)
        if base.exists():
            warnings.append(f"could not remove {base}")
    return warnings


def check_stopped(clone: Clone, what: str) -> None:
    """Nothing of the clone is left running: no listener on its ports, no process in its folder."""
    deadline = time.monotonic() + 10
    while True:
        busy = [port for port in clone.ports.values() if listening(port)]
        leftovers = processes_under(clone.path)
        if not busy and not leftovers:
            return
        if time.monotonic() > deadline:
            raise BenchError(
                f"after {what} in {clone.path.name}: ports still listening {busy}, processes left {leftovers}"
            )
        time.sleep(0.2)


def measure(base: Path, clones: list[Clone]) -> dict[str, float]:
    results: dict[str, float] = {}
    default_ports = {54329, 63799, 8000}

    # --- make run ---------------------------------------------------------------------------
    run_ports = dict(zip(("PG_PORT", "REDIS_PORT", "WEB_PORT"), free_ports(3, default_ports), strict=True))
    run = Clone(base, "run", run_ports)
    clones.append(run)
    progress(f"cloning {ROOT} (HEAD) into {run.path}; ports {run_ports}")
    run.create()

    progress("make run (fresh clone) ...")
    results["make_run_fresh_s"] = run.make("run", TIMEOUT_RUN_FRESH)
    if not run.web_answers():
        raise BenchError("after `make run` the web server does not answer")
    progress(f"make run (fresh): {results['make_run_fresh_s']:.1f} s; web answers; make stop")
    run.stop()
    check_stopped(run, "make stop")

    progress("baseline: python -c 'import django; django.setup()' ...")
    results["baseline_python_django_setup_s"] = baseline(run)
    progress(f"baseline: {results['baseline_python_django_setup_s']:.3f} s")

    again = []
    for i in range(RUN_REPEATS):
        elapsed = run.make("run", TIMEOUT_RUN_AGAIN)
        if not run.web_answers():
            raise BenchError("after `make run` (again) the web server does not answer")
        run.stop()
        check_stopped(run, "make stop")
        again.append(elapsed)
        progress(f"make run (again) {i + 1}/{RUN_REPEATS}: {elapsed:.1f} s")
    results["make_run_again_s"] = statistics.median(again)

    # --- make test ----------------------------------------------------------------------------
    test_ports = dict(
        zip(
            ("PG_PORT", "REDIS_PORT", "WEB_PORT"),
            free_ports(3, default_ports | set(run_ports.values())),
            strict=True,
        )
    )
    test = Clone(base, "test", test_ports)
    clones.append(test)
    progress(f"cloning {ROOT} (HEAD) into {test.path}; ports {test_ports}")
    test.create()

    progress("make test (fresh clone, cold test database) ...")
    results["suite_cold_s"] = test.make("test", TIMEOUT_SUITE)
    check_stopped(test, "make test")
    progress(f"make test (cold): {results['suite_cold_s']:.1f} s")

    warm = []
    for i in range(WARM_SUITE_REPEATS):
        elapsed = test.make("test", TIMEOUT_SUITE)
        check_stopped(test, "make test")
        warm.append(elapsed)
        progress(f"make test (warm) {i + 1}/{WARM_SUITE_REPEATS}: {elapsed:.1f} s")
    results["suite_warm_s"] = statistics.median(warm)

    # --- two cold suites at once (a busy machine) ----------------------------------------------
    taken = default_ports | set(run_ports.values()) | set(test_ports.values())
    pair = []
    for name in ("beside-a", "beside-b"):
        ports = dict(zip(("PG_PORT", "REDIS_PORT", "WEB_PORT"), free_ports(3, taken), strict=True))
        taken |= set(ports.values())
        clone = Clone(base, name, ports)
        clones.append(clone)
        clone.create()
        pair.append(clone)
    progress("make test in two fresh clones at the same time ...")
    started = [clone.start("test") for clone in pair]
    beside = [clone.finish(run, TIMEOUT_SUITE) for clone, run in zip(pair, started, strict=True)]
    for clone in pair:
        check_stopped(clone, "make test")
    results["suite_cold_beside_s"] = max(beside)
    progress(f"make test (cold, two at once): {beside[0]:.1f} s and {beside[1]:.1f} s")
    return results


def main() -> int:
    started = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    # The clones' PostgreSQL clusters run as the `postgres` user, who must reach their folders.
    base.chmod(0o755)
    clones: list[Clone] = []
    failure = None
    try:
        results = measure(base, clones)
    except BenchError as error:
        failure = error
    except KeyboardInterrupt:
        failure = BenchError("interrupted")
    finally:
        progress("cleaning up (make stop in the clones, removing the temporary folder)")
        for warning in cleanup(base, clones):
            progress(f"warning: {warning}")
    if failure is not None:
        print(f"[startup] FAILED: {failure}", file=sys.stderr, flush=True)
        return 1

    progress(f"total benchmark time: {time.monotonic() - started:.0f} s")
    base_s = results["baseline_python_django_setup_s"]
    lines = [
        ("make_run_fresh_s", f"{results['make_run_fresh_s']:.1f}", "s"),
        ("make_run_again_s", f"{results['make_run_again_s']:.1f}", "s"),
        ("suite_cold_s", f"{results['suite_cold_s']:.1f}", "s"),
        ("suite_warm_s", f"{results['suite_warm_s']:.1f}", "s"),
        ("suite_cold_beside_s", f"{results['suite_cold_beside_s']:.1f}", "s"),
        ("baseline_python_django_setup_s", f"{base_s:.3f}", "s"),
    ]
    for name in ("make_run_fresh", "make_run_again", "suite_cold", "suite_warm", "suite_cold_beside"):
        lines.append((f"{name}_ratio", f"{results[name + '_s'] / base_s:.1f}", "x"))
    for name, value, unit in lines:
        print(f"{name}: {value} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
