# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

# axe-core, the accessibility checker the browser tests run in every page (tests/e2e/test_axe_browser.py),
# pinned by version and by the sha512 the npm registry publishes for its tarball (`dist.integrity`).
AXE_VERSION  := 4.14.1
AXE_SHA512   := FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_TARBALL  := https://registry.npmjs.org/axe-core/-/axe-core-$(AXE_VERSION).tgz

.PHONY: run test lint unit e2e bench chromium axe postgres clean

$(VENV)/.run-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt requirements-frameworks.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-frameworks.txt
	touch $@

## Serve the app at http://localhost:$(PORT); serve.py imports TensorFlow first, then runs `streamlit run app.py` (docs/server.md).
# One server process per CPU (GRADFLOW_WORKERS=auto, docs/server.md) unless the environment says otherwise:
# a lecture hall of 200 on two cores waits p95 3.3 s on one worker, 0.5 s on two (docs/speed.md).
run: export GRADFLOW_WORKERS ?= auto
run: $(VENV)/.run-deps
	$(PY) serve.py --server.port $(PORT) --server.headless true --browser.serverAddress localhost

## Lint, then the whole suite: core unit tests, AppTest page tests, browser tests in Chromium.
test: $(VENV)/.dev-deps chromium axe postgres lint
	$(PY) -m pytest

lint: $(VENV)/.dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/hadolint Dockerfile

unit: $(VENV)/.dev-deps postgres
	$(PY) -m pytest -m "not e2e"

e2e: $(VENV)/.dev-deps chromium axe
	$(PY) -m pytest -m e2e

## Print the speed and memory figures quoted in docs/speed.md (8 to 16 minutes, depending on the machine; loopback only).
## Each script exits non-zero when it misses a target; all of them run, and make reports the first failure.
bench: $(VENV)/.dev-deps chromium
	status=0; \
	$(PY) bench/core_bench.py || status=1; \
	$(PY) bench/rerun_bench.py || status=1; \
	$(PY) bench/hall_bench.py || status=1; \
	$(PY) bench/browser_bench.py || status=1; \
	$(PY) bench/first_chart_bench.py || status=1; \
	$(PY) bench/soak_bench.py || status=1; \
	$(PY) bench/startup_bench.py || status=1; \
	$(PY) bench/bytes_bench.py || status=1; \
	$(PY) bench/class_bench.py || status=1; \
	exit $$status

## Browser tests drive Debian's Chromium; install it when missing and apt is usable.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing and cannot be installed here: browser tests will be skipped."; fi

## axe-core's axe.min.js in .axe/ (gitignored), downloaded once per pinned version and checked against its sha512.
axe: .axe/axe.min.js

.axe/axe.min.js: .axe/axe-core-$(AXE_VERSION).tgz
	tar -xzf $< -O package/axe.min.js > $@.part
	mv $@.part $@

.axe/axe-core-$(AXE_VERSION).tgz:
	mkdir -p .axe
	$(PYTHON) -c 'import base64, hashlib, sys, urllib.request; \
	url, pinned, out = sys.argv[1:]; \
	data = urllib.request.urlopen(url, timeout=120).read(); \
	got = base64.b64encode(hashlib.sha512(data).digest()).decode(); \
	sys.exit(f"{url}: sha512-{got}, expected sha512-{pinned}") if got != pinned else open(out, "wb").write(data)' \
	'$(AXE_TARBALL)' '$(AXE_SHA512)' $@.part
	mv $@.part $@

## The class-data tests also run against a throwaway PostgreSQL cluster (tests/helpers/postgres.py); install the server when missing and apt is usable.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "PostgreSQL is missing and cannot be installed here: its half of the class-data tests will be skipped."; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .axe
