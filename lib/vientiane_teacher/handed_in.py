"""Reading one handed-in notebook and running it: parse it (outputs cleared), tell its lesson,
collect its written answers (``CollectWrittenAnswers``), run it in a sandbox of its own (the
one kernel runner inside), and decide its verdicts here from the answer values the run
recorded (``verdicts``). The README ("Collecting and
grading") is the manual; ``grade``'s docstring gives the statuses.

>>> exercises_of("02")
['02.1', '02.2', '02.3', '02.4']
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from vientiane import checks

from .lessons import ROOT, WRITTEN, Lesson, exercise_order, lesson_file, lessons
from .sandbox import RUN_SCRIPT
from .steps import NOT_ATTEMPTED, ClearOutputs, CollectWrittenAnswers
from .submissions import OK, Submission
from .verdicts import verdicts


def lesson_names() -> dict[str, str]:
    """The collection's lessons: number -> file name without .ipynb.

    Every lesson with exercises counts, even where the lessons' files are not at hand (the
    library installed without a clone): then its name is just "NN".

    >>> lesson_names()["02"]
    '02_membership_structures'
    """
    names = {exercise.split(".")[0]: exercise.split(".")[0] for exercise in checks.EXERCISES}
    if ROOT is not None:
        names.update({path.name[:2]: path.stem for path in lessons(ROOT)})
    return dict(sorted(names.items()))


def exercises_of(lesson: str) -> list[str]:
    """The exercise ids of ``lesson`` in the key (``checks.EXERCISES``), in order (02.10 after 02.9).

    >>> exercises_of("02")
    ['02.1', '02.2', '02.3', '02.4']
    """
    return sorted((e for e in checks.EXERCISES if e.split(".")[0] == lesson), key=exercise_order)


def lesson_titles() -> dict[str, str]:
    """Lesson number -> the title of the teacher's notebook (``Lesson.title``)."""
    titles = {}
    for path in lessons(ROOT) if ROOT is not None else []:
        try:
            titles[path.name[:2]] = Lesson.from_path(path).title
        except (OSError, ValueError, KeyError):
            continue
    return titles


def placeholders(lesson: str) -> list[str]:
    """The texts of the lesson's own ``written`` cells, as a student finds them."""
    path = lesson_file(lesson)
    return [cell.source.strip() for cell in Lesson.from_path(path).cells(WRITTEN)] if path else []


def written_tasks(lesson: str) -> dict[str, str]:
    """The lesson's written cells by id, and the task each is: "04.W" (04.W1, 04.W2, … when a
    lesson has several). Feedback, written.csv and the class report name them so.

    >>> written_tasks("02")
    {'02-W': '02.W'}
    """
    path = lesson_file(lesson)
    ids = [cell.get("id", "") for cell in Lesson.from_path(path).cells(WRITTEN)] if path else []
    if len(ids) == 1:
        return {ids[0]: f"{lesson}.W"}
    return {cell: f"{lesson}.W{i}" for i, cell in enumerate(ids, start=1)}


def parse(data: bytes):
    """The notebook in ``data``, outputs cleared; raises ValueError when it is not one.

    >>> len(parse(b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}').cells)
    0
    >>> parse(b"hello")
    Traceback (most recent call last):
    ...
    ValueError: not JSON
    """
    import nbformat

    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("not JSON") from None
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise ValueError("JSON, but not a notebook")
    try:
        nb = nbformat.convert(nbformat.from_dict(raw), 4)
        for cell in nb.cells:
            _clean(cell)
    except Exception as error:  # any malformed part: a student's file, not our bug
        raise ValueError(f"a damaged notebook ({type(error).__name__})") from None
    if not isinstance(nb.get("metadata"), dict):
        raise ValueError("a damaged notebook (metadata)")
    # Cleared even in cells that will not run (nbclient skips empty ones): a saved "right"
    # must never count. The widget state of outputs that are gone goes too.
    nb, _ = ClearOutputs()(nb, {})
    return nb


def _clean(cell) -> None:
    """Check one cell's shape (its outputs are cleared after: the run decides them)."""
    if cell["cell_type"] not in ("code", "markdown", "raw"):
        raise ValueError(cell["cell_type"])
    source = cell.get("source", "")
    cell["source"] = "".join(source) if isinstance(source, list) else source
    cell.setdefault("metadata", {})
    if not isinstance(cell["source"], str) or not isinstance(cell["metadata"], dict):
        raise ValueError("source or metadata")
    if not isinstance(cell["metadata"].get("tags", []), list):
        raise ValueError("tags")


