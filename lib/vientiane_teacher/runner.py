"""Running one lesson in its own kernel, and the few things that make the result reproducible.

>>> stable_widget_ids('{"model_id": "%s"}' % ("f" * 32), ["f" * 32], "00_x")
'{"model_id": "3285deda258a28f0f509bf06304184d2"}'
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import threading
from pathlib import Path

from .lessons import text as _text

CELL_TIMEOUT = 600  # seconds: a cell that hangs fails the build instead of blocking it forever
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class LessonError(Exception):
    """One lesson failed; the message names the lesson and the cell."""


def run_interruptibly(coroutine):
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

    Example (it starts a kernel, so it is not a doctest)::

        text = asyncio.run(execute(lessons()[0]))
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # a lesson that shows no widget any more keeps no old state
    if inputs:
        # The lesson's number travels with every copy (student edition, submissions): the grader reads it.
        nb.metadata["vientiane"] = {"inputs": inputs, "lesson": path.name[:2]}
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
