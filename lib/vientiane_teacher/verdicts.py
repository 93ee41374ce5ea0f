"""Verdicts the student cannot write: the grader reads the answer VALUES a sandboxed run
recorded (each ``vientiane.check(exercise, answer)`` call shows its answer, encoded by
``vientiane.answers.encode``) and decides right or wrong itself, in its own process, with its
own key (``vientiane.checks`` as the grader imported it from the teacher's clone, before any
submission ran; the sandbox sees only the students' copy, read-only).
Whatever the run says about rightness is ignored; a forged record is only as good as the
values in it, so it equals knowing the answers. The README ("Collecting and grading") is the
manual.

>>> record = {"cells": [{"index": 1, "errors": [], "checks": [{"exercise": "02.4", "answer": "eighteen"}]}]}
>>> from nbformat.v4 import new_code_cell, new_notebook
>>> nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell('vientiane.check("02.4", answer)')])
>>> found = verdicts(["02.4"], record, nb)
>>> found["02.4"].result, found["02.4"].text.startswith("✘ Not yet. Hint: 18 counts Russia")
('wrong', True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from vientiane import checks
from vientiane.answers import ANSWER_LIMIT, canonical, decode

from .steps import NOT_ATTEMPTED, RIGHT, WRONG

CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""")
NOT_REACHED = "not reached"
TOO_LONG = {"$too_long": True}


@dataclass
class Verdict:
    """One exercise of one submission: ``result`` (right, wrong, not attempted, or "not
    reached: error in cell N"), the check's ``text`` for the student (the same hint the
    notebook gives), the ``answer`` in canonical form (for the teacher's class report only), and
    the targeted ``hint`` shown, if one was."""

    result: str
    text: str = ""
    answer: str = ""
    hint: str = ""


def verdicts(exercises: list[str], record: dict, nb) -> dict[str, Verdict]:
    """The verdict of each of ``exercises`` from a sandboxed run's ``record`` (``{"cells":
    [{"index", "errors", "checks"}], "stopped": {...}}``) and the handed-in notebook ``nb``
    (which cell checks which exercise, to tell "not reached" from "not attempted").

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("facts = vientiane.lod()"), new_code_cell('check("02.3", x)')])
    >>> broken = {"cells": [{"index": 0, "errors": [["AttributeError", "lod"]], "checks": []}]}
    >>> verdicts(["02.3"], broken, nb)["02.3"].result
    'not reached: error in cell 1'
    """
    shown = _last_answers(exercises, record)
    stop = stopping_cell(record, len(nb.cells))
    checked_in = {}
    for index, cell in enumerate(nb.cells):
        for exercise in CHECK_CALL.findall(cell.source) if cell.cell_type == "code" else []:
            checked_in.setdefault(exercise, index)
    found = {}
    for exercise in exercises:
        if exercise in shown:
            found[exercise] = judge(exercise, shown[exercise])
        elif stop is not None and exercise in checked_in and stop[0] <= checked_in[exercise]:
            found[exercise] = Verdict(f"{NOT_REACHED}: {stop[1]} in cell {stop[0] + 1}")
        else:
            found[exercise] = Verdict(NOT_ATTEMPTED, "… Replace the ... with your answer, then run the cell again.")
    return found


def judge(exercise: str, encoded) -> Verdict:
    """The grader's own verdict on one recorded answer, with the key it holds.

    >>> judge("02.4", {"$str": "..."}).result, judge("02.4", "...").result
    ('wrong', 'not attempted')
    """
    try:  # the record may be forged: an answer far longer than any answer is read as none
        too_long = encoded == TOO_LONG or len(json.dumps(encoded, ensure_ascii=False)) > ANSWER_LIMIT
    except (TypeError, ValueError, RecursionError):
        too_long = True
    if too_long:
        return Verdict(WRONG, "✘ Not yet: the answer was too long to be an answer to this exercise.")
    try:
        value = decode(encoded)
        text, right = checks.feedback(exercise, value)
    except Exception:  # a damaged or forged record: it proves nothing
        return Verdict(WRONG, f"✘ Not yet. Hint: {checks.EXERCISES[exercise][1]}")
    if not checks.attempted(value):
        return Verdict(NOT_ATTEMPTED, text)
    general = checks.EXERCISES[exercise][1]
    hint = text.removeprefix("✘ Not yet. Hint: ") if text.startswith("✘ Not yet. Hint: ") else ""
    try:
        shown = canonical(value)
    except Exception:
        shown = str(value)
    return Verdict(RIGHT if right else WRONG, text, "" if right else shown[:200], hint if hint != general else "")


def stopping_cell(record: dict, cells: int) -> tuple[int, str] | None:
    """(index, "error" / "timeout" / "kernel died") of the first cell that raised or stopped the run.

    >>> stopping_cell({"cells": [{"index": 4, "errors": [["E", ""]]}], "stopped": {"why": "timeout", "cell": 2}}, 6)
    (2, 'timeout')
    """
    candidates = []
    for cell in record.get("cells", []) if isinstance(record, dict) else []:
        if isinstance(cell, dict) and cell.get("errors") and _index(cell.get("index"), cells) is not None:
            candidates.append((cell["index"], "error"))
    stopped = record.get("stopped") if isinstance(record, dict) else None
    if isinstance(stopped, dict) and _index(stopped.get("cell"), cells) is not None:
        kind = {"timeout": "timeout", "died": "kernel died"}.get(stopped.get("why"))
        if kind:
            candidates.append((stopped["cell"], kind))
    return min(candidates) if candidates else None


def _last_answers(exercises: list[str], record: dict) -> dict:
    """exercise -> the encoded answer of the last check of it that the run showed."""
    shown = {}
    cells = record.get("cells", []) if isinstance(record, dict) else []
    for cell in sorted(
        (c for c in cells if isinstance(c, dict) and isinstance(c.get("index"), int)), key=lambda c: c["index"]
    ):
        for result in cell.get("checks", []) if isinstance(cell.get("checks"), list) else []:
            if isinstance(result, dict) and result.get("exercise") in exercises and "answer" in result:
                shown[result["exercise"]] = result["answer"]
    return shown


def _index(value, cells: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < cells else None
