"""Reading one handed-in notebook and running it: parse it (outputs cleared), tell its lesson,
run it in the one kernel runner, and read its verdicts and written answers off the run with
the steps ``CollectCheckResults`` and ``CollectWrittenAnswers``. The README ("Collecting and
grading") is the manual; ``grade``'s docstring gives the statuses.

>>> exercises_of("02")
['02.1', '02.2', '02.3', '02.4']
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from vientiane import checks, paths

from .lessons import ROOT, WRITTEN, Lesson, exercise_order, lesson_file, lessons
from .runner import execute
from .steps import NOT_ATTEMPTED, ClearOutputs, CollectCheckResults, CollectWrittenAnswers, apply
from .submissions import OK, Submission


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


def first_error(nb) -> str:
    """``error in cell N: <first line>`` for the first cell that raised, else "".

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> bad = new_code_cell("1/0", outputs=[new_output("error", ename="ZeroDivisionError", evalue="division by zero")])
    >>> first_error(new_notebook(cells=[new_code_cell("1"), bad]))
    'error in cell 2: ZeroDivisionError: division by zero'
    """
    for i, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                line = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip().splitlines()[0]
                return f"error in cell {i}: {_shorten(line)}"
    return ""


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
        _, found = CollectWrittenAnswers(placeholders=placeholders(submission.lesson))(nb, {})
        submission.written = found["written"]
    if submission.lesson:
        submission.results = dict.fromkeys(exercises_of(submission.lesson), NOT_ATTEMPTED)


def kernel_env() -> dict[str, str]:
    """The kernels' environment: this collection's library first, the inline figure backend."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the inline backend, as in the students' Jupyter (plt.show() works)
    root = paths.checkout()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(root / "lib"), env.get("PYTHONPATH", "")] if p)
    return env


async def run(submission: Submission, timeout: float, env: dict, work: Path) -> None:
    """Execute one submission in a new kernel in ``work``; set its results and status.

    Like nbgrader's autograder, the cells after one that raises still run; ``timeout``
    seconds is the limit for the whole notebook, kernel start included, and for any cell.
    """
    nb = submission.nb
    work.mkdir()
    # The temporary copy, as parsed: json, not nbformat.writes, which logs a student's schema slips.
    (work / "submission.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    env = dict(env, VIENTIANE_FIGURES=str(work / "figures"))
    ran = await execute(
        nb, work, allow_errors=True, cell_timeout=timeout, total_timeout=timeout, env=env, log=work / "kernel.log"
    )
    cell = f"cell {ran.cell + 1}" if ran.cell is not None else "the kernel start"
    stop = ""
    if ran.timed_out:
        stop = f"timeout in {cell}"
    elif ran.died:
        stop = f"kernel died in {cell}"
    elif ran.error is not None:
        stop = f"could not run: {_shorten(f'{type(ran.error).__name__}: {ran.error}'.splitlines()[0])}"
    _, found = apply(nb, CollectCheckResults(exercises=exercises_of(submission.lesson)))
    submission.results = found["results"]
    submission.status = "; ".join(p for p in (first_error(nb), stop) if p) or OK
