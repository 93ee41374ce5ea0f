"""The one kernel runner of the teacher's tools: ``execute`` runs a notebook in a new kernel
(the build, the grader and the tests all call it; no other module makes a notebook client),
``run_interruptibly`` runs such runs so that Ctrl-C stops them all. The README is the manual.

>>> from nbformat.v4 import new_code_cell, new_notebook
>>> run = run_interruptibly(execute(new_notebook(cells=[new_code_cell("1 + 1"), new_code_cell("1/0")]), cwd="."))
>>> run.ok, run.nb.cells[0].outputs[0].data["text/plain"], run.cell, type(run.error).__name__
(False, '2', 1, 'CellExecutionError')
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

CELL_TIMEOUT = 600  # seconds: a cell that hangs fails the build instead of blocking it forever
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(source) -> str:
    """A cell's source as one string. Here, not imported from ``lessons``: the sandbox runs a
    copy of this module on its own, with nothing else of the teacher's tools beside it."""
    return "".join(source) if isinstance(source, list) else source


class LessonError(Exception):
    """One lesson failed; the message names the lesson and the cell."""


@dataclass
class Execution:
    """What became of one run: the executed notebook (outputs of the cells that ran), and
    why it stopped early, if it did.

    ``cell``: the index (from 0) of the last cell that started, None before the first one;
    ``error``: the exception that stopped the run (None: it ran to the end);
    ``timed_out``: a cell or the whole run went over its limit; ``died``: the kernel died.
    """

    nb: object
    cell: int | None = None
    error: BaseException | None = None
    timed_out: bool = False
    died: bool = False
    log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out

    def failure(self, lesson: str) -> str:
        """The message for a failed lesson: which lesson, which cell, its traceback (or the
        kernel log's last lines)."""
        kind = type(self.error).__name__ if self.error else "TimeoutError"
        if self.cell is None:
            return f"lesson {lesson} failed before its first cell: {kind}: {self.error}{_kernel_log(self.log)}"
        cell = self.nb.cells[self.cell]
        first = (_text(cell.source).strip().splitlines() or [""])[0]
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        trace = "\n".join(errors[-1]["traceback"]) if errors else f"{kind}: {self.error}{_kernel_log(self.log)}"
        header = f"lesson {lesson} failed in cell index {self.cell} (first line: {first})"
        return f"{header}\n{ANSI.sub('', trace).rstrip()}"


async def execute(
    nb,
    cwd: Path | str,
    *,
    allow_errors: bool = False,
    cell_timeout: float = CELL_TIMEOUT,
    total_timeout: float | None = None,
    env: dict | None = None,
    log: Path | None = None,
    kernel_manager=None,
) -> Execution:
    """Run notebook ``nb`` (changed in place) in a new ``python3`` kernel in folder ``cwd``.

    ``allow_errors``: the cells after one that raises still run (the grader), else the run
    stops there (the build). ``cell_timeout`` seconds per cell, ``total_timeout`` for the
    whole run, kernel start included (None: no limit); a run over either is stopped and its
    kernel killed. ``env``: the kernel's environment (default: this process's). The kernel's
    own messages go to ``log`` (default: nowhere), never to the terminal. No timestamps are
    recorded in the cells. ``kernel_manager``: a jupyter_client ``AsyncKernelManager`` to start
    the kernel with; by default one for ``python3``, this Python, talking over IPC sockets in a
    private folder (TCP ports are chosen by the client and bound later by the kernel: another
    kernel starting meanwhile, in a second build or test worker, can take one first, and the
    kernel dies with "Address already in use"). Returns an ``Execution``; never raises for
    the notebook's faults.
    Cancelling the awaiting task shuts the kernel down. The module's docstring has an example.
    """
    from jupyter_client.manager import AsyncKernelManager

    sockets = None
    if kernel_manager is None:
        sockets = tempfile.mkdtemp(prefix="vientiane-kernel-")
        kernel_manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
    try:
        return await _execute(nb, cwd, allow_errors, cell_timeout, total_timeout, env, log, kernel_manager)
    finally:
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)


async def _execute(nb, cwd, allow_errors, cell_timeout, total_timeout, env, log, kernel_manager) -> Execution:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    client = NotebookClient(
        nb,
        kernel_name="python3",  # this Python and its library, whatever kernel the notebook names
        timeout=max(1, int(cell_timeout)),
        allow_errors=allow_errors,
        interrupt_on_timeout=False,  # a stuck cell ends the run (the kernel is then killed)
        record_timing=False,  # no per-run timestamps in the cells
        shutdown_kernel="immediate",  # the run is done: a graceful shutdown only waits
        resources={"metadata": {"path": str(cwd)}},  # the kernel's working folder
        km=kernel_manager,
    )
    run = Execution(nb, log=log)
    client.on_cell_start = lambda cell, cell_index: setattr(run, "cell", cell_index)
    with open(log or os.devnull, "wb") as stream:
        task = asyncio.create_task(client.async_execute(env=env or dict(os.environ), stdout=stream, stderr=stream))
        # asyncio.wait, not wait_for: nbclient turns the cancellation of a running cell into
        # DeadKernelError, so wait_for would report a timeout as a dead kernel.
        done = set()
        try:
            done, _ = await asyncio.wait({task}, timeout=total_timeout)
        finally:
            if not task.done():
                task.cancel()  # nbclient kills the kernel as it unwinds
                await asyncio.wait({task})
            if not task.cancelled():
                task.exception()  # seen: a stopped run's "kernel died" is no news (asyncio would log it)
            await _kill(client)  # in case the cancellation came while the kernel was starting
    run.error = task.exception() if not task.cancelled() else None
    run.timed_out = task not in done or isinstance(run.error, CellTimeoutError)
    run.died = isinstance(run.error, DeadKernelError)
    return run


async def _kill(client) -> None:
    km = getattr(client, "km", None)
    if km is None:  # nbclient already cleaned up
        return
    with contextlib.suppress(Exception):
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
        else:
            await km.cleanup_resources()


def _kernel_log(log: Path | None) -> str:
    with contextlib.suppress(OSError, TypeError):
        tail = Path(log).read_text(errors="replace").strip().splitlines()[-15:]
        if tail:
            return "\nkernel log (last lines):\n" + "\n".join(tail)
    return ""


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
