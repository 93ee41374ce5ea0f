"""``make grade``: run the students' notebooks and say who got which exercise right.

    python -m vientiane_teacher.grade SUBMISSIONS [--out grades.csv] [--timeout 120] [--jobs N]

``SUBMISSIONS`` is a folder of handed-in notebooks, as a school's LMS gives them: a download
unpacked, files named by student, possibly one folder per student. Every ``.ipynb`` below it
counts, and so does every ``.ipynb`` inside any ``.zip`` below it: zips are read in place,
never unpacked (a zip inside a zip is not opened). Hidden files and folders (a name starting
with a dot: ``.ipynb_checkpoints``, macOS's ``._`` files) and ``__MACOSX/`` are left out;
symbolic links are reported, not followed.

**Whose file is it** (``submissions.student_id``). A zip counts as if it were unpacked where it lies. A
file in a subfolder belongs to the student the first subfolder is named after
(``alice/lesson2/02_membership_structures.ipynb`` → ``alice``; Moodle's
``Jane Doe_1234_assignsubmission_file_/`` → ``Jane Doe_1234``). A file directly in the folder
belongs to the student its name gives, without the lesson's file name at its start or end
and without a copy number (``Smith Jane_1234_02_membership_structures-1.ipynb`` →
``Smith Jane_1234``); when nothing is left (``alice.zip`` holding ``02_membership_structures.ipynb``)
the zip's name.

**Which lesson** (``lessons.lesson_number``): ``metadata.vientiane.lesson`` (every edition carries it), else
the lesson most of its ``vientiane.check("NN.x", ...)`` calls name. A notebook with neither is
not one of this collection's and is not run.

**How a submission is graded.** Each runs headless in a sandbox of its own (``sandbox``:
bubblewrap; read-only system and students' copy of the library, no network, none of your files
or environment, limits, every process ended with it), in its own new kernel, on a copy whose
outputs were cleared first (a student cannot hand in a "right" saved from elsewhere).
``--timeout`` seconds is the limit for the whole notebook, kernel start included (and for any
single cell). As many run at a time as there are cores. Like nbgrader's autograder, the cells
after one that raises still run, so one slip does not cost every later exercise. The run hands
out only the answer values its checks saw; the grader decides each exercise itself
(``verdicts``): ``right`` / ``wrong`` / ``not attempted`` by the last answer checked; no check
at all is ``not attempted``, or ``not reached: error in cell N`` when the exercise's cell comes
at or after a cell that raised or stopped the run. ``--unsandboxed``: the same without bubblewrap,
with your rights.

**What it writes**, next to ``--out``:

* ``grades.csv``: one row per submission: ``student_id``, ``assignment`` (the lesson, "02"),
  ``file`` (its path in the folder; ``batch.zip:alice/02.ipynb`` inside a zip), one column per
  exercise of the lessons handed in, ``raw_score`` (exercises right), ``score`` (the same: no late
  penalty), ``max_score`` and ``status``. The names follow nbgrader's export where they overlap;
* ``written.csv``: the free-text answers (cells tagged ``written``): ``student_id``,
  ``assignment``, ``task`` (the cell's id, else ``cell N``), ``text``;
* ``feedback/<student_id>_<lesson>.html``: per submission of a known lesson, which exercises
  were right, the notebook's own hint for the wrong ones, which were not attempted or not
  reached; never an answer (a second file of the same student and lesson: ``..._2.html``);
* ``class.csv`` and ``class.html``: the class report (``class_report``).

**Status**: ``ok``; ``error in cell N: <first line of the error>`` (the first cell that raised;
the others still ran); ``timeout in cell N``; ``kernel died in cell N``; ``could not run: <why>``
(the kernel did not start); ``empty notebook``; ``not a notebook`` (with the reason when the
file could not even be read); ``not a lesson of this collection``; ``unsafe path in zip: <name>`` (an
entry whose path is absolute or contains ``..``: read by nobody, written nowhere);
``a zip inside a zip (not opened): …``; ``symbolic link (not followed)``; ``too large``;
``could not grade: <why>`` (a fault of the grader's on this one file). Cell N counts every cell
from the top of the notebook, markdown ones too, starting at 1.

The submissions are only read. The exit status is 0 when every file was graded or reported in
its row, 2 when the grader cannot run (no such folder, output inside it, no Python kernel, no
bubblewrap without ``--unsandboxed``).

The README ("Collecting and grading") is the manual. The grader is a short pipeline over
``submissions`` (find the files, whose they are), ``handed_in`` (read, run and mark one
notebook in its sandbox), ``verdicts`` (decide each exercise) and ``report`` (the files above);
this module is the command line.

>>> from vientiane_teacher.submissions import student_id
>>> student_id(["alice", "02_membership_structures.ipynb"])
'alice'
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import handed_in, sandbox
from .lessons import ROOT
from .progress import Progress
from .report import write_results
from .runner import run_interruptibly
from .submissions import OK, Submission, find_submissions


class GraderError(Exception):
    """The grader itself cannot run (not a submission's fault); the message says why."""


def _short_state(status: str) -> str:
    """The progress line's word for a status."""
    for word, short in (("timeout", "timeout"), ("died", "died"), ("error", "error"), ("could not", "failed")):
        if word in status:
            return short
    return status if status == OK else "reported"


async def _run_all(submissions: list[Submission], timeout: float, jobs: int, kit: tuple, scratch: Path, stream) -> None:
    """Run the runnable ``submissions``, ``jobs`` at a time, each in a sandbox of its own
    (``kit``: the sandbox class, the students' library and the tools), with a progress line each."""
    box_class, library, tools = kit
    progress = Progress([s.file for s in submissions], stream)
    for submission in submissions:
        if submission.nb is None:
            progress.set(submission.file, "reported")
    running = asyncio.Semaphore(jobs)  # each run takes a user id of its own (sandbox.own_uid)

    async def one(i: int, submission: Submission) -> None:
        await running.acquire()
        progress.set(submission.file, "running")
        work = scratch / f"{i:04d}"
        try:
            await handed_in.run(submission, box_class(library=library, tools=tools), timeout, work)
        except Exception as error:  # the grader's fault or the file's: this row says so, the class goes on
            submission.status = f"could not grade: {type(error).__name__}: {str(error)[:200]}"
        finally:
            running.release()
            shutil.rmtree(work, ignore_errors=True)  # thirty students add up
            submission.nb = None  # free the notebook
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


def grade(
    folder: Path,
    out: Path = Path("grades.csv"),
    timeout: float = 120,
    jobs: int | None = None,
    stream=None,
    unsandboxed: bool = False,
):
    """Grade every submission in ``folder``; write ``out``, ``written.csv`` and ``feedback/`` next to it.

    Returns the submissions (sorted by lesson, student, file), each with its status and
    results. Raises ``GraderError`` when it cannot run at all (bubblewrap missing, unless
    ``unsandboxed``: then the students' code runs with your rights); a bad submission is only
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
    if not unsandboxed and (why := sandbox.sandbox_unavailable()):
        raise GraderError(
            f"no sandbox for the students' code: {why}. To grade anyway, with the students' code "
            "running with your rights (it can read and change your files), pass --unsandboxed"
        )
    if ROOT is None:
        raise GraderError("grading needs the collection's clone (the students' library is made from it)")
    try:  # before any kernel runs: a folder we cannot write would waste the whole run
        (out.parent / "feedback").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GraderError(f"cannot write the grades next to {out}: {error}") from None

    names = handed_in.lesson_names()
    submissions = []
    for submission in find_submissions(folder, names.values()):
        try:  # parsed at once: only the notebook, outputs cleared, stays in memory
            handed_in.prepare(submission, names)
        except Exception as error:  # one odd file never costs the class
            submission.nb, submission.status = None, f"could not grade: {type(error).__name__}: {str(error)[:200]}"
        submission.sandbox = "none (--unsandboxed)" if unsandboxed else "bubblewrap"
        submissions.append(submission)
    if any(s.nb is not None for s in submissions):
        _check_kernel()
        with tempfile.TemporaryDirectory(prefix="vientiane-grade-") as scratch:
            try:
                library, tools = sandbox.grading_kit(ROOT, Path(scratch) / "kit")
            except sandbox.SandboxUnavailable as error:
                raise GraderError(str(error)) from None
            kit = (sandbox.Unsandboxed if unsandboxed else sandbox.Sandbox, library, tools)
            coroutine = _run_all(submissions, timeout, jobs or os.cpu_count() or 1, kit, Path(scratch), stream)
            run_interruptibly(coroutine)  # Ctrl-C stops every run
    submissions.sort(key=lambda s: (s.lesson or "~", s.student.casefold(), s.file))
    write_results(submissions, out, unsandboxed=unsandboxed)
    return submissions


def _check_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        raise GraderError("no python3 Jupyter kernel here: install ipykernel (make venv does)") from None


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.grade SUBMISSIONS [...]``; returns the exit status.

    Example (as ``make grade SUBMISSIONS=handed-in`` calls it)::

        main(["handed-in", "--out", "marks/grades.csv", "--timeout", "60"])   # 0
    """
    parser = argparse.ArgumentParser(
        prog="python -m vientiane_teacher.grade",
        description="Run the handed-in notebooks in SUBMISSIONS, each in a sandbox of its own (bubblewrap), "
        "and write grades.csv, written.csv, class.csv, class.html and feedback/ next to --out.",
    )
    parser.add_argument("submissions", type=Path, help="folder of notebooks (and .zip files), e.g. an LMS download")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the grades file (default: grades.csv)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per notebook (default: 120)")
    parser.add_argument("--jobs", type=int, help="notebooks at a time (default: the number of cores)")
    parser.add_argument(
        "--unsandboxed",
        action="store_true",
        help="grade without bubblewrap: the students' code then runs with YOUR rights (it can read and "
        "change your files, use the network, leave programs running); only for code you trust",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.unsandboxed:
        print("grade: --unsandboxed: the students' code runs with your rights, not in a sandbox", file=sys.stderr)
    try:
        submissions = grade(args.submissions, args.out, args.timeout, args.jobs, unsandboxed=args.unsandboxed)
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
