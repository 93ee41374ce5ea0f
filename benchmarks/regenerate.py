"""How long ``make figures`` takes: a clean build against the naive loop, and a no-op rerun.

    .venv/bin/python benchmarks/regenerate.py

In one run, on a copy of the project in a temporary folder (the working notebooks are never
rewritten), it times:

1. clean build: ``python -m vientiane_teacher.build --force`` after deleting build/ (what a first
   ``make figures`` does: every lesson, figures, HTML and student editions);
2. no-op: ``python -m vientiane_teacher.build`` again, nothing changed;
3. naive loop: ``jupyter nbconvert --to notebook --execute`` on each lesson in turn (executes
   only: no editions, no index).

Targets on 2 cores: clean build at most half the naive loop; no-op about a second. Other
work on the machine shows up in the times: run it on a quiet machine.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("lib", "data", "seeds", "notebooks", "figures")


def timed(command: list[str], env: dict, cwd: Path) -> float:
    """Run ``command``; return its wall time in seconds (its output is shown only if it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="vientiane-bench-") as scratch:
        copy = Path(scratch) / "project"
        for name in COPIED:
            shutil.copytree(
                ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
            )
        # The copy's library for this process and its kernels, not the installed /work tree.
        env = dict(os.environ, PYTHONPATH=str(copy / "lib"), VIENTIANE_FIGURES=str(Path(scratch) / "naive-figures"))
        python, jupyter = sys.executable, str(Path(sys.executable).with_name("jupyter"))
        lessons = sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        print(f"{len(lessons)} lessons, {os.cpu_count()} cores, copy in {copy}")

        clean = timed([python, "-m", "vientiane_teacher.build", "--force"], env, copy)
        noop = timed([python, "-m", "vientiane_teacher.build"], env, copy)
        naive = 0.0
        for lesson in lessons:
            out = Path(scratch) / "naive"
            naive += timed(
                [jupyter, "nbconvert", "--to", "notebook", "--execute", str(lesson), "--output-dir", str(out)],
                env,
                copy,
            )

    print(f"clean build (vientiane_teacher.build --force)     {clean:6.1f} s")
    print(f"naive loop (nbconvert --execute, each)    {naive:6.1f} s")
    print(f"no-op rerun (vientiane_teacher.build)           {noop:6.1f} s   target: about 1 s")
    print(f"clean build / naive loop                  {clean / naive:6.2f}     target: at most 0.50")


if __name__ == "__main__":
    main()
