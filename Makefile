# The README's two commands: `make figures` (the main job) and `make test`.
# Both build .venv on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONSTRAINTS := requirements/constraints.txt
LESSON ?= 02

.PHONY: venv figures student test test-browser lab present browser lint clean help

help:
	@echo "make figures   run every lesson headless; regenerate figures/ and build/ (FORCE=1 to rebuild all)"
	@echo "make test      the whole test suite (data, library, notebooks under nbval, browser)"
	@echo "make student   write the student edition to the branch student (make figures does it too)"
	@echo "make lab       JupyterLab on the notebooks"
	@echo "make present LESSON=02   a lesson's explorers as a Voila dashboard for the projector"

venv: $(STAMP)

# Exact, tested versions come from the constraints file; pyproject keeps ranges.
$(STAMP): pyproject.toml setup.py $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	touch $@

figures: venv
	$(BIN)/python -m vientiane_teacher.build $(if $(FORCE),--force,)
	$(BIN)/python -m vientiane_teacher.publish

# The student edition as a commit on the branch `student` (the links in the README point there).
student: venv
	$(BIN)/python -m vientiane_teacher.build
	$(BIN)/python -m vientiane_teacher.publish

test: venv browser
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

lab: venv
	$(BIN)/jupyter lab notebooks

present: venv
	$(BIN)/python -m vientiane_teacher.present $(LESSON)

lint: venv
	$(BIN)/ruff check lib tests benchmarks notebooks conftest.py setup.py

clean:
	rm -rf build .pytest_cache
