"""``make figures``: run every lesson headless and rebuild figures/ and the editions.

    python -m vientiane_teacher.build            # run again only the lessons whose inputs changed
    python -m vientiane_teacher.build --force    # run every lesson

Each ``notebooks/NN_<topic>.ipynb`` runs in its own kernel (nbclient; as many lessons at a
time as there are cores; working directory ``notebooks/``) and is written back with its
outputs and widget state. Then:

* ``figures/``: the figures every lesson saves, and ``index.csv`` built from their sidecars;
* ``build/html/`` (students) and ``build/html-teacher/``: one page per lesson and ``index.html``;
  widgets render from the saved state with the renderer vendored in ``vientiane_teacher/static/``
  (opened from disk: no server, no network);
* ``build/student/``: the lessons without the teacher's cells and without outputs;
* ``build/status.md``: what ran, how long it took, the versions used, and the last
  accessibility audit of the HTML editions (``build/accessibility.md``, written by ``make test``).

Everything is written to ``build/.staging-*`` first and moved into place only when every
lesson succeeded: a failure or Ctrl-C leaves the previous results whole. A lesson runs again
only when its inputs changed (see ``lessons.input_hashes``; ``build/inputs.json`` keeps them).
The README is the manual ("What `make figures` produces"). This is the pipeline: per lesson,
read, ``steps.DropRunRecords`` and ``StampInputs``, ``runner.execute``, ``CoalesceStreams`` and
``StableWidgetIds``; then ``editions``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# Only the standard library and our own light modules up here: finding out that nothing
# changed must stay fast (about 0.2 s); nbformat, nbclient and nbconvert take 1.5-2 s to
# import, so the editions are imported only when something is rebuilt.
from .files import atomic_write, read_json, read_text
from .lessons import ROOT, NotAClone, files_hash, input_hashes, lessons, require_clone
from .progress import Progress
from .runner import LessonError, execute, run_interruptibly

VERSIONS = ("pandas", "matplotlib", "ipywidgets", "nbclient", "nbconvert", "ipykernel")
FIGURE_FILES = {".png", ".svg", ".json"}
NOT_AUDITED = "not audited yet: `make test` audits both HTML editions and the next build shows the result here"
OWNER = "owner.pid"  # in a staging folder: the process id of the build that made it
EDITIONS = ("html", "html-teacher", "student", "self-study", "html-self-study")


class BuildFailed(Exception):
    """The build stopped and changed nothing; the message says why (for a lesson: which cell)."""


@dataclass
class Outcome:
    """What happened to one lesson: ``state`` is "ran" or "unchanged"."""

    lesson: str
    state: str
    seconds: float = 0.0


# ------------------------------------------------------------------------------ the build


def build(root: Path = ROOT, force: bool = False, jobs: int | None = None, out=None) -> list[Outcome]:
    """Run the lessons whose inputs changed (every lesson with ``force``), rebuild the outputs.

    Returns one ``Outcome`` per lesson. Raises ``BuildFailed`` when a lesson fails, and lets
    KeyboardInterrupt through on Ctrl-C; either way nothing was changed.

    Example (what ``make figures FORCE=1`` does)::

        build(force=True)
        # [Outcome(lesson='00_start_here', state='ran', seconds=3.1), ...]
    """
    root, out = require_clone(root), out or sys.stdout
    paths = lessons(root)
    numbers = [p.name[:2] for p in paths]
    if len(set(numbers)) < len(numbers):
        raise BuildFailed(f"two lessons share a number (figures are named by it): {[p.name for p in paths]}")
    hashes = input_hashes(root)
    previous = read_json(root / "build" / "inputs.json")
    stale = [p for p in paths if force or not _up_to_date(root, p.stem, hashes[p.stem], previous)]
    indexes = [
        root / "figures" / "index.csv",
        *(root / "build" / e / "index.html" for e in EDITIONS if e.startswith("html")),
    ]
    tools = _tools_hash(root)
    same_tools = read_json(root / "build" / "editions.json").get("tools") == tools
    if not stale and set(previous) == set(hashes) and same_tools and all(p.exists() for p in indexes):
        outcomes = [Outcome(p.stem, "unchanged") for p in paths]
        accessibility = read_text(root / "build" / "accessibility.md")
        atomic_write(root / "build" / "status.md", status_report(outcomes, accessibility))
        print(f"nothing changed: {len(paths)} lessons up to date (build/status.md)", file=out)
        return outcomes

    # Longest lesson first (times of the previous build): the parallel run ends sooner.
    stale.sort(key=lambda p: -previous.get(p.stem, {}).get("seconds", 0))
    (root / "build").mkdir(exist_ok=True)
    _remove_abandoned_staging(root / "build")
    _check_writable(root, stale)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root / "build"))  # same disk: renames
    (staging / OWNER).write_text(str(os.getpid()), encoding="utf-8")
    try:
        return _build(root, paths, stale, hashes, previous, staging, jobs or os.cpu_count() or 1, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_abandoned_staging(folder: Path) -> None:
    """Remove the staging folders of builds that no longer run (killed outright: SIGKILL, a
    power cut), so that they do not pile up; a build that still runs keeps its own."""
    for staging in folder.glob(".staging-*"):
        try:
            owner = int((staging / OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            owner = None
        if owner is None and time.time() - staging.stat().st_mtime < 60:
            continue  # just made by a build that has not written its name yet
        if owner is not None and _running(owner):
            continue
        shutil.rmtree(staging, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _check_writable(root: Path, stale: list[Path]) -> None:
    """Every folder the build will replace something in, tried before anything is run or
    replaced: a read-only figures/ (a hub image, a mount) stops the build here, named, and
    not halfway through moving the results into place."""
    folders = [root, root / "build", *(root / "build" / e for e in EDITIONS), root / "figures"]
    folders += [root / "notebooks"] if stale else []
    for folder in folders:
        if not folder.is_dir():
            continue  # made by the build: its parent is checked
        probe = folder / f".vientiane-write-test-{os.getpid()}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
            writable = os.access(folder, os.W_OK)  # a folder that is moved must be writable itself
            error = None if writable else "permission denied"
        except OSError as problem:
            error = problem.strerror or str(problem)
        if error:
            raise BuildFailed(f"cannot write to {folder} ({error}). Nothing was changed.")


def _tools_hash(root: Path) -> str:
    """The teacher's tools (editions, templates, vendored renderer) and the documents beside the
    lessons (teacher guide, glossary, reading list): when they change, the editions are made
    again from the executed lessons, and no lesson runs again."""
    documents = "".join(p.read_text(encoding="utf-8") for p in sorted((Path(root) / "notebooks").glob("*.md")))
    return files_hash(Path(__file__).resolve().parent) + hashlib.sha256(documents.encode()).hexdigest()


def _up_to_date(root: Path, stem: str, digest: str, previous: dict) -> bool:
    record = previous.get(stem, {})
    outputs = [root / "build" / e / f"{stem}.html" for e in EDITIONS[:2]] + [
        root / "build" / "student" / f"{stem}.ipynb"
    ]
    outputs += [root / "figures" / name for name in record.get("figures", [])]
    return record.get("inputs") == digest and all(p.exists() for p in outputs)


def _build(root, paths, stale, hashes, previous, staging, jobs, out) -> list[Outcome]:
    from .editions import editions, figures_index  # heavy: see the imports at the top

    figures = staging / "figures"
    _keep_figures(root / "figures", figures, rerun={p.name[:2] for p in stale}, lessons={p.name[:2] for p in paths})
    before = {p: p.read_bytes() for p in stale}
    env = _kernel_env(root, figures)
    executed = run_interruptibly(_execute_all(stale, env, staging, jobs, out, hashes)) if stale else {}

    notebooks = {p.stem: executed[p.stem][1] if p.stem in executed else p.read_text(encoding="utf-8") for p in paths}
    (staging / "notebooks").mkdir()
    for path in stale:
        (staging / "notebooks" / path.name).write_text(notebooks[path.stem], encoding="utf-8")
    (figures / "index.csv").write_text(figures_index(figures), encoding="utf-8")
    editions(notebooks, staging / "build")

    outcomes = [executed[p.stem][0] if p.stem in executed else Outcome(p.stem, "unchanged") for p in paths]
    record = {}
    for o in outcomes:
        seconds = round(o.seconds, 1) if o.state == "ran" else previous.get(o.lesson, {}).get("seconds", 0)
        names = sorted(f.name for f in figures.glob(f"{o.lesson[:2]}_*") if f.suffix in FIGURE_FILES)
        record[o.lesson] = {"inputs": hashes[o.lesson], "seconds": seconds, "figures": names}
    # The accessibility audit is a check, run by `make test`: the page shows its last result.
    accessibility = read_text(root / "build" / "accessibility.md")
    (staging / "build" / "status.md").write_text(status_report(outcomes, accessibility), encoding="utf-8")
    (staging / "build" / "inputs.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    (staging / "build" / "editions.json").write_text(json.dumps({"tools": _tools_hash(root)}) + "\n", encoding="utf-8")

    # Someone saved a lesson while it ran: writing the executed copy back would undo that edit.
    edited = [p.name for p in stale if p.read_bytes() != before[p]]
    if edited:
        raise BuildFailed(f"{', '.join(edited)} changed during the build. Nothing was changed: run it again.")
    _commit(root, staging, [p.name for p in stale])
    ran = sum(o.state == "ran" for o in outcomes)
    print(f"{ran} of {len(outcomes)} lessons ran; notebooks/, figures/, build/ updated (build/status.md)", file=out)
    return outcomes


def _kernel_env(root: Path, figures: Path) -> dict[str, str]:
    """The kernels' environment: this project's library first, figures to staging, fixed seeds."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # keep the inline backend: figures must show up as outputs
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in [str(root / "lib"), env.get("PYTHONPATH", "")] if p),
        VIENTIANE_FIGURES=str(figures),
        SOURCE_DATE_EPOCH="0",  # no dates in PDF/SVG metadata
        PYTHONHASHSEED="0",  # set order the same run after run
    )
    return env


