"""``make grade``: run the students' notebooks and say who got which exercise right.

    python -m vientiane_teacher.grade SUBMISSIONS [--out grades.csv] [--timeout 120] [--jobs N]

``SUBMISSIONS`` is a folder of handed-in notebooks, as a school's LMS gives them: a download
unpacked, files named by student, possibly one folder per student. Every ``.ipynb`` below it
counts, and so does every ``.ipynb`` inside any ``.zip`` below it: zips are read in place,
never unpacked (a zip inside a zip is not opened). Hidden files and folders (a name starting
with a dot: ``.ipynb_checkpoints``, macOS's ``._`` files) and ``__MACOSX/`` are left out;
symbolic links are reported, not followed.

**Whose file is it** (``student_id``). A zip counts as if it were unpacked where it lies. A
file in a subfolder belongs to the student the first subfolder is named after
(``alice/lesson2/02_membership_structures.ipynb`` → ``alice``; Moodle's
``Jane Doe_1234_assignsubmission_file_/`` → ``Jane Doe_1234``). A file directly in the folder
belongs to the student its name gives, without the lesson's file name at its start or end
and without a copy number (``Smith Jane_1234_02_membership_structures-1.ipynb`` →
``Smith Jane_1234``); when nothing is left (``alice.zip`` holding ``02_membership_structures.ipynb``)
the zip's name.

**Which lesson** (``lesson_of``): ``metadata.vientiane.lesson`` (every edition carries it), else
the lesson most of its ``vientiane.check("NN.x", ...)`` calls name. A notebook with neither is
not one of this collection's and is not run.

**How a submission is graded.** Each runs headless in its own new kernel (this Python, with
the collection's library), on a copy whose outputs were cleared first (a student cannot hand in
a "right" saved from elsewhere), in a temporary working folder, with figures written there
too. ``--timeout`` seconds is the limit for the whole notebook, kernel start included (and
for any single cell). As many run at a time as there are cores. Like nbgrader's autograder,
the cells after one that raises still run, so one slip does not cost every later exercise.
An exercise is ``right`` / ``wrong`` / ``not attempted`` by the last result
``vientiane.check`` showed for it; no result at all is ``not attempted``.

**What it writes**, next to ``--out``:

* ``grades.csv``: one row per submission: ``student_id``, ``assignment`` (the lesson, "02"),
  ``file`` (its path in the folder; ``batch.zip:alice/02.ipynb`` inside a zip), one column per
  exercise of the lessons handed in, ``raw_score`` (exercises right), ``score`` (the same: no late
  penalty), ``max_score`` and ``status``. The names follow nbgrader's export where they overlap;
* ``written.csv``: the free-text answers (cells tagged ``written``): ``student_id``,
  ``assignment``, ``task`` (the cell's id, else ``cell N``), ``text``;
* ``feedback/<student_id>_<lesson>.html``: per submission of a known lesson, which exercises
  were right, the hint for the wrong ones, which were not attempted; never an answer (a second
  file of the same student and lesson: ``..._2.html``).

**Status**: ``ok``; ``error in cell N: <first line of the error>`` (the first cell that raised;
the others still ran); ``timeout in cell N``; ``kernel died in cell N``; ``could not run: <why>``
(the kernel did not start); ``empty notebook``; ``not a notebook`` (with the reason when the
file could not even be read); ``not a lesson of this collection``; ``unsafe path in zip: <name>`` (an
entry whose path is absolute or contains ``..``: read by nobody, written nowhere);
``symbolic link (not followed)``; ``too large``. Cell N counts every cell from the top of the
notebook, markdown ones too, starting at 1.

The submissions are only read. The exit status is 0 when every file was graded or reported in
its row, 2 when the grader cannot run (no such folder, output inside it, no Python kernel).

Grading runs the students' code with your rights, as you: a time limit and a temporary
folder keep honest mistakes contained, they are no sandbox.

>>> student_id(["alice", "02_membership_structures.ipynb"])
'alice'
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from vientiane import checks, paths

from .lessons import ROOT, lessons
from .progress import Progress
from .runner import run_interruptibly

RIGHT, WRONG, NOT_ATTEMPTED = "right", "wrong", "not attempted"
OK = "ok"
MAX_BYTES = 200 * 1024 * 1024  # a notebook with many figures is tens of MB; a zip bomb is far more
WRITTEN_TAG = "written"
UNANSWERED = {"", "*Your answer:*", "*Your answer:* …", "*Your answer:* ..."}  # the lessons' placeholders
# vientiane.check("02.1", ...) or check('02.1', ...): the lesson a notebook without metadata is for.
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d\d)\.\d+["']""")
COPY_NUMBER = re.compile(r"(?:-\d+| ?\(\d+\))$")  # LMS resubmissions ("-1"), browser downloads (" (1)")
SEPARATORS = " _-."
MOODLE = re.compile(r"_assignsubmission_[a-z]+_?$")  # Moodle's folders: "Jane Doe_1234_assignsubmission_file_"


