"""Runs inside the sandbox (``sandbox.py``): execute one handed-in notebook, write what the
grader needs to file descriptor 3 as JSON. A script on its own: only the standard library,
nbformat and nbclient, never the teacher's tools (the sandbox does not hold them).

    python sandboxed_run.py NOTEBOOK CELL_TIMEOUT

What it writes: ``{"cells": [{"index": i, "errors": [[ename, evalue], ...],
"checks": [<each check result bundle, in order>]}, ...], "stopped": {...}}``, for the code
cells that produced either; the grader trusts none of it but the answer values, and computes
every verdict itself from them.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

RESULT_MIME = "application/vnd.vientiane.check+json"
HOME = Path(os.environ.get("HOME", "/tmp/home"))
WORK = Path("/tmp/work")


def summary(nb) -> list[dict]:
    cells = []
    for index, cell in enumerate(nb.cells):
        errors, checks = [], []
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                errors.append([str(output.get("ename", "")), str(output.get("evalue", ""))[:500]])
            elif RESULT_MIME in output.get("data", {}):
                checks.append(output["data"][RESULT_MIME])
        if errors or checks:
            cells.append({"index": index, "errors": errors, "checks": checks})
    return cells


async def run(path: Path, cell_timeout: int) -> dict:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=cell_timeout,
        allow_errors=True,  # one slip does not cost the later exercises
        interrupt_on_timeout=False,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(WORK)}},
    )
    where = {}
    client.on_cell_start = lambda cell, cell_index: where.update(cell=cell_index)
    stopped = {}
    with open(HOME / "kernel.log", "wb") as log:  # the kernel's chatter stays inside
        try:
            await client.async_execute(stdout=log, stderr=log)
        except CellTimeoutError:
            stopped = {"why": "timeout", "cell": where.get("cell")}
        except DeadKernelError:
            stopped = {"why": "died", "cell": where.get("cell")}
        except Exception as error:  # the kernel did not start, or nbclient failed
            stopped = {"why": "failed", "cell": where.get("cell"), "error": f"{type(error).__name__}: {error}"[:300]}
    return {"cells": summary(nb), "stopped": stopped}


def main() -> int:
    notebook, cell_timeout = Path(sys.argv[1]), int(sys.argv[2])
    for folder in (HOME / ".config" / "matplotlib", WORK / "figures"):
        folder.mkdir(parents=True, exist_ok=True)
    fonts = Path(__file__).resolve().parent / "matplotlib"
    if fonts.is_dir():  # the font cache built once by the grader: no scan of the fonts per notebook
        shutil.copytree(fonts, HOME / ".config" / "matplotlib", dirs_exist_ok=True)
    result = asyncio.run(run(notebook, cell_timeout))
    with os.fdopen(3, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
