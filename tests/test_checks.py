"""Self-checks: right answers pass in any reasonable form, wrong ones get a hint, answers stay hidden."""

from pathlib import Path

import pytest

import vientiane
from vientiane import checks


def test_right_answer_in_other_forms(capsys):
    assert vientiane.check("02.1", ["rus", " CHN"])
    assert vientiane.check("00.1", 17.0)
    assert "Right" in capsys.readouterr().out


def test_wrong_answer_gets_the_hint(capsys):
    assert not vientiane.check("02.1", ["RUS"])
    assert "Hint" in capsys.readouterr().out


def test_unknown_exercise_lists_known():
    with pytest.raises(KeyError, match="00.1"):
        vientiane.check("99.9", 1)


def test_every_lesson_has_three_exercises():
    lessons = {key.split(".")[0] for key in checks.EXERCISES}
    assert lessons == {"00", "01", "02", "03", "04", "05"}
    for lesson in lessons:
        assert sum(key.startswith(lesson + ".") for key in checks.EXERCISES) >= 3


@pytest.mark.parametrize("answer", ["ARF", "CHN|RUS", "2016-07-25", "versatile", "Mosyakov"])
def test_answers_are_not_in_the_library_as_plain_text(answer):
    source = Path(checks.__file__).read_text(encoding="utf-8")
    assert answer.casefold() not in source.casefold()


def test_the_placeholder_is_not_an_attempt(capsys):
    assert not vientiane.check("02.1", [...])
    shown = capsys.readouterr().out
    assert "Replace the ..." in shown and "Hint" not in shown


def test_in_a_notebook_the_result_is_machine_readable_too():
    """In a kernel, check shows its text and a JSON result that the grader collects."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [
        new_code_cell('import vientiane\nvientiane.check("02.1", ["RUS", "CHN"])'),
        new_code_cell('vientiane.check("02.1", ["RUS"])'),
        new_code_cell('vientiane.check("02.1", [...])'),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    NotebookClient(nb, timeout=60).execute()
    results = [c.outputs[0]["data"][checks.RESULT_MIME] for c in nb.cells]
    assert results == [
        {"exercise": "02.1", "attempted": True, "right": True},
        {"exercise": "02.1", "attempted": True, "right": False},
        {"exercise": "02.1", "attempted": False, "right": False},
    ]
    assert nb.cells[0].outputs[0]["data"]["text/plain"].startswith("✔ Right")
