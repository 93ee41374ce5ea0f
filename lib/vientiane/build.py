"""``make figures``: run every lesson headless and rebuild figures/ and the two editions.

    python -m vientiane.build            # run again only the lessons whose inputs changed
    python -m vientiane.build --force    # run every lesson

Each ``notebooks/NN_<topic>.ipynb`` runs in its own kernel (nbclient; as many lessons at a
time as there are cores; working directory ``notebooks/``) and is written back with its
outputs and widget state. Then:

* ``figures/``: the figures every lesson saves, and ``index.csv`` built from their sidecars;
* ``build/html/``: one page per lesson and ``index.html``; widgets render from the saved state
  with the renderer vendored in ``vientiane/static/`` (opened from disk: no server, no network);
* ``build/student/``: the lessons without the cells tagged ``solution`` and without outputs;
* ``build/status.md``: what ran, how long it took, the versions used.

Everything is written to ``build/.staging-*`` first and moved into place only when every
lesson succeeded: a failure or Ctrl-C leaves the previous results whole. A lesson runs again
only when its cells, ``data/``, ``seeds/`` or ``lib/vientiane/`` changed (``build/inputs.json``
keeps a content hash per lesson).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import html
import io
import itertools
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# Only the standard library up here: finding out that nothing changed must stay fast, and
# nbclient and nbconvert take about 2 s to import, so they are imported where they are used.

ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
LESSONS = "[0-9][0-9]_*.ipynb"
SOLUTION_TAG = "solution"
CELL_TIMEOUT = 600  # seconds: a cell that hangs fails the build instead of blocking it forever
TITLE = "Lavrov in Vientiane, July 2016"
VERSIONS = ("pandas", "matplotlib", "ipywidgets", "nbclient", "nbconvert", "ipykernel")
FIGURE_FILES = {".png", ".svg", ".json"}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class BuildFailed(Exception):
    """The build stopped and changed nothing; the message says why (for a lesson: which cell)."""


class LessonError(Exception):
    """One lesson failed; the message names the lesson and the cell."""


@dataclass
class Outcome:
    """What happened to one lesson: ``state`` is "ran" or "unchanged"."""

    lesson: str
    state: str
    seconds: float = 0.0


# ------------------------------------------------------------------------------ inputs


def lessons(root: Path = ROOT) -> list[Path]:
    """The lesson notebooks, in order.

    >>> [path.name for path in lessons()][:1]
    ['00_start_here.ipynb']
    """
    return sorted((Path(root) / "notebooks").glob(LESSONS))


def input_hashes(root: Path = ROOT) -> dict[str, str]:
    """A content hash per lesson of everything that decides its outputs.

    That is the lesson's cells (sources and tags, not outputs: the build writes those), the
    data package, the seeds and the library (with the vendored renderer).

    >>> hashes = input_hashes()
    >>> sorted(hashes)[0], len(hashes["00_start_here"])
    ('00_start_here', 64)
    """
    root = Path(root)
    library = root / "lib" / "vientiane"
    shared = hashlib.sha256()
    inputs = [*library.glob("*.py"), *_files(library / "static"), *_files(root / "data"), *_files(root / "seeds")]
    for path in sorted(inputs):
        shared.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
        shared.update(path.read_bytes())
    hashes = {}
    for path in lessons(root):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = [(c["cell_type"], _text(c["source"]), c.get("metadata", {}).get("tags", [])) for c in cells]
        lesson = hashlib.sha256(shared.digest())
        lesson.update(json.dumps(sources, ensure_ascii=False).encode())
        hashes[path.stem] = lesson.hexdigest()
    return hashes


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


# ------------------------------------------------------------------------------ the build


def build(root: Path = ROOT, force: bool = False, jobs: int | None = None, out=None) -> list[Outcome]:
    """Run the lessons whose inputs changed (every lesson with ``force``), rebuild the outputs.

    Returns one ``Outcome`` per lesson. Raises ``BuildFailed`` when a lesson fails, and lets
    KeyboardInterrupt through on Ctrl-C; either way nothing was changed.

    >>> build(force=True)  # doctest: +SKIP
    [Outcome(lesson='00_start_here', state='ran', seconds=3.1), ...]
    """
    root, out = Path(root), out or sys.stdout
    paths = lessons(root)
    numbers = [p.name[:2] for p in paths]
    if len(set(numbers)) < len(numbers):
        raise BuildFailed(f"two lessons share a number (figures are named by it): {[p.name for p in paths]}")
    hashes = input_hashes(root)
    previous = _read_json(root / "build" / "inputs.json")
    stale = [p for p in paths if force or not _up_to_date(root, p.stem, hashes[p.stem], previous)]
    indexes = [root / "figures" / "index.csv", root / "build" / "html" / "index.html"]
    if not stale and set(previous) == set(hashes) and all(p.exists() for p in indexes):
        outcomes = [Outcome(p.stem, "unchanged") for p in paths]
        _atomic_write(root / "build" / "status.md", status_report(outcomes))
        print(f"nothing changed: {len(paths)} lessons up to date (build/status.md)", file=out)
        return outcomes

    # Longest lesson first (times of the previous build): the parallel run ends sooner.
    stale.sort(key=lambda p: -previous.get(p.stem, {}).get("seconds", 0))
    (root / "build").mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root / "build"))  # same disk: renames
    try:
        return _build(root, paths, stale, hashes, previous, staging, jobs or os.cpu_count() or 1, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _up_to_date(root: Path, stem: str, digest: str, previous: dict) -> bool:
    record = previous.get(stem, {})
    outputs = [root / "build" / "html" / f"{stem}.html", root / "build" / "student" / f"{stem}.ipynb"]
    outputs += [root / "figures" / name for name in record.get("figures", [])]
    return record.get("inputs") == digest and all(p.exists() for p in outputs)


def _build(root, paths, stale, hashes, previous, staging, jobs, out) -> list[Outcome]:
    figures = staging / "figures"
    _keep_figures(root / "figures", figures, rerun={p.name[:2] for p in stale}, lessons={p.name[:2] for p in paths})
    before = {p: p.read_bytes() for p in stale}
    env = _kernel_env(root, figures)
    executed = _run_interruptibly(_execute_all(stale, env, staging, jobs, out, hashes)) if stale else {}

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
    (staging / "build" / "status.md").write_text(status_report(outcomes), encoding="utf-8")
    (staging / "build" / "inputs.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")

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
        for name in ("html", "student"):
            _swap(staging / "build" / name, root / "build" / name, old / name)
        os.replace(staging / "build" / "status.md", root / "build" / "status.md")
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
                text = await execute(path, env, staging / "logs" / f"{path.stem}.log", inputs=hashes[path.stem])
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


def _run_interruptibly(coroutine):
    """Run ``coroutine`` with asyncio in a worker thread; Ctrl-C cancels it and shuts kernels down.

    On the main thread nbclient takes SIGINT over and shuts just one kernel down, which then
    reads as a confusing "kernel died" while the other lessons go on. Off the main thread it
    leaves signals alone: Ctrl-C raises KeyboardInterrupt here, and cancelling the task stops
    every lesson.
    """
    box, done = {}, threading.Event()

    async def main():
        box["loop"], box["task"] = asyncio.get_running_loop(), asyncio.current_task()
        return await coroutine

    def target():
        try:
            box["result"] = asyncio.run(main())
        except BaseException as error:  # handed to the main thread below
            box["error"] = error
        finally:
            done.set()

    # Wait on an Event, not Thread.join(): on Python 3.11 a Ctrl-C inside join() marks the
    # thread as finished while it still runs. Daemon: a second Ctrl-C does not hang the exit.
    threading.Thread(target=target, name="lessons", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        if "task" in box:
            box["loop"].call_soon_threadsafe(box["task"].cancel)
        done.wait()
        raise
    if "error" in box:
        raise box["error"]
    return box["result"]


async def execute(path: Path, env: dict | None = None, log: Path | None = None, inputs: str | None = None) -> str:
    """Run one notebook in a new kernel (working directory: its folder); return it as text.

    The text is what the build writes back: outputs and widget state kept, no timestamps,
    widget model ids renumbered so that the same inputs give the same bytes. ``inputs`` (the
    lesson's ``input_hashes`` entry) is recorded in the metadata, so a test can tell a committed
    notebook that is stale. Raises ``LessonError`` naming the cell that failed.

    >>> text = asyncio.run(execute(lessons()[0]))  # doctest: +SKIP
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # a lesson that shows no widget any more keeps no old state
    if inputs:
        nb.metadata["vientiane"] = {"inputs": inputs}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps from an earlier run
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        record_timing=False,  # no per-run timestamps in the cells
        shutdown_kernel="immediate",  # the lesson is done: a graceful shutdown only waits
        resources={"metadata": {"path": str(path.parent)}},
    )
    where = {}
    client.on_cell_start = lambda cell, cell_index: where.update(cell=cell, index=cell_index)
    log = log or Path(os.devnull)
    try:
        with open(log, "wb") as stream:  # the kernel's own messages go to a log, not the terminal
            await client.async_execute(env=env or dict(os.environ), stdout=stream, stderr=stream)
    except Exception as error:
        raise LessonError(_failure(path.stem, where, error, log)) from None
    # The state's order is the widgets' creation order: the same run after run, unlike the ids.
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    text = stable_widget_ids(nbformat.writes(nb), list(state), path.stem)
    return nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"  # keys sorted by the new ids


