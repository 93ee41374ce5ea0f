"""The one model of a lesson (vientiane_teacher.lessons), the cell roles' table and the notebook
steps, on the real lessons and on small notebooks made here. No kernel runs."""

import copy

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.import_graph import assert_no_cycle
from tests.repo import ROOT
from vientiane import checks
from vientiane_teacher import build, editions, handed_in, lessons, steps
from vientiane_teacher.lessons import PRESENT, ROLES, SOLUTION, TEACHER, TEACHER_ONLY, WRITTEN, Lesson

LESSONS = [Lesson.from_path(path) for path in lessons.lessons(ROOT)]
NBVAL_TAGS = {"nbval-ignore-output", "nbval-skip", "nbval-raises-exception"}  # tags that are not roles


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_a_lesson_knows_its_number_title_roles_and_exercises(lesson):
    assert lesson.number == lesson.path.name[:2] and lesson.name == lesson.path.stem
    assert lesson.title.startswith(f"{lesson.number} · ")
    assert set(lesson.by_role) == set(ROLES)
    assert lesson.cells(SOLUTION) and lesson.cells(WRITTEN) and lesson.cells(PRESENT)
    # The exercises its checks name are the ones the key holds for it, in order.
    assert lesson.exercises == handed_in.exercises_of(lesson.number)
    assert set(lesson.exercises) <= set(checks.EXERCISES)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_every_tag_of_a_lesson_is_a_role_or_a_test_tag(lesson):
    """A new tag is a new role in the one table (or it means nothing to the tools)."""
    tags = {tag for cell in lesson.notebook.cells for tag in cell.metadata.get("tags", [])}
    assert tags <= set(ROLES) | NBVAL_TAGS, f"{lesson.name}: tags {tags - set(ROLES) - NBVAL_TAGS} are no role"


def test_the_roles_table_says_which_are_the_teachers():
    assert set(TEACHER_ONLY) == {SOLUTION, TEACHER}
    assert all(role.meaning for role in ROLES.values())
    with pytest.raises(KeyError, match="not a cell role"):
        lessons.has_role(new_code_cell("1"), "solutions")  # a misspelt role is a bug, not "no such cells"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_the_student_copy_of_a_lesson_is_the_same_lesson_without_the_teachers_cells(lesson):
    student = editions.student_notebook(lesson.notebook)
    copy_ = Lesson.from_notebook(student, [lesson.number, "99"], "handed-in.ipynb")
    assert copy_.number == lesson.number and copy_.title == lesson.title
    assert not any(copy_.by_role[role] for role in TEACHER_ONLY)
    assert len(copy_.cells(WRITTEN)) == len(lesson.cells(WRITTEN))
    assert not any(cell.get("outputs") for cell in student.cells) and "widgets" not in student.metadata


def test_a_handed_in_notebook_without_metadata_is_known_by_its_checks():
    nb = new_notebook(
        cells=[new_code_cell('vientiane.check("03.1", a)\ncheck("03.2", b)'), new_code_cell('check("02.1", c)')]
    )
    assert Lesson.from_notebook(nb, ["02", "03"]).number == "03"
    assert Lesson.from_notebook(nb, ["02"]).number == "02"
    assert Lesson.from_notebook(new_notebook(cells=[new_markdown_cell("# Another course")]), ["02"]).number == ""


def test_steps_compose_and_leave_other_cells_alone():
    teacher = new_code_cell("note", metadata={"tags": [TEACHER]})
    kept = new_code_cell("1", outputs=[new_output("stream", text="1")], metadata={"tags": [WRITTEN]})
    nb = new_notebook(cells=[kept, teacher], metadata={"widgets": {"x": 1}})
    out, _ = steps.apply(copy.deepcopy(nb), steps.DropRoles(roles=list(TEACHER_ONLY)), steps.ClearOutputs())
    assert [c.source for c in out.cells] == ["1"] and out.cells[0].outputs == [] and "widgets" not in out.metadata
    assert len(nb.cells) == 2 and nb.cells[0].outputs  # the steps changed the copy only


def test_stamp_and_stable_ids():
    ids = ["a" * 32, "b" * 32]
    state = {i: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{ids[1]}"}} for i in ids}
    nb = new_notebook(metadata={"widgets": {steps.WIDGET_STATE: {"state": state}}})
    nb, _ = steps.apply(nb, steps.StampInputs(inputs="f00", lesson="02"), steps.StableWidgetIds(salt="02_x"))
    assert nb.metadata["vientiane"] == {"inputs": "f00", "lesson": "02"}
    new = list(nb.metadata["widgets"][steps.WIDGET_STATE]["state"])
    assert not set(new) & set(ids) and len(set(new)) == 2
    again, _ = steps.StableWidgetIds(salt="02_x")(
        new_notebook(metadata={"widgets": {steps.WIDGET_STATE: {"state": state}}}), {}
    )
    assert list(again.metadata["widgets"][steps.WIDGET_STATE]["state"]) == new  # same inputs, same ids


def test_outside_a_clone_the_build_says_so(monkeypatch, capsys):
    """``python -m vientiane_teacher.build`` from an installed library: a message, not a TypeError."""
    monkeypatch.setattr(build, "ROOT", None)
    assert build.main([]) == 2
    assert "clone of the collection" in capsys.readouterr().err


def test_stream_outputs_are_one_however_the_kernel_cut_them():
    """Under load a print reaches the notebook in several messages: saved, it is one output;
    a display between two prints keeps them apart (the order a student sees stays)."""
    cut = [new_output("stream", text="a"), new_output("stream", text="b\n"), new_output("stream", text="c\n")]
    shown = new_output("display_data", data={"text/plain": "x"})
    nb = new_notebook(cells=[new_code_cell(outputs=[*cut, shown, new_output("stream", text="d\n")])])
    nb, _ = steps.CoalesceStreams()(nb, {})
    assert [o.get("text", "display") for o in nb.cells[0].outputs] == ["ab\nc\n", "display", "d\n"]


def test_coalescing_leaves_markdown_cells_valid():
    """A Markdown cell has no outputs: a step that gave it some would write an invalid notebook."""
    import nbformat

    nb = new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell(outputs=[new_output("stream", text="a")])])
    nb, _ = steps.CoalesceStreams()(nb, {})
    assert "outputs" not in nb.cells[0]
    nbformat.validate(nb)


def _teacher_modules() -> dict:
    import ast

    folder = ROOT / "lib" / "vientiane_teacher"
    return {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.py"))}


def test_the_teachers_tools_have_no_import_cycle():
    """Issue 15: no cycle anywhere in lib/ (tests/test_api.py holds the students' library)."""
    import ast

    modules = _teacher_modules()
    graph = {}
    for name, tree in modules.items():
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vientiane_teacher."):
                found.add(node.module.split(".")[1])
        graph[name] = (found & set(modules)) - {name, "__init__"}
    assert_no_cycle(graph)


def test_one_module_runs_kernels():
    """Only the runner makes a notebook client: build, grade and the tests go through it."""
    import ast

    users = sorted(
        name
        for name, tree in _teacher_modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom | ast.Import)
        and any((getattr(node, "module", None) or a.name).startswith("nbclient") for a in node.names)
    )
    assert set(users) == {"runner"}, f"modules that import nbclient: {users}"
