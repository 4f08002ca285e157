# The README's two commands are `make run` and `make test`; the rest are for developers.
.PHONY: run test setup lint format lock vendor messages bench fuzz clean

run: setup            ## set up, load the demo company and serve on http://127.0.0.1:8000
	scripts/run

test: setup           ## ruff, then the whole suite on SQLite and on a throwaway PostgreSQL
	scripts/test

setup:                ## the virtualenv with the pinned packages (idempotent)
	scripts/setup

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-logo --no-cache

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

lock:                 ## re-pin requirements.txt from requirements.in
	scripts/lock

vendor:               ## refresh the vendored htmx and Bootstrap from the npm registry
	scripts/vendor

messages:             ## update the zh-hans catalogue (taking tracecode/locale/pending/*.po), compile it
	scripts/translations

bench: setup          ## the benchmarks (bench/README in the main README)
	scripts/bench

fuzz: setup           ## the schema fuzzer against a running server (FUZZ_MAX_TIME, FUZZ_SEED)
	scripts/fuzz

clean:
	rm -rf .venv .venv-fuzz data