def _failure(lesson: str, where: dict, error: Exception, log: Path) -> str:
    if "cell" not in where:
        return f"lesson {lesson} failed before its first cell: {type(error).__name__}: {error}{_kernel_log(log)}"
    cell = where["cell"]
    first = (_text(cell.source).strip().splitlines() or [""])[0]
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    trace = "\n".join(errors[-1]["traceback"]) if errors else f"{type(error).__name__}: {error}{_kernel_log(log)}"
    header = f"lesson {lesson} failed in cell index {where['index']} (first line: {first})"
    return f"{header}\n{ANSI.sub('', trace).rstrip()}"


def _kernel_log(log: Path) -> str:
    with contextlib.suppress(OSError):
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        if tail:
            return "\nkernel log (last lines):\n" + "\n".join(tail)
    return ""


def stable_widget_ids(text: str, ids: list[str], salt: str) -> str:
    """Replace the random widget model ``ids`` (in creation order) in a notebook's text.

    The new ids derive from ``salt`` (the lesson) and the order alone.

    >>> stable_widget_ids('{"model_id": "%s"}' % ("f" * 32), ["f" * 32], "00_x")
    '{"model_id": "3285deda258a28f0f509bf06304184d2"}'
    """
    new = {old: hashlib.sha256(f"{salt}:{i}".encode()).hexdigest()[:32] for i, old in enumerate(ids)}
    return re.sub(r"[0-9a-f]{32}", lambda m: new.get(m.group(), m.group()), text) if new else text


