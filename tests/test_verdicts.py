"""The grader's own verdicts (vientiane_teacher.verdicts), from a run's record: whatever the
record says about rightness is ignored, only the answer values count; a damaged or forged record
never raises; "not reached" only for exercises at or after the cell that stopped the run."""

import json

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from vientiane import checks
from vientiane.answers import ANSWER_LIMIT, encode
from vientiane_teacher.verdicts import judge, verdicts

RIGHT_02_3 = 11  # tests/test_grade.py's right answer (lesson 02's solution)


def notebook():
    """Cell 1 markdown, cell 2 code, then one cell per exercise of lesson 02 (cells 3-6)."""
    cells = [new_markdown_cell("# 02"), new_code_cell("import vientiane")]
    cells += [new_code_cell(f'vientiane.check("02.{i}", answer)') for i in range(1, 5)]
    return new_notebook(cells=cells)


def record(*checked, errors=(), stopped=None):
    """A record as sandboxed_run writes it: ``checked`` (cell index, bundle) pairs."""
    cells = {}
    for index, bundle in checked:
        cells.setdefault(index, {"index": index, "errors": [], "checks": []})["checks"].append(bundle)
    for index, error in errors:
        cells.setdefault(index, {"index": index, "errors": [], "checks": []})["errors"].append(error)
    return {"cells": list(cells.values()), "stopped": stopped or {}}


EXERCISES = ["02.1", "02.2", "02.3", "02.4"]


def test_a_right_value_is_right_and_the_records_own_verdict_is_ignored():
    found = verdicts(
        EXERCISES, record((4, {"exercise": "02.3", "right": False, "answer": encode(RIGHT_02_3)})), notebook()
    )
    assert found["02.3"].result == "right"
    forged = {"exercise": "02.3", "attempted": True, "right": True, "answer": encode("not the answer")}
    assert verdicts(EXERCISES, record((4, forged)), notebook())["02.3"].result == "wrong"


def test_a_bundle_without_an_answer_proves_nothing():
    forged = {"exercise": "02.3", "attempted": True, "right": True}
    assert verdicts(EXERCISES, record((4, forged)), notebook())["02.3"].result == "not attempted"


def test_the_last_check_of_an_exercise_counts():
    first = (4, {"exercise": "02.3", "answer": encode(RIGHT_02_3)})
    second = (5, {"exercise": "02.3", "answer": encode(12)})
    assert verdicts(EXERCISES, record(first, second), notebook())["02.3"].result == "wrong"
    first, second = (5, first[1]), (4, second[1])  # the cells run from the top: the lower one first
    assert verdicts(EXERCISES, record(first, second), notebook())["02.3"].result == "right"


def test_the_wrong_verdict_carries_the_notebooks_own_targeted_hint():
    found = judge("02.1", encode(["RUS"]))
    assert found.result == "wrong" and found.text == checks.feedback("02.1", ["RUS"])[0]
    assert found.hint and found.hint != checks.EXERCISES["02.1"][1]


@pytest.mark.parametrize(
    "damaged",
    [
        {"$tuple": "not a list"},
        {"$dict": [[1]]},
        {"$set": [[{"$dict": []}]]},
        {"$unknown": 1},
        {"$str": "x" * (ANSWER_LIMIT + 10)},
        ["deep"] * (ANSWER_LIMIT + 1),
        json.loads("[" * 500 + "]" * 500),
    ],
)
def test_a_damaged_or_oversized_answer_is_wrong_and_never_raises(damaged):
    assert judge("02.3", damaged).result == "wrong"


@pytest.mark.parametrize(
    "junk",
    [{}, {"cells": "x"}, {"cells": [1, None, {"index": "3"}, {"index": 99, "checks": [{"exercise": "02.3"}]}]}, []],
)
def test_a_record_of_junk_gives_not_attempted_everywhere(junk):
    assert {v.result for v in verdicts(EXERCISES, junk, notebook()).values()} == {"not attempted"}


def test_exercises_at_or_after_a_failing_cell_are_not_reached_and_those_before_not_attempted():
    nb = notebook()
    stopped = record(errors=[(3, ["NameError", "name 'x' is not defined"])])
    found = {e: v.result for e, v in verdicts(EXERCISES, stopped, nb).items()}
    assert found == {
        "02.1": "not attempted",
        "02.2": "not reached: error in cell 4",
        "02.3": "not reached: error in cell 4",
        "02.4": "not reached: error in cell 4",
    }
    timed_out = record((2, {"exercise": "02.1", "answer": encode("...")}), stopped={"why": "timeout", "cell": 4})
    found = {e: v.result for e, v in verdicts(EXERCISES, timed_out, nb).items()}
    assert found == {
        "02.1": "not attempted",
        "02.2": "not attempted",
        "02.3": "not reached: timeout in cell 5",
        "02.4": "not reached: timeout in cell 5",
    }
