"""The library where students meet it: a built wheel, a plain (not editable) install, and the
``student`` branch, each in a fresh virtual environment and used from a folder outside any clone.

The fresh environments borrow the third-party packages (pandas, matplotlib, ipykernel …) from
this project's venv through a ``.pth`` line, so nothing is downloaded; ``vientiane`` itself is
installed into them from the wheel or the branch, never from ``lib/``.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.repo import ROOT
from vientiane_teacher import editions, publish

pytestmark = pytest.mark.slow  # builds a wheel, installs it, runs a lesson
SOLUTION_MARK = "# Solution"


def outside_env(**changes) -> dict[str, str]:
    """This environment without what would let the clone's library in (PYTHONPATH: ``make``
    or a teacher's shell may set it to lib/), so an installed copy is what gets imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIENTIANE_FIGURES")}
    return env | changes


def run(*command, cwd=None, timeout=300, env=None) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=outside_env() if env is None else env,
    )
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build_wheel(source: Path, into: Path) -> Path:
    """The wheel of ``source`` (a clone or a checkout of the student branch), built offline."""
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", into, source)
    return next(into.glob("vientiane-*.whl"))


def fresh_venv(folder: Path, wheel: Path) -> Path:
    """A new venv with ``wheel`` installed and the other packages borrowed; returns its python."""
    run(sys.executable, "-m", "venv", "--without-pip", folder)
    python = folder / "bin" / "python"
    target = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", target, wheel)
    (target / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return python


# Run in the student's venv, which has no teacher's tools (so not vientiane_teacher.runner).
RUN_LESSON = """
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": sys.argv[2]}}).execute()
outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
print(json.dumps({"errors": [o["ename"] for o in outputs if o["output_type"] == "error"],
                  "texts": [o.get("text", o.get("data", {}).get("text/plain", "")) for o in outputs]}))
"""

WHERE = """
import json, vientiane, vientiane.paths as p
facts = vientiane.load()
print(json.dumps({"library": vientiane.__file__, "data": str(p.data_package()),
                  "eas": len(facts.members("EAS", on="2016-07-26")), "check": bool(vientiane.check("00.1", 3))}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def test_the_wheel_carries_data_and_seeds_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as archive:
        inside = {
            n.removeprefix("vientiane/collection/"): archive.read(n)
            for n in archive.namelist()
            if n.startswith("vientiane/collection/")
        }
        assert not [n for n in archive.namelist() if n.endswith(".ipynb")], "no lesson (with solutions) in the wheel"
    expected = {
        p.relative_to(ROOT).as_posix(): p.read_bytes()
        for folder in ("data", "seeds")
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file()
    }
    assert inside == expected


def test_the_installed_wheel_works_from_any_folder(wheel, tmp_path):
    python = fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    found = json.loads(run(python, "-c", WHERE, cwd=elsewhere).splitlines()[-1])
    assert found["library"].startswith(str(tmp_path / "venv"))
    assert "/vientiane/collection/data/" in found["data"]
    assert found["eas"] == 18 and found["check"] is False  # 3 is not the answer to 00.1: the check ran


def test_the_student_branch_installs_and_its_lesson_runs(tmp_path):
    """Publish into a clone (never this repository), clone the branch as nbgitpuller would,
    install it with its postBuild's command, run lesson 02 top to bottom: no solution in it."""
    teacher = tmp_path / "teacher"
    run("git", "clone", "-q", ROOT, teacher)
    (teacher / "build" / "student").mkdir(parents=True)
    for path in sorted((teacher / "notebooks").glob("[0-9][0-9]_*.ipynb")):  # what `make figures` writes
        nbformat.write(
            editions.student_notebook(nbformat.read(path, as_version=4)), teacher / "build" / "student" / path.name
        )
    assert publish.publish(teacher) is not None
    assert publish.publish(teacher) is None  # same inputs, same tree: no new commit

    student = tmp_path / "home" / "vientiane"
    run("git", "clone", "-q", "--depth", "1", "--branch", "student", f"file://{teacher}", student)
    sources = "".join(p.read_text(encoding="utf-8") for p in (student / "notebooks").glob("*.ipynb"))
    assert SOLUTION_MARK not in sources and "vientiane_teacher" not in run("git", "ls-files", cwd=student)

    wheel = build_wheel(student, tmp_path / "wheelhouse")  # what postBuild's `pip install .` builds
    python = fresh_venv(tmp_path / "venv", wheel)
    lesson = next((student / "notebooks").glob("02_*.ipynb"))
    result = json.loads(run(python, "-c", RUN_LESSON, lesson, lesson.parent, cwd=tmp_path).splitlines()[-1])
    assert result["errors"] == []
    assert any("Replace the ..." in "".join(text) for text in result["texts"])  # the checks run, unanswered
    assert (student / "figures").is_dir()  # figures go to the collection the lesson runs in
