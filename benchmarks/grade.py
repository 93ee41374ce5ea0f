"""How long ``make grade`` takes for a class: 30 submissions of lesson 02 against the naive loop.

    .venv/bin/python benchmarks/grade.py [--copies 30]

In one run, in a temporary folder, it makes 30 copies of lesson 02 as a student who solved
everything hands it in (the student edition, each exercise cell holding its solution) and times:

1. the grader: ``python -m vientiane_teacher.grade`` on the folder (each submission in a sandbox
   of its own, bubblewrap, with its own kernel; as many at a time as there are cores; default
   time limit), the students' library for the sandbox, grades.csv, feedback and the class report
   included;
2. the naive loop: ``jupyter nbconvert --to notebook --execute`` on each file in turn.

One untimed nbconvert run first warms the caches (fonts, the data package's validation) for both.
Target on 2 cores: grader / naive loop at most 0.6. Other work on the machine shows up in the
times (the 1-minute load average at the end of each part is printed): run it on a quiet machine.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from vientiane_teacher.editions import student_notebook
from vientiane_teacher.lessons import SOLUTION, has_role

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "02_membership_structures.ipynb"


def solved_student_copy():
    """Lesson 02's student edition with every exercise answered by the solution that followed it."""
    nb = nbformat.read(LESSON, as_version=4)
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        if has_role(cell, SOLUTION) and before.cell_type == "code":
            before.source = cell.source.replace("# Solution\n", "")
    nb = student_notebook(nb)
    nb.metadata["vientiane"] = {"lesson": "02"}  # what the built editions carry
    return nb


def timed(command: list[str], env: dict, cwd: Path) -> float:
    """Run ``command``; return its wall time in seconds (its output is shown only if it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30)
    copies = parser.parse_args().copies
    with tempfile.TemporaryDirectory(prefix="vientiane-grade-bench-") as scratch:
        scratch = Path(scratch)
        folder = scratch / "submissions"
        folder.mkdir()
        text = nbformat.writes(solved_student_copy())
        files = [folder / f"student{i:02d}_02_membership_structures.ipynb" for i in range(1, copies + 1)]
        for path in files:
            path.write_text(text, encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "lib"), VIENTIANE_FIGURES=str(scratch / "figures"))
        env.pop("MPLBACKEND", None)
        python, jupyter = sys.executable, str(Path(sys.executable).with_name("jupyter"))
        nbconvert = [jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(scratch / "naive")]
        print(f"{copies} submissions of lesson 02, {os.cpu_count()} cores, in {scratch}", flush=True)

        timed([*nbconvert, str(files[0])], env, scratch)  # warm-up, not timed
        out = scratch / "marks" / "grades.csv"
        grader = timed([python, "-m", "vientiane_teacher.grade", str(folder), "--out", str(out)], env, scratch)
        grader_load = os.getloadavg()[0]  # other work on the machine: compare with the number of cores
        with open(out, encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        ok = sum(r["status"] == "ok" and r["raw_score"] == r["max_score"] for r in rows)
        for r in rows:  # what went wrong is gone with the temporary folder: say it now
            if r["status"] != "ok" or r["raw_score"] != r["max_score"]:
                print(f"  not all right: {r['file']}: {r['raw_score']} of {r['max_score']}, {r['status']}", flush=True)
        naive = sum(timed([*nbconvert, str(path)], env, scratch) for path in files)
        naive_load = os.getloadavg()[0]

    print(
        f"grader (vientiane_teacher.grade)          {grader:6.1f} s   {ok} of {copies} ok with every exercise right; "
        f"load average at its end {grader_load:.1f}"
    )
    print(f"naive loop (nbconvert --execute, each)    {naive:6.1f} s   load average at its end {naive_load:.1f}")
    print(f"per notebook, one after the other         {naive / copies:6.1f} s   (nbconvert, unsandboxed)")
    print(f"grader / naive loop                       {grader / naive:6.2f}     target: at most 0.60")


if __name__ == "__main__":
    main()