class GraderError(Exception):
    """The grader itself cannot run (not a submission's fault); the message says why."""


@dataclass
class Submission:
    """One handed-in file (or zip entry) and what became of it."""

    file: str  # the "file" column: path in the submissions folder, "batch.zip:alice/x.ipynb" in a zip
    student: str
    data: bytes | None = None
    status: str = ""  # "" until decided
    lesson: str = ""
    nb: object = None  # the parsed notebook (nbformat.NotebookNode)
    results: dict[str, str] = field(default_factory=dict)  # exercise id -> right / wrong / not attempted
    written: list[tuple[str, str]] = field(default_factory=list)  # (task, text)

    @property
    def score(self) -> int:
        return sum(r == RIGHT for r in self.results.values())


# ------------------------------------------------------------------------------ the lessons


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
    """The exercise ids of ``lesson``, in order (02.10 after 02.9).

    >>> exercises_of("02")
    ['02.1', '02.2', '02.3', '02.4']
    """
    return sorted((e for e in checks.EXERCISES if e.split(".")[0] == lesson), key=_exercise_order)


def _exercise_order(exercise: str) -> tuple[str, int]:
    lesson, number = exercise.split(".")
    return lesson, int(number)


def _lesson_titles() -> dict[str, str]:
    """Lesson number -> the title of the teacher's notebook (its first "# " heading)."""
    titles = {}
    for path in lessons(ROOT) if ROOT is not None else []:
        with contextlib.suppress(OSError, ValueError, KeyError):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                heading = next((line[2:].strip() for line in source.splitlines() if line.startswith("# ")), None)
                if cell["cell_type"] == "markdown" and heading:
                    titles[path.name[:2]] = heading
                    break
    return titles


# ------------------------------------------------------------------------------ finding the files


def student_id(parts: Sequence[str], lesson_files: Iterable[str] = (), archive: str = "") -> str:
    """Whose submission a file is, from its path ``parts`` inside the submissions folder.

    A file in a subfolder: the first subfolder (without Moodle's ``_assignsubmission_file_``
    ending). A file directly in the folder: its name
    without ``.ipynb``, a copy number ("-1", " (2)") and the lesson's file name (one of
    ``lesson_files``) at its end or start; when nothing is left, the name of the ``archive``
    (a zip lying directly in the folder) it came from, else the file's name. A zip counts as
    if it were unpacked where it lies, so ``parts`` of an entry start with the zip's folders.

    >>> student_id(["alice", "homework", "02_membership_structures.ipynb"])
    'alice'
    >>> student_id(["Jane Doe_1234_assignsubmission_file_", "02.ipynb"])
    'Jane Doe_1234'
    >>> student_id(["Smith Jane_1234_02_membership_structures-1.ipynb"], ["02_membership_structures"])
    'Smith Jane_1234'
    >>> student_id(["02_membership_structures.ipynb"], ["02_membership_structures"], archive="bob.zip")
    'bob'
    """
    if len(parts) > 1:
        return MOODLE.sub("", parts[0]) or parts[0]
    stem = _stem(parts[-1])
    bare = COPY_NUMBER.sub("", stem)
    for name in sorted(lesson_files, key=len, reverse=True):  # "02_a_b" before a shorter "02_a"
        folded, lesson = bare.casefold(), name.casefold()
        if folded.endswith(lesson) or folded.startswith(lesson):
            rest = bare[: -len(name)] if folded.endswith(lesson) else bare[len(name) :]
            return rest.strip(SEPARATORS) or (_stem(archive) if archive else stem)
    return stem


