"""Checks of what the lessons wrote while they ran under nbval (they run last; see conftest).

nbval compares text outputs only: it skips images and widget views. So the figures the
lessons saved during this run (into a temporary folder) are compared byte for byte with the
committed figures/, the figures shown in the notebooks with those files, and the working
tree with the one the run started from.
"""

import base64
import json
import re
from pathlib import Path

import pytest

from tests.ci import under_ci
from tests.repo import ROOT
from tests.working_tree import changes, fingerprint
from vientiane_teacher import editions, lessons

FIGURES = ROOT / "figures"
pytestmark = pytest.mark.after_notebooks


@pytest.fixture
def written(request) -> Path:
    """The folder the lessons saved their figures to in this run."""
    if not request.config.vientiane_ran_notebooks:
        if under_ci():
            pytest.fail("the lessons did not run in this session (make test runs them under nbval)")
        pytest.skip("the lessons did not run in this session: run `make test`")
    return Path(request.config.vientiane_figures)


def test_the_lessons_wrote_exactly_the_committed_figures(written):
    committed = {p.name: p.read_bytes() for p in FIGURES.iterdir() if p.name != "index.csv"}
    fresh = {p.name: p.read_bytes() for p in written.iterdir()}
    assert sorted(fresh) == sorted(committed), "the lessons save other figures than figures/ holds: make figures"
    differ = [name for name in committed if fresh[name] != committed[name]]
    assert not differ, f"figures/ differs from what the lessons draw now: {differ} (run `make figures`)"


def test_the_figures_index_is_fresh(written):
    assert (FIGURES / "index.csv").read_text(encoding="utf-8") == editions.figures_index(written)


def test_figures_shown_in_the_notebooks_are_the_committed_ones():
    """A figure output's PNG (``[figure NAME] …`` in its text) is figures/NAME.png, byte for byte."""
    shown = 0
    for path in lessons.lessons(ROOT):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                match = re.match(r"\[figure (\w+)\]", "".join(data.get("text/plain", "")))
                source = re.search(r'src="data:image/png;base64,([^"]+)"', "".join(data.get("text/html", "")))
                if match and source:
                    png = base64.b64decode(source.group(1))
                    assert png == (FIGURES / f"{match.group(1)}.png").read_bytes(), f"{path.name}: {match.group(1)}"
                    shown += 1
    assert shown == len(list(FIGURES.glob("*.png")))


def test_the_run_changed_no_file_of_the_working_tree(request):
    before = request.config.vientiane_tree
    if before is None:
        pytest.skip("not a git checkout: nothing to compare")
    changed = changes(before, fingerprint())
    assert not changed, f"the tests changed files of the working tree: {changed}"