# ------------------------------------------------------------------------------ outputs


def figures_index(folder: Path) -> str:
    """``index.csv`` of the figures in ``folder``, from their .json sidecars.

    >>> figures_index(ROOT / "figures").splitlines()[0]
    'figure,lesson,png,svg,alt,shows'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "lesson", "png", "svg", "alt", "shows"])
    for sidecar in sorted(Path(folder).glob("*.json")):
        info = json.loads(sidecar.read_text(encoding="utf-8"))
        name = info["figure"]
        writer.writerow([name, info["lesson"], f"{name}.png", f"{name}.svg", info["alt"], info.get("shows", "")])
    return buffer.getvalue()


# The lab template minus what it would fetch from a CDN: require.js and the widget renderer
# are the local copies (see editions), MathJax and Mermaid are left out: no lesson has math or
# diagrams, and MathJax would read "$13.7 billion ... $" as a formula.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
{% block extra_css %}<style>.vientiane-nav{font:14px sans-serif;padding:12px 0 12px 104px}</style>{% endblock %}
{% block body_header %}{{ super() }}{{ resources.vientiane_nav }}{% endblock %}
{% block body_footer %}{{ resources.vientiane_nav }}{{ super() }}{% endblock %}
"""


def editions(notebooks: dict[str, str], folder: Path) -> None:
    """Write the HTML edition (``html/``) and the student edition (``student/``) into ``folder``.

    ``notebooks`` maps each lesson's name to its executed notebook's text.

    >>> editions({"00_start_here": executed_text}, Path("build"))  # doctest: +SKIP
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    pages, students = Path(folder) / "html", Path(folder) / "student"
    pages.mkdir(parents=True)
    students.mkdir(parents=True)
    for name in ("require.js", "embed-amd.js"):
        shutil.copyfile(STATIC / name, pages / name)
    exporter = HTMLExporter(
        template_name="lab", raw_template=PAGE_TEMPLATE, require_js_url="require.js", widget_renderer_url="embed-amd.js"
    )
    remove_solutions = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    clear_outputs = ClearOutputPreprocessor(enabled=True)

    names = sorted(notebooks)
    parsed = {name: nbformat.reads(notebooks[name], as_version=4) for name in names}
    titles = {name: _title(parsed[name], name) for name in names}
    for i, name in enumerate(names):
        # The template gives each widget output a random uuid4 as HTML id: number them instead.
        count = itertools.count()
        exporter.environment.globals["uuid4"] = lambda n=name, c=count: uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:{next(c)}")
        resources = {"metadata": {"name": titles[name]}, "vientiane_nav": _nav(names, titles, i)}
        page, _ = exporter.from_notebook_node(parsed[name], resources=resources)
        (pages / f"{name}.html").write_text(page, encoding="utf-8")

        student, _ = remove_solutions.preprocess(parsed[name], {})
        student, _ = clear_outputs.preprocess(student, {})
        student.metadata.pop("widgets", None)  # the state of widgets whose outputs are gone
        nbformat.write(student, students / f"{name}.ipynb")
    (pages / "index.html").write_text(_index_page(names, titles), encoding="utf-8")


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


def _nav(names: list[str], titles: dict, i: int) -> str:
    links = ['<a href="index.html">All lessons</a>']
    if i > 0:
        links.insert(0, f'<a rel="prev" href="{names[i - 1]}.html">← {html.escape(titles[names[i - 1]])}</a>')
    if i + 1 < len(names):
        links.append(f'<a rel="next" href="{names[i + 1]}.html">{html.escape(titles[names[i + 1]])} →</a>')
    return f'<nav class="vientiane-nav">{" · ".join(links)}</nav>'


def _index_page(names: list[str], titles: dict) -> str:
    items = "\n".join(
        f'<li><a href="{n}.html">{html.escape(titles[n])}</a> (<a href="../student/{n}.ipynb">student notebook</a>)</li>'
        for n in names
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{TITLE}</title>\n'
        "<style>body{font:16px sans-serif;max-width:50em;margin:2em auto}li{margin:.4em 0}</style>\n</head>\n"
        f"<body>\n<h1>{TITLE}</h1>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def status_report(outcomes: list[Outcome]) -> str:
    """``build/status.md``: each lesson's state and time, and the versions used.

    >>> print(status_report([Outcome("00_start_here", "ran", 3.14)]).splitlines()[4])
    | 00_start_here | ran | 3.1 |
    """
    rows = [
        f"| {o.lesson} | ran | {o.seconds:.1f} |" if o.state == "ran" else f"| {o.lesson} | skipped (unchanged) | |"
        for o in outcomes
    ]
    versions = [f"- Python {sys.version.split()[0]}", *(f"- {name} {version(name)}" for name in VERSIONS)]
    head = ["# Build status", "", "| lesson | state | seconds |", "| --- | --- | --- |"]
    return "\n".join([*head, *rows, "", "Versions:", "", *versions, ""])


# ------------------------------------------------------------------------------ helpers


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


class Progress:
    """A line per lesson (name, state, seconds): redrawn in place on a terminal, else logged."""

    def __init__(self, names: list[str], stream):
        self.stream, self.tty = stream, stream.isatty()
        self.lines = {name: ("waiting", None, None) for name in names}  # state, start, seconds
        self.drawn = False

    def set(self, name: str, state: str) -> None:
        now, start = time.perf_counter(), self.lines[name][1]
        self.lines[name] = (state, now, None) if state == "running" else (state, start, now - (start or now))
        if self.tty:
            self.draw()
        elif state != "running":  # a log gets one line per lesson, when it ends
            print(self.line(name), file=self.stream, flush=True)

    def line(self, name: str) -> str:
        state, start, seconds = self.lines[name]
        if seconds is None and start is not None:
            seconds = time.perf_counter() - start
        return f"{name:<36} {state:<8}" + ("" if seconds is None else f" {seconds:5.1f} s")

    def draw(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{len(self.lines)}F")  # back to the first lesson's line
        self.stream.write("".join(f"\x1b[2K{self.line(name)}\n" for name in self.lines))
        self.stream.flush()
        self.drawn = True

    async def tick(self) -> None:
        while self.tty:
            self.draw()
            await asyncio.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane.build [--force]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m vientiane.build", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="run every lesson, changed or not")
    parser.add_argument("--jobs", type=int, help="lessons at a time (default: the number of cores)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this library's)")
    args = parser.parse_args(argv)
    try:
        build(args.root, force=args.force, jobs=args.jobs)
    except BuildFailed as error:
        print(f"\nBUILD FAILED\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: notebooks/, figures/ and build/ were left as they were", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