def _stem(name: str) -> str:
    name = PurePosixPath(name).name
    return name[: -len(PurePosixPath(name).suffix)] if PurePosixPath(name).suffix else name


def _skipped(parts: Sequence[str]) -> bool:
    """Hidden files and folders (.ipynb_checkpoints, macOS's ._x) and __MACOSX are no submissions."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def unsafe_zip_path(name: str) -> bool:
    """True for a zip entry name that is absolute or climbs out with ``..``.

    Such an entry is reported and never read into a path: unpacking it would write outside
    the folder (the "zip slip"). Backslashes count as separators (zips made on Windows).

    >>> [unsafe_zip_path(n) for n in ["alice/x.ipynb", "../x.ipynb", "/etc/x", "C:\\\\x", "a/../../x"]]
    [False, True, True, True, True]
    """
    normal = name.replace("\\", "/")
    return normal.startswith("/") or bool(re.match(r"[A-Za-z]:", normal)) or ".." in normal.split("/")


def find_submissions(folder: Path, lesson_files: Iterable[str] = ()) -> Iterator[Submission]:
    """Every ``.ipynb`` below ``folder`` and inside its ``.zip`` files, one by one.

    Zip entries that are unsafe, and files that cannot be read, come with their status set;
    the rest with ``data`` (the file's bytes) and an empty status. A zip inside a zip is not
    opened.

    Example (on a folder of handed-in notebooks)::

        list(find_submissions(Path("handed-in")))
        # [Submission(file='alice/02_membership_structures.ipynb', student='alice', ...), ...]
    """
    folder, lesson_files = Path(folder), list(lesson_files)
    for directory, folders, files in os.walk(folder):  # symbolic links to folders: not entered
        folders[:] = sorted(f for f in folders if not _skipped([f]))
        for name in sorted(files):
            path = Path(directory, name)
            parts = path.relative_to(folder).parts
            suffix = path.suffix.lower()
            if _skipped(parts) or suffix not in (".ipynb", ".zip"):
                continue
            file = PurePosixPath(*parts).as_posix()
            if path.is_symlink():
                yield Submission(file, student_id(parts, lesson_files), status="symbolic link (not followed)")
            elif suffix == ".zip":
                yield from _from_zip(path, parts, lesson_files)
            else:
                yield _read(path, file, student_id(parts, lesson_files))


def _read(path: Path, file: str, student: str) -> Submission:
    try:
        if path.stat().st_size > MAX_BYTES:
            return Submission(file, student, status="too large")
        return Submission(file, student, path.read_bytes())
    except OSError as error:
        return Submission(file, student, status=f"not a notebook (cannot read it: {error.strerror})")


def _from_zip(path: Path, parts: tuple[str, ...], lesson_files: list[str]) -> Iterator[Submission]:
    """The notebooks inside one zip, read in memory: nothing from a zip is ever written to disk."""
    where = PurePosixPath(*parts).as_posix()
    archive = parts[-1] if len(parts) == 1 else ""  # a zip directly in the folder may name its student
    owner = student_id(parts, lesson_files)
    try:
        with zipfile.ZipFile(path) as bundle:
            for info in bundle.infolist():
                file = f"{where}:{info.filename}"
                if unsafe_zip_path(info.filename):
                    yield Submission(file, owner, status=f"unsafe path in zip: {info.filename}")
                    continue
                inner = tuple(p for p in info.filename.replace("\\", "/").split("/") if p not in ("", "."))
                if info.is_dir() or not inner or not inner[-1].lower().endswith(".ipynb") or _skipped(inner):
                    continue
                student = student_id((*parts[:-1], *inner), lesson_files, archive)
                try:
                    with bundle.open(info) as stream:  # read at most MAX_BYTES: the header's size may lie
                        data = stream.read(MAX_BYTES + 1)
                except (RuntimeError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                    # encrypted, damaged, or an unsupported compression
                    yield Submission(file, student, status=f"not a notebook (cannot read it in the zip: {error})")
                    continue
                too_large = len(data) > MAX_BYTES
                yield Submission(file, student, None if too_large else data, status="too large" if too_large else "")
    except (zipfile.BadZipFile, OSError) as error:
        yield Submission(where, owner, status=f"not a notebook (a damaged zip: {error})")


# ------------------------------------------------------------------------------ reading a notebook


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
    nb.metadata.pop("widgets", None)  # widget state of outputs that are gone
    return nb


def _clean(cell) -> None:
    """Check one cell's shape and clear its outputs (they are what the run will decide)."""
    if cell["cell_type"] not in ("code", "markdown", "raw"):
        raise ValueError(cell["cell_type"])
    source = cell.get("source", "")
    cell["source"] = "".join(source) if isinstance(source, list) else source
    cell.setdefault("metadata", {})
    if not isinstance(cell["source"], str) or not isinstance(cell["metadata"], dict):
        raise ValueError("source or metadata")
    if not isinstance(cell["metadata"].get("tags", []), list):
        raise ValueError("tags")
    if cell["cell_type"] == "code":
        # Cleared even in cells that will not run (nbclient skips empty ones): a saved
        # "right" must never count.
        cell["outputs"], cell["execution_count"] = [], None


def lesson_of(nb, known: Iterable[str]) -> str:
    """The lesson ``nb`` is a copy of, among the ``known`` numbers; "" when none.

    ``metadata.vientiane.lesson`` first, else the lesson most ``check("NN.x", ...)`` calls name.

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> lesson_of(new_notebook(cells=[new_code_cell('vientiane.check("03.1", answer)')]), ["02", "03"])
    '03'
    >>> lesson_of(new_notebook(metadata={"vientiane": {"lesson": "02"}}), ["02", "03"])
    '02'
    """
    known = set(known)
    meta = nb.metadata.get("vientiane")
    lesson = meta.get("lesson") if isinstance(meta, dict) else None
    if isinstance(lesson, str) and lesson in known:
        return lesson
    named = Counter(
        match.group(1)
        for cell in nb.cells
        if cell.cell_type == "code"
        for match in CHECK_CALL.finditer(cell.source)
        if match.group(1) in known
    )
    return named.most_common(1)[0][0] if named else ""


def written_answers(nb, placeholders: frozenset = frozenset()) -> list[tuple[str, str]]:
    """The free-text answers: (task, text) of each cell tagged ``written`` that the student
    wrote in: a cell still as the lesson gives it (``placeholders``) is left out.

    The task is the cell's id, else ``cell N`` (N counts every cell from 1).

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> cell = new_markdown_cell("Because the EAS", metadata={"tags": ["written"]})
    >>> cell.id = "02-why"
    >>> written_answers(new_notebook(cells=[new_markdown_cell("# 02"), cell]))
    [('02-why', 'Because the EAS')]
    """
    return [
        (cell.get("id") or f"cell {i}", cell.source)
        for i, cell in enumerate(nb.cells, start=1)
        if WRITTEN_TAG in cell.metadata.get("tags", []) and cell.source.strip() not in UNANSWERED | placeholders
    ]


def _placeholders(lesson: str) -> frozenset:
    """The texts of the lesson's own ``written`` cells, as a student finds them."""
    import nbformat

    found = [p for p in lessons(ROOT) if p.name.startswith(f"{lesson}_")] if ROOT else []
    if not found:
        return frozenset()
    nb = nbformat.read(found[0], as_version=4)
    return frozenset(c.source.strip() for c in nb.cells if WRITTEN_TAG in c.metadata.get("tags", []))


def exercise_results(nb, lesson: str) -> dict[str, str]:
    """Right / wrong / not attempted per exercise of ``lesson``, from an executed notebook.

    The last result ``vientiane.check`` showed for an exercise counts; none: not attempted.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> result = {checks.RESULT_MIME: {"exercise": "02.1", "attempted": True, "right": False}}
    >>> cell = new_code_cell(outputs=[new_output("display_data", data=result)])
    >>> exercise_results(new_notebook(cells=[cell]), "02")["02.1"], exercise_results(new_notebook(), "02")["02.1"]
    ('wrong', 'not attempted')
    """
    results = dict.fromkeys(exercises_of(lesson), NOT_ATTEMPTED)
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            result = output.get("data", {}).get(checks.RESULT_MIME)
            if isinstance(result, dict) and result.get("exercise") in results:
                right, tried = result.get("right") is True, result.get("attempted") is True
                results[result["exercise"]] = RIGHT if right else WRONG if tried else NOT_ATTEMPTED
    return results


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


def _prepare(submission: Submission, known: Iterable[str]) -> None:
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
    submission.lesson = lesson_of(nb, known)
    if not any(cell.source.strip() for cell in nb.cells):
        submission.status = "empty notebook"
    elif not submission.lesson:
        submission.status = "not a lesson of this collection"  # and another course's code is not run
    else:
        submission.nb = nb
        submission.written = written_answers(nb, _placeholders(submission.lesson))
    if submission.lesson:
        submission.results = dict.fromkeys(exercises_of(submission.lesson), NOT_ATTEMPTED)


# ------------------------------------------------------------------------------ running


def _kernel_env() -> dict[str, str]:
    """The kernels' environment: this collection's library first, the inline figure backend."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the inline backend, as in the students' Jupyter (plt.show() works)
    root = paths.checkout()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(root / "lib"), env.get("PYTHONPATH", "")] if p)
    return env


async def _run(submission: Submission, timeout: float, env: dict, work: Path) -> None:
    """Execute one submission in a new kernel in ``work``; set its results and status."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = submission.nb
    work.mkdir()
    # The temporary copy, as parsed: json, not nbformat.writes, which logs a student's schema slips.
    (work / "submission.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    client = NotebookClient(
        nb,
        kernel_name="python3",  # this Python and its library, whatever kernel the student's file names
        timeout=max(1, int(timeout)),  # per cell; the whole notebook's limit is below
        allow_errors=True,  # the next cells still run: one slip does not cost the later exercises
        interrupt_on_timeout=False,  # a stuck cell ends the run (the kernel is then killed)
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(work)}},  # the kernel's working folder
    )
    where = {}
    client.on_cell_start = lambda cell, cell_index: where.update(cell=cell_index + 1)
    env = dict(env, VIENTIANE_FIGURES=str(work / "figures"))
    with open(work / "kernel.log", "wb") as log:  # the kernel's own chatter, not the teacher's terminal
        task = asyncio.create_task(client.async_execute(env=env, stdout=log, stderr=log))
        # asyncio.wait, not wait_for: nbclient turns the cancellation of a running cell into
        # DeadKernelError, so wait_for would report a timeout as a dead kernel.
        done = set()
        try:
            done, _ = await asyncio.wait({task}, timeout=timeout)
        finally:
            if not task.done():
                task.cancel()  # nbclient kills the kernel as it unwinds
                await asyncio.wait({task})
            if not task.cancelled():
                task.exception()  # seen: a stopped run's "kernel died" is no news (asyncio would log it)
            await _kill(client)  # in case the cancellation came while the kernel was starting
    error = task.exception() if not task.cancelled() else None
    cell = f"cell {where['cell']}" if "cell" in where else "the kernel start"
    stop = ""
    if task not in done or isinstance(error, CellTimeoutError):
        stop = f"timeout in {cell}"
    elif isinstance(error, DeadKernelError):
        stop = f"kernel died in {cell}"
    elif error is not None:
        stop = f"could not run: {_shorten(f'{type(error).__name__}: {error}'.splitlines()[0])}"
    submission.results = exercise_results(nb, submission.lesson)
    submission.status = "; ".join(p for p in (first_error(nb), stop) if p) or OK