def _shorten(text: str, limit: int = 160) -> str:
    text = text.strip().rstrip(":")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prepare(submission: Submission, known: Iterable[str]) -> None:
    """Parse a read submission and decide whether it runs (its status stays "")."""
    if submission.status:
        return
    data, submission.data = submission.data or b"", None  # the bytes are not needed any more
    if not data.strip():
        submission.status = "empty notebook"
        return
    try:
        nb = parse(data)
    except ValueError:
        submission.status = "not a notebook"
        return
    submission.lesson = Lesson.from_notebook(nb, known, submission.file).number
    if not any(cell.source.strip() for cell in nb.cells):
        submission.status = "empty notebook"
    elif not submission.lesson:
        submission.status = "not a lesson of this collection"  # and another course's code is not run
    else:
        submission.nb = nb
        step = CollectWrittenAnswers(
            placeholders=placeholders(submission.lesson), tasks=written_tasks(submission.lesson)
        )
        _, found = step(nb, {})
        submission.written = found["written"]
    if submission.lesson:
        submission.results = dict.fromkeys(exercises_of(submission.lesson), NOT_ATTEMPTED)


RECORD_LIMIT = 32 * 1024 * 1024  # bytes of a run's record: an honest one is a few kB


async def run(submission: Submission, box, timeout: float, work: Path) -> None:
    """Run one submission in ``box`` (a ``sandbox.Sandbox``, or ``sandbox.Unsandboxed``) and
    decide its verdicts here, in the grader's process (``verdicts``); set its results and status.

    Inside, the notebook runs in a new kernel; like nbgrader's autograder, the cells after one
    that raises still run. ``timeout`` seconds is the limit for any cell and for the whole
    notebook, kernel start included. The run hands out only a record of the answer values its
    checks saw and of the cells that raised; nothing it says about rightness counts.
    """
    nb = submission.nb
    payload = json.dumps(nb, ensure_ascii=False).encode("utf-8")
    argv = [sys.executable, str(box.inside_tools / RUN_SCRIPT), repr(float(timeout))]
    # The run stops itself at ``timeout``; this outer limit only catches a run that cannot.
    outcome = await box.run(argv, payload, timeout + max(120.0, timeout), work)
    record = _record(outcome.output)
    stop = ""
    if record is None:
        if outcome.timed_out:
            stop = "timeout (the sandbox was stopped)"
        else:
            why = (outcome.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
            stop = f"could not run: no record of the run ({_shorten(why) or f'exit status {outcome.returncode}'})"
        record = {"cells": [], "stopped": {"why": "failed", "cell": None}}
    found = verdicts(exercises_of(submission.lesson), record, nb)
    submission.verdicts = found
    submission.results = {exercise: verdict.result for exercise, verdict in found.items()}
    if not stop:
        stop = stop_status(record, len(nb.cells))
    submission.status = "; ".join(p for p in (first_error_in(record, len(nb.cells)), stop) if p) or OK


def _record(output: bytes) -> dict | None:
    """The run's record, or None when there is none (or it is not what the run writes)."""
    if not output or len(output) > RECORD_LIMIT:
        return None
    try:
        record = json.loads(output.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("cells"), list) else None


def first_error_in(record: dict, cells: int) -> str:
    """``error in cell N: <ename: evalue>`` for the first cell of the record that raised, else "".

    >>> first_error_in({"cells": [{"index": 3, "errors": [["NameError", "name 'x' is not defined"]]}]}, 5)
    "error in cell 4: NameError: name 'x' is not defined"
    """
    for cell in sorted(_cells(record, cells), key=lambda c: c["index"]):
        errors = cell.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], list) and len(errors[0]) == 2:
            ename, evalue = (str(part) for part in errors[0])
            line = (f"{ename or 'Error'}: {evalue}".strip().splitlines() or [""])[0]
            return f"error in cell {cell['index'] + 1}: {_shorten(line)}"
    return ""


def stop_status(record: dict, cells: int) -> str:
    """Why the run stopped early, as the status says it: ``timeout in cell N``, ``kernel died in
    cell N`` (N from 1), ``could not run: …``; "" when it ran to the end.

    >>> stop_status({"cells": [], "stopped": {"why": "timeout", "cell": 2}}, 4), stop_status({"cells": []}, 4)
    ('timeout in cell 3', '')
    """
    stopped = record.get("stopped")
    if not isinstance(stopped, dict) or not stopped:
        return ""
    cell = stopped.get("cell")
    where = f"cell {cell + 1}" if isinstance(cell, int) and 0 <= cell < cells else "the kernel start"
    why = stopped.get("why")
    if why == "timeout":
        return f"timeout in {where}"
    if why == "died":
        return f"kernel died in {where}"
    return f"could not run: {_shorten(str(stopped.get('error', 'the kernel did not start')).splitlines()[0])}"


def _cells(record: dict, cells: int) -> list[dict]:
    return [
        c
        for c in record.get("cells", [])
        if isinstance(c, dict) and isinstance(c.get("index"), int) and 0 <= c["index"] < cells
    ]
