"""Support modules of bench/api.py (not benchmarks: bench.sh runs only bench/*.py)."""