async def _kill(client) -> None:
    km = getattr(client, "km", None)
    if km is None:  # nbclient already cleaned up
        return
    with contextlib.suppress(Exception):
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
        else:
            await km.cleanup_resources()


def _short_state(status: str) -> str:
    """The progress line's word for a status."""
    for word, short in (("timeout", "timeout"), ("died", "died"), ("error", "error"), ("could not", "failed")):
        if word in status:
            return short
    return status if status == OK else "reported"


async def _run_all(submissions: list[Submission], timeout: float, jobs: int, scratch: Path, stream) -> None:
    """Run the runnable ``submissions``, ``jobs`` at a time, with a progress line each."""
    progress = Progress([s.file for s in submissions], stream)
    for submission in submissions:
        if submission.nb is None:
            progress.set(submission.file, "reported")
    gate, env = asyncio.Semaphore(jobs), _kernel_env()

    async def one(i: int, submission: Submission) -> None:
        async with gate:
            progress.set(submission.file, "running")
            work = scratch / f"{i:04d}"
            try:
                await _run(submission, timeout, env, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)  # figures and the copy: thirty students add up
                submission.nb = None  # free the executed notebook
            progress.set(submission.file, _short_state(submission.status))

    ticker = asyncio.create_task(progress.tick())
    try:
        async with asyncio.TaskGroup() as group:
            for i, submission in enumerate(submissions):
                if submission.nb is not None:
                    group.create_task(one(i, submission))
    finally:
        ticker.cancel()


