"""Runs inside the sandbox (``sandbox.py``): execute the handed-in notebook given on standard
input with the teacher's one kernel runner (``runner.execute``, copied beside this script: the
sandbox holds no other part of the teacher's tools), then write what the grader needs to file
descriptor 3 as JSON. Only the standard library, nbformat, nbclient and that runner.

    python sandboxed_run.py TIMEOUT < submission.ipynb

``TIMEOUT`` seconds: the limit for any cell and for the whole run, kernel start included.

It writes ``{"cells": [{"index": i, "errors": [[ename, evalue], ...], "checks": [<each
check result bundle, in order>]}, ...], "stopped": {"why": "timeout" | "died" | "failed",
"cell": i}}`` for the code cells that produced either. The grader trusts none of it but the
answer values in the check bundles, and computes every verdict itself from them.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

RESULT_MIME = "application/vnd.vientiane.check+json"
# jsonschema (under nbformat) imports rfc3987_syntax, if installed, for the "iri" format, which
# the notebook schema never uses: it builds a grammar on import, 1.8 s of CPU in every sandbox.
sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" raises ImportError


def summary(nb) -> list[dict]:
    """Per code cell that raised or ran a check: its errors and check bundles."""
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


async def run(nb, timeout: float, work: Path, log: Path) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from runner import execute  # the teacher's one kernel runner, copied here

    ran = await execute(
        nb, work, allow_errors=True, cell_timeout=timeout, total_timeout=timeout, env=dict(os.environ), log=log
    )
    stopped = {}
    if ran.timed_out:
        stopped = {"why": "timeout", "cell": ran.cell}
    elif ran.died:
        stopped = {"why": "died", "cell": ran.cell}
    elif ran.error is not None:
        stopped = {"why": "failed", "cell": ran.cell, "error": f"{type(ran.error).__name__}: {ran.error}"[:300]}
    return {"cells": summary(ran.nb), "stopped": stopped}


def main() -> int:
    import nbformat

    timeout = float(sys.argv[1])
    home, work = Path(os.environ["HOME"]), Path(os.environ["VIENTIANE_WORK"])
    config = Path(os.environ["MPLCONFIGDIR"])
    for folder in (config, work / "figures"):
        folder.mkdir(parents=True, exist_ok=True)
    fonts = Path(__file__).resolve().parent / "matplotlib"
    if fonts.is_dir():  # the font list built once by the grader: no scan of the fonts per notebook
        shutil.copytree(fonts, config, dirs_exist_ok=True)
    stamps = Path(__file__).resolve().parent / "vientiane-cache"
    if stamps.is_dir():  # the data validated once by the grader: vientiane.load() does not validate again
        shutil.copytree(stamps, home / ".cache" / "vientiane", dirs_exist_ok=True)
    nb = nbformat.reads(sys.stdin.buffer.read().decode("utf-8"), as_version=4)
    result = asyncio.run(run(nb, timeout, work, home / "kernel.log"))  # the kernel's chatter stays inside
    with os.fdopen(3, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
