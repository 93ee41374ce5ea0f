"""``make lab`` opens what students get, a copy of the student edition (never the teacher's
``notebooks/``), keeps figures out of the tracked ``figures/``, and works as root (Jupyter then
needs ``--allow-root``). Read from make's dry run: nothing is started."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dry_run(target: str) -> str:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "-s", target], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return next(line for line in done.stdout.splitlines() if "jupyter lab" in line)


def test_make_lab_serves_a_student_edition_copy():
    line = dry_run("lab")
    assert line.rstrip().endswith(" lab"), f"make lab serves {line.split()[-1]!r}, not the copy in lab/"
    assert "VIENTIANE_FIGURES=" in line and "/lab/figures" in line, "figures would land in the tracked figures/"
    assert ("--allow-root" in line) == (os.getuid() == 0), line


def test_make_lab_teacher_serves_the_notebooks():
    line = dry_run("lab-teacher")
    assert line.rstrip().endswith(" notebooks")
    assert ("--allow-root" in line) == (os.getuid() == 0), line


def test_the_copy_is_ignored_by_git():
    assert "/lab/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