# ------------------------------------------------------------------------------ the grader


def grade(folder: Path, out: Path = Path("grades.csv"), timeout: float = 120, jobs: int | None = None, stream=None):
    """Grade every submission in ``folder``; write ``out``, ``written.csv`` and ``feedback/`` next to it.

    Returns the submissions (sorted by lesson, student, file), each with its status and
    results. Raises ``GraderError`` when it cannot run at all; a bad submission is only
    reported in its row.

    Example (it runs every submission in a kernel, so it is not a doctest)::

        rows = grade(Path("handed-in"), Path("marks/grades.csv"), timeout=60)
        rows[0].student, rows[0].lesson, rows[0].status, rows[0].results
        # ('alice', '02', 'ok', {'02.1': 'right', '02.2': 'wrong', '02.3': 'right', '02.4': 'not attempted'})
    """
    folder, out, stream = Path(folder), Path(out).absolute(), stream or sys.stdout
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise GraderError(f"the submissions folder {folder} {what}: give the folder of handed-in notebooks")
    if out.parent.resolve().is_relative_to(folder.resolve()):
        raise GraderError(f"{out} is inside the submissions folder {folder}: write the grades somewhere else")
    if timeout <= 0 or (jobs is not None and jobs < 1):
        raise GraderError("--timeout must be above 0 seconds and --jobs at least 1")
    try:  # before any kernel runs: a folder we cannot write would waste the whole run
        (out.parent / "feedback").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GraderError(f"cannot write the grades next to {out}: {error}") from None

    names = lesson_names()
    submissions = []
    for submission in find_submissions(folder, names.values()):
        _prepare(submission, names)  # parsed at once: only the notebook, outputs cleared, stays in memory
        submissions.append(submission)
    if any(s.nb is not None for s in submissions):
        _check_kernel()
        with tempfile.TemporaryDirectory(prefix="vientiane-grade-") as scratch:
            coroutine = _run_all(submissions, timeout, jobs or os.cpu_count() or 1, Path(scratch), stream)
            run_interruptibly(coroutine)  # Ctrl-C stops every kernel
    submissions.sort(key=lambda s: (s.lesson or "~", s.student.casefold(), s.file))
    write_results(submissions, out)
    return submissions


