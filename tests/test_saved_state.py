"""What each explorer shows when the lesson is opened without running is its saved widget
state, which nbval never reads. Each explorer is rebuilt here from its cell (tagged
``present``) and its default view must equal the saved one: an edited state fails."""

import json

import pytest

import vientiane
from tests.repo import ROOT
from vientiane_teacher import lessons

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"


def explorer_cells():
    found = []
    for path in lessons.lessons(ROOT):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if lessons.has_role(c, lessons.PRESENT)]
        found += [(path, notebook, cell) for cell in cells]
    return found


CELLS = explorer_cells()


def saved_outputs(notebook, cell) -> list:
    """The outputs stored in the Output widget of the explorer this cell displayed."""
    state = notebook["metadata"]["widgets"][STATE]["state"]
    views = [o["data"][VIEW]["model_id"] for o in cell["outputs"] if VIEW in o.get("data", {})]
    assert len(views) == 1, "an explorer cell shows one widget"
    children = state[views[0]]["state"]["children"]
    outputs = [state[c.removeprefix("IPY_MODEL_")] for c in children]
    found = [m for m in outputs if m["model_name"] == "OutputModel"]
    assert len(found) == 1, "the explorer has one result area"
    return found[0]["state"]["outputs"]


@pytest.mark.parametrize(
    "path, notebook, cell", CELLS, ids=[f"{p.stem}:{''.join(c['source']).split('(')[0]}" for p, _, c in CELLS]
)
def test_saved_explorer_shows_its_default_view(facts, path, notebook, cell):
    namespace = {"vientiane": vientiane, "facts": facts}
    explorer = eval("".join(cell["source"]), namespace)  # one call, e.g. vientiane.widgets.x_explorer(facts)
    fresh = json.loads(json.dumps(list(explorer.output.outputs)))
    assert saved_outputs(notebook, cell) == fresh, f"{path.name}: the saved view is not the explorer's default"


def test_every_lesson_has_an_explorer_cell():
    assert {p for p, _, _ in CELLS} == set(lessons.lessons(ROOT))
