# The README's two commands: `make figures` (the main job) and `make test`.
# Both build .venv on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONSTRAINTS := requirements/constraints.txt
LESSON ?= 02

.PHONY: venv figures student links handouts test test-browser lab lab-teacher present grade browser bubblewrap hub-proxy lint clean help

help:
	@echo "make figures   run every lesson headless; regenerate figures/ and build/ (FORCE=1 to rebuild all)"
	@echo "make test      the whole test suite (data, library, notebooks under nbval, browser)"
	@echo "make student STUDENT_REPO=<path or git URL>   publish the student edition to the students' repository (branch main)"
	@echo "make student   without STUDENT_REPO: only the preview branch student of this repository (make figures does it too)"
	@echo "make links HUB=<hub URL> STUDENT_REPO=<URL>   print the nbgitpuller and Binder links for students"
	@echo "make handouts  print the class edition of each lesson and the seminar kit to build/handouts/ (PDF)"
	@echo "make lab       JupyterLab on a student-edition copy of the lessons (lab/); make lab-teacher: on notebooks/"
	@echo "make present LESSON=02   a lesson's explorers as a Voila dashboard for the projector"
	@echo "make grade SUBMISSIONS=<folder> [OUT=grades.csv] [TIMEOUT=120] [UNSANDBOXED=1]   grade handed-in notebooks, each in a sandbox"

venv: $(STAMP)

# Exact, tested versions come from the constraints file; pyproject keeps ranges.
$(STAMP): pyproject.toml setup.py $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	touch $@

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
		tests lib/vientiane lib/vientiane_teacher notebooks

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

lint: venv
	$(BIN)/ruff check lib tests benchmarks notebooks conftest.py setup.py

clean:
	rm -rf build .pytest_cache