def _check_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        raise GraderError("no python3 Jupyter kernel here: install ipykernel (make venv does)") from None


# ------------------------------------------------------------------------------ writing


def write_results(submissions: list[Submission], out: Path) -> None:
    """``out`` (grades.csv), ``written.csv`` and ``feedback/*.html`` next to it.

    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> out = Path(scratch.name) / "grades.csv"
    >>> bob = Submission("bob.ipynb", "bob", status="ok", lesson="02", results={"02.1": "right", "02.2": "wrong"})
    >>> write_results([bob], out)
    >>> out.read_text().splitlines()[1]
    'bob,02,bob.ipynb,right,wrong,,,1,1,2,ok'
    >>> sorted(p.name for p in (out.parent / "feedback").iterdir())
    ['bob_02.html']
    >>> scratch.cleanup()
    """
    out = Path(out)
    (out.parent / "feedback").mkdir(parents=True, exist_ok=True)
    lessons_in = sorted({s.lesson for s in submissions if s.lesson})
    exercises = [e for lesson in lessons_in for e in exercises_of(lesson)]
    head = ["student_id", "assignment", "file", *exercises, "raw_score", "score", "max_score", "status"]
    rows = []
    for s in submissions:
        scores = [s.score, s.score, len(s.results)] if s.lesson else ["", "", ""]
        rows.append([s.student, s.lesson, s.file, *(s.results.get(e, "") for e in exercises), *scores, s.status])
    _write_csv(out, head, rows)
    written = [[s.student, s.lesson, task, text] for s in submissions for task, text in s.written]
    _write_csv(out.parent / "written.csv", ["student_id", "assignment", "task", "text"], written)

    titles, taken = _lesson_titles(), set()
    for s in submissions:
        if not s.lesson:  # not a notebook, another course's: the status in grades.csv says it
            continue
        base = f"{_safe_name(s.student)}_{s.lesson}"
        name, n = f"{base}.html", 1
        while name in taken:  # two files of one student for one lesson: both get a page
            n += 1
            name = f"{base}_{n}.html"
        taken.add(name)
        page = feedback_page(s, titles.get(s.lesson, f"Lesson {s.lesson}"))
        _atomic_write(out.parent / "feedback" / name, page)


