# The two commands: `make run` and `make test`. See README.md.
.PHONY: run stop test bench lint format setup

run:
	@scripts/dev/run.sh

stop:
	@scripts/dev/stop.sh

test:
	@scripts/dev/test.sh

setup:
	@scripts/dev/bootstrap.sh

lint:
	@.venv/bin/ruff format --check . && .venv/bin/ruff check .

format:
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Every benchmark under bench/ (bench/<name>.py), or one: make bench-<name>
bench:
	@scripts/dev/bench.sh

bench-%:
	@scripts/dev/bench.sh $*
