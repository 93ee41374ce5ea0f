"""The committed notebooks were executed from the current data and library (`make figures`)."""

import json

import pytest

from tests.repo import ROOT
from vientiane_teacher import lessons

HASHES = lessons.input_hashes(ROOT)


@pytest.mark.parametrize("path", lessons.lessons(ROOT), ids=lambda p: p.stem)
def test_notebook_is_not_stale(path):
    recorded = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("vientiane", {}).get("inputs")
    assert recorded == HASHES[path.stem], (
        f"{path.name} was executed before the latest change to itself, data/, seeds/ or lib/vientiane: run `make figures`"
    )


@pytest.mark.parametrize("path", lessons.lessons(ROOT), ids=lambda p: p.stem)
def test_notebook_has_outputs_and_widget_state(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), f"{path.name} has unexecuted cells"
    assert notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]


def test_lessons_are_the_seven_numbered_00_to_06():
    assert [p.stem[:2] for p in lessons.lessons(ROOT)] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", lessons.lessons(ROOT), ids=lambda p: p.stem)
def test_every_worked_solution_is_right(path):
    """A solution's saved output says right: a correction of the data that changes an answer
    must change the exercise's stored answer too."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if lessons.has_role(cell, lessons.SOLUTION):
            shown = "".join(
                "".join(o.get("text", o.get("data", {}).get("text/plain", ""))) for o in cell.get("outputs", [])
            )
            assert shown.startswith("✔ Right"), f"{path.name}: {''.join(cell['source'])[:80]!r} shows {shown[:80]!r}"