def _write_csv(path: Path, head: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    writer.writerows([[_csv_cell(value) for value in row] for row in rows])
    _atomic_write(path, buffer.getvalue())


def _csv_cell(value):
    """Text a spreadsheet would run as a formula (=, +, @, -x) gets a leading quote.

    Student ids and written answers come from students; a teacher opens the file in a
    spreadsheet. A "- " list item stays as it is.

    >>> [_csv_cell(v) for v in ["=HYPERLINK(1)", "- a point", "-1+2", "alice", 3]]
    ["'=HYPERLINK(1)", '- a point', "'-1+2", 'alice', 3]
    """
    if isinstance(value, str) and value and (value[0] in "=+@\t\r" or (value[0] == "-" and value[1:2] != " ")):
        return "'" + value
    return value


def _safe_name(student: str) -> str:
    """A file name for a student id: letters, digits and ._@- only."""
    return re.sub(r"[^\w.@-]+", "_", student).strip("._") or "student"


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


STYLE = (
    "body{font:16px/1.5 sans-serif;max-width:46em;margin:2em auto;padding:0 1em}"
    "li{margin:.6em 0}.right{color:#1a7f37}.wrong{color:#b35900}.none{color:#555}"
    ".problem{background:#fff4e5;padding:.6em 1em;border-left:4px solid #b35900}"
)


def feedback_page(submission: Submission, title: str) -> str:
    """The student's page: score, a note when the run had a problem, and per exercise right,
    the hint (wrong) or "not attempted". Only hints from ``checks.EXERCISES``: never an answer.

    >>> s = Submission("a.ipynb", "alice", status="ok", lesson="02", results={"02.1": "wrong"})
    >>> from vientiane import checks
    >>> f"Hint: {checks.EXERCISES['02.1'][1][:20]}" in feedback_page(s, "02 · Membership structures")
    True
    """
    e = html.escape
    items = []
    for exercise, result in submission.results.items():
        if result == RIGHT:
            items.append(f'<li class="right">✔ Exercise {e(exercise)}: right.</li>')
        elif result == WRONG:
            hint = checks.EXERCISES[exercise][1]
            items.append(f'<li class="wrong">✘ Exercise {e(exercise)}: not yet. Hint: {e(hint)}</li>')
        else:
            items.append(
                f'<li class="none">… Exercise {e(exercise)}: not attempted (replace the ... with your answer '
                "and run the cell).</li>"
            )
    note = _problem_note(submission.status)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}: feedback for {e(submission.student)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{e(title)}</h1>\n"
        f"<p>Feedback for <strong>{e(submission.student)}</strong> on <code>{e(submission.file)}</code>.</p>\n"
        f"<p><strong>Score: {submission.score} of {len(submission.results)}</strong> exercises right.</p>\n"
        + (f'<p class="problem">{e(note)}</p>\n' if note else "")
        + "<ul>\n"
        + "\n".join(items)
        + "\n</ul>\n</main>\n</body>\n</html>\n"
    )