def _keep_figures(current: Path, staged: Path, rerun: set[str], lessons: set[str]) -> None:
    """Start the staged figures/ with what stays: figures of lessons that do not run again.

    Figures of lessons that run again go (a figure a lesson no longer saves must disappear),
    and so do those of lessons that no longer exist; index.csv is written anew.
    """
    staged.mkdir()
    for path in current.glob("*") if current.is_dir() else []:
        number = path.name[:2]
        figure = path.suffix in FIGURE_FILES and re.match(r"\d\d_", path.name)
        if path.is_file() and path.name != "index.csv" and not (figure and (number in rerun or number not in lessons)):
            shutil.copy2(path, staged / path.name)


def _commit(root: Path, staging: Path, ran: list[str]) -> None:
    """Move the staged results into place; Ctrl-C waits until the few renames are done."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        old = staging / "old"
        old.mkdir()
        for name in ran:
            os.replace(staging / "notebooks" / name, root / "notebooks" / name)
        _swap(staging / "figures", root / "figures", old / "figures")
        for name in EDITIONS:
            _swap(staging / "build" / name, root / "build" / name, old / name)
        os.replace(staging / "build" / "status.md", root / "build" / "status.md")
        os.replace(staging / "build" / "editions.json", root / "build" / "editions.json")
        # Last: a build stopped before this line runs these lessons again next time.
        os.replace(staging / "build" / "inputs.json", root / "build" / "inputs.json")
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)


def _swap(new: Path, target: Path, old: Path) -> None:
    if target.exists():
        target.rename(old)
    new.rename(target)


# ------------------------------------------------------------------------------ running


async def _execute_all(paths: list[Path], env: dict, staging: Path, jobs: int, out, hashes: dict) -> dict:
    """Run the lessons, ``jobs`` at a time; returns {name: (Outcome, executed notebook text)}.

    The first failure stops the other lessons (their kernels are shut down) and raises
    BuildFailed: nothing would be kept anyway, so there is no point in waiting for them.
    """
    progress = Progress([p.stem for p in paths], out)
    gate = asyncio.Semaphore(jobs)
    (staging / "logs").mkdir()
    results, failures = {}, []

    async def one(path: Path) -> None:
        async with gate:
            progress.set(path.stem, "running")
            start = time.perf_counter()
            try:
                text = await run_lesson(path, env, staging / "logs" / f"{path.stem}.log", hashes[path.stem])
            except LessonError as error:
                # A lesson stopped because another one failed (or Ctrl-C) ends in "kernel
                # died": that is not its own failure.
                if asyncio.current_task().cancelling():
                    progress.set(path.stem, "stopped")
                    raise
                failures.append(str(error))
                progress.set(path.stem, "failed")
                raise  # the task group cancels the other lessons
            except asyncio.CancelledError:
                progress.set(path.stem, "stopped")
                raise
            progress.set(path.stem, "done")
            results[path.stem] = (Outcome(path.stem, "ran", time.perf_counter() - start), text)

    ticker = asyncio.create_task(progress.tick())
    try:
        async with asyncio.TaskGroup() as group:
            for path in paths:
                group.create_task(one(path))
    except ExceptionGroup:
        if not failures:
            raise
        raise BuildFailed("\n\n".join(failures) + "\n\nNothing was changed.") from None
    finally:
        ticker.cancel()
    return results


async def run_lesson(path: Path, env: dict, log: Path, inputs: str) -> str:
    """Run the lesson at ``path`` in a new kernel (working directory: its folder); return the
    text the build writes back.

    Outputs and widget state kept, no timestamps, widget model ids renumbered so that the same
    inputs give the same bytes, ``inputs`` (its ``input_hashes`` entry) and its number stamped
    in the metadata. Raises ``LessonError`` naming the lesson and the cell that failed
    (tests/test_build.py runs small lessons through it).
    """
    import nbformat

    from .steps import CoalesceStreams, DropRunRecords, StableWidgetIds, StampInputs, apply

    nb = nbformat.read(path, as_version=4)
    nb, _ = apply(nb, DropRunRecords(), StampInputs(inputs=inputs, lesson=path.name[:2]))
    run = await execute(nb, path.parent, env=env, log=log)
    if not run.ok:
        raise LessonError(run.failure(path.stem))
    nb, _ = apply(run.nb, CoalesceStreams(), StableWidgetIds(salt=path.stem))
    return nbformat.writes(nb) + "\n"


def status_report(outcomes: list[Outcome], accessibility: str = "") -> str:
    """``build/status.md``: each lesson's state and time, the versions used, and the last
    accessibility audit of the HTML editions (``accessibility``: ``build/accessibility.md``,
    Markdown with its date, which ``make test`` writes).

    >>> print(status_report([Outcome("00_start_here", "ran", 3.14)]).splitlines()[4])
    | 00_start_here | ran | 3.1 |
    """
    rows = [
        f"| {o.lesson} | ran | {o.seconds:.1f} |" if o.state == "ran" else f"| {o.lesson} | skipped (unchanged) | |"
        for o in outcomes
    ]
    versions = [f"- Python {sys.version.split()[0]}", *(f"- {name} {version(name)}" for name in VERSIONS)]
    head = ["# Build status", "", "| lesson | state | seconds |", "| --- | --- | --- |"]
    audit = ["", "Accessibility of the HTML editions (axe-core, WCAG 2.1 A and AA; rules violated, by impact):", ""]
    audit += [accessibility.strip() or NOT_AUDITED]
    return "\n".join([*head, *rows, "", "Versions:", "", *versions, *audit, ""])


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.build [--force]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.build", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="run every lesson, changed or not")
    parser.add_argument("--jobs", type=int, help="lessons at a time (default: the number of cores)")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the collection's folder (default: the clone this library is in)"
    )
    args = parser.parse_args(argv)
    try:
        build(args.root, force=args.force, jobs=args.jobs)
    except NotAClone as error:
        print(f"build: {error}", file=sys.stderr)
        return 2
    except BuildFailed as error:
        print(f"\nBUILD FAILED\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: notebooks/, figures/ and build/ were left as they were", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
