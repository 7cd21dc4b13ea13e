# pledge-normalizer: make serve | make test | make eval | make openapi | make bench
# The virtualenv (.venv) is created on first use; the project is (re)installed into it only when
# pyproject.toml changed since the last install (stamp file .venv/.installed).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SERVE_STAMP := $(VENV)/.installed-runtime
SHARED ?= ../shared
PYTEST_ARGS ?=

.PHONY: serve test eval eval-real openapi venv bench loadtest

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create $(VENV): install python3-venv (Debian: apt-get install python3-venv)" >&2; exit 1; }

# make test (and the tools) install the test extras; make serve only what the service runs on.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(SERVE_STAMP)

$(SERVE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

venv: $(STAMP)

# Runs gunicorn in the foreground on 127.0.0.1:$PORT (default 8000); `exec` so it gets SIGTERM.
serve: $(SERVE_STAMP)
	exec $(BIN)/gunicorn -c gunicorn.conf.py service.wsgi:app

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Regenerate openapi.yaml from the code (tests/api/test_spec.py fails when they differ).
openapi: $(STAMP)
	$(BIN)/python -m service.openapi --write openapi.yaml

# with_service: starts gunicorn on a free loopback port, waits for /readyz, runs $(1) with
# $$port set, and stops the server it started (used by eval and eval-real).
define with_service
	@set -euo pipefail; \
	test -f $(SHARED)/eval/score.py || { echo "$(SHARED)/eval/score.py not found: set SHARED=/path/to/shared" >&2; exit 1; }; \
	port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	PORT=$$port LOG_LEVEL=warning $(BIN)/gunicorn -c gunicorn.conf.py --access-logfile /dev/null service.wsgi:app & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null || true; wait $$pid 2>/dev/null || true' EXIT; \
	ready=0; for _ in $$(seq 150); do \
	  kill -0 $$pid 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }; \
	  if $(BIN)/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "http://127.0.0.1:$$port/readyz" 2>/dev/null; then ready=1; break; fi; \
	  sleep 0.2; \
	done; \
	test $$ready = 1 || { echo "service did not become ready" >&2; exit 1; }; \
	$(1)
endef

# Scores a live service on ../shared/eval/{seed,dev}.jsonl with score.py.
eval: $(STAMP)
	$(call with_service,for gold in seed dev; do \
	  echo "== $$gold"; \
	  $(BIN)/python $(SHARED)/eval/score.py --url "http://127.0.0.1:$$port" --gold "$(SHARED)/eval/$$gold.jsonl" $(EVAL_ARGS); \
	done)

# Scores a live service on the real-news manifest (tests/corpora/real/README.md): its texts are
# re-created outside the repository first, into TEXTS (one <id>.txt per manifest line).
TEXTS ?= $(or $(TMPDIR),/tmp)/realnews/texts
REAL_MANIFEST ?= tests/corpora/real/manifest.jsonl
eval-real: $(STAMP)
	@test -d "$(TEXTS)" || { echo "no texts in $(TEXTS): re-create them as tests/corpora/real/README.md says, or set TEXTS=dir" >&2; exit 1; }
	$(call with_service,$(BIN)/python $(SHARED)/eval/real-dev/score_real.py --url "http://127.0.0.1:$$port" \
	  --manifest "$(REAL_MANIFEST)" --texts "$(TEXTS)" $(EVAL_ARGS))

# Performance benchmark (issue 6; takes a few minutes, not part of `make test`): in-process engine
# and money-stage timings, start-up, HTTP load through gunicorn on 127.0.0.1, worker memory, and the
# spaCy peer when its venv exists (PEER_VENV, default ../.peer-venv). Prints a table and writes
# bench-results/<timestamp>.json and bench-results/latest.json. The pledge ledger: ingest throughput on
# SQLite and GET /v1/pledges p99 at 100,000 pledges (PostgreSQL too with BENCH_POSTGRES_URL, a scratch
# database it empties). Hostile texts at the 200,000-character text limit (issue 11): engine CPU and HTTP, each
# answered 200 within 2 s. BENCH_ARGS: --quick --skip-http --skip-peer --skip-ledger --skip-hostile
BENCH_ARGS ?=
bench: $(STAMP)
	SHARED=$(SHARED) $(BIN)/python -m bench $(BENCH_ARGS)

# Bounded load test (issue 5; not part of `make test`): gunicorn as shipped on 127.0.0.1, a fixed
# number of requests at concurrency 32 over real and adversarial documents; prints throughput,
# latency percentiles, errors (must be 0) and worker RSS before/after. LOADTEST_ARGS: --requests N ...
LOADTEST_ARGS ?=
loadtest: $(STAMP)
	SHARED=$(SHARED) $(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)