def _problem_note(status: str) -> str:
    notes = []
    for part in status.split("; ") if status != OK else []:
        if part.startswith("error in cell"):
            notes.append(f"When your notebook was run, there was an {part}. The cells after it still ran.")
        elif part.startswith("timeout in"):
            notes.append(
                f"Your notebook did not finish in time ({part}): an endless loop? "
                "The exercises after that cell were not run."
            )
        elif part.startswith("kernel died"):
            notes.append(f"Python stopped ({part}); the exercises after that cell were not run.")
        elif part == "empty notebook":
            notes.append("The notebook you handed in is empty.")
        else:
            notes.append(f"Your notebook could not be graded: {part}.")
    return " ".join(notes)


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.grade SUBMISSIONS [...]``; returns the exit status.

    Example (as ``make grade SUBMISSIONS=handed-in`` calls it)::

        main(["handed-in", "--out", "marks/grades.csv", "--timeout", "60"])   # 0
    """
    parser = argparse.ArgumentParser(
        prog="python -m vientiane_teacher.grade",
        description="Run the handed-in notebooks in SUBMISSIONS and write grades.csv, written.csv and "
        "feedback/ next to --out. It runs the students' code with your rights.",
    )
    parser.add_argument("submissions", type=Path, help="folder of notebooks (and .zip files), e.g. an LMS download")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the grades file (default: grades.csv)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per notebook (default: 120)")
    parser.add_argument("--jobs", type=int, help="notebooks at a time (default: the number of cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        submissions = grade(args.submissions, args.out, args.timeout, args.jobs)
    except GraderError as error:
        print(f"grade: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: no grades were written", file=sys.stderr)
        return 130
    out = args.out.absolute()
    if not submissions:
        print(f"no .ipynb or .zip files in {args.submissions}: {out} has no rows")
        return 0
    ok = sum(s.status == OK for s in submissions)
    print(
        f"{len(submissions)} files in {time.perf_counter() - started:.0f} s: {ok} ok, "
        f"{len(submissions) - ok} with a problem (see the status column)\n"
        f"  {out}\n  {out.parent / 'written.csv'}\n  {out.parent / 'feedback'}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
