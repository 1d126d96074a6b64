"""`make bench-forecast`: the forecast engine on 10,000 synthetic series, inside the Celery worker.

The button's run and the nightly job run in the product's Celery worker, a prefork pool whose
children are daemonic processes (they may not start processes of their own). So the benchmark
starts that worker as `make run` does (``celery -A config worker --concurrency 2``, Redis database
13, with the benchmark's task module included: ``bench/forecast_support/tasks.py``), sends it one
task and reads back what the task measured in the child process:

10,000 product-location series of 730 days (60 % intermittent slow movers, 20 % trending, 20 %
seasonal; a fifth with a stockout episode) go through what the job does after reading the ledger:
series built from sales rows, backtest and model choice per series, final forecasts, and the
replenishment figures of every series, with the number of processes the job would use there
(``forecasts.engine.engine_jobs``). The database is left out (the job reads sales in aggregate
queries and writes results with bulk inserts).

Figures, printed last:
- forecast_warmup_s: importing statsforecast and a first run on a handful of series.
- forecast_10k_s: the 10,000-series run after the warm-up (wall clock); forecast_10k_cpu_s, the
  CPU time it took, and machine_load_average (1 minute) at its end: on a shared machine the wall
  clock grows with the other processes' load, the CPU time does not.
- forecast_peak_mb: peak resident memory of the worker's child process (generated data included).
- forecast_wape_ratio_vs_naive: the engine's daily forecasts against seasonal naive (the same
  weekday last week) on the 8 weeks that follow the history (hidden from the engine): total
  absolute error of the chosen models divided by that of seasonal naive (below 1 is better).
- forecast_worker_daemon, forecast_engine_jobs: the task ran in a daemonic child (1) with that
  many engine processes.
Accuracy on real sales, through the import and the stored results: `make bench-forecast-accuracy`.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
DAYS = 730
REDIS_DB = 13


def main() -> int:
    services = ROOT / "scripts" / "dev" / "services.sh"
    status = subprocess.run([str(services), "status"], capture_output=True, text=True).stdout
    started_services = "redis: running" not in status or "postgres: running" not in status
    if started_services:
        subprocess.run([str(services), "start"], check=True)
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/0").rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "REDIS_URL": f"{redis_base}/{REDIS_DB}",
        "CELERY_BROKER_URL": f"{redis_base}/{REDIS_DB}",
        "CELERY_RESULT_BACKEND": f"{redis_base}/{REDIS_DB}",
        "CACHE_URL": f"{redis_base}/{REDIS_DB}",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    log = Path(tempfile.mkdtemp(prefix="bench-forecast-")) / "worker.log"
    worker = None
    try:
        with open(log, "w") as out:
            # As scripts/dev/run.sh starts it (prefork, 2 children), plus the benchmark's task.
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-l",
                    "info",
                    "--concurrency",
                    "2",
                    "--include",
                    "bench.forecast_support.tasks",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        import django

        django.setup()
        from config.celery import app

        deadline = time.monotonic() + 90
        while not app.control.ping(timeout=1.0):
            if worker.poll() is not None or time.monotonic() > deadline:
                print(log.read_text()[-3000:], file=sys.stderr)
                return 1
        print(f"worker up (pid {worker.pid}); sending {SERIES} series x {DAYS} days", flush=True)
        started = time.perf_counter()
        result = app.send_task("bench.forecast_engine", args=(SERIES, DAYS)).get(timeout=900)
        print(
            f"task answered in {time.perf_counter() - started:.1f} s (data generation included)", flush=True
        )
        print(
            "models chosen: " + ", ".join(f"{k} {v}" for k, v in sorted(result["models"].items())), flush=True
        )
        print(f"forecast_10k_cpu_s: {result['cpu_s']:.1f} s")
        print(f"machine_load_average: {result['load_average']:.1f}")
        print(f"forecast_10k_s: {result['elapsed_s']:.1f} s")
        print(f"forecast_warmup_s: {result['warmup_s']:.1f} s")
        print(f"forecast_peak_mb: {result['peak_mb']:.0f} MB")
        print(f"forecast_wape_ratio_vs_naive: {result['wape_ratio_vs_naive']:.3f}")
        print(f"forecast_worker_daemon: {int(result['daemon'])}")
        print(f"forecast_engine_jobs: {result['n_jobs']}")
        return 0
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        subprocess.run(
            ["redis-cli", "-u", f"{redis_base}/{REDIS_DB}", "flushdb"], capture_output=True, check=False
        )
        if started_services:
            subprocess.run([str(services), "stop"], check=False)


if __name__ == "__main__":
    sys.exit(main())
