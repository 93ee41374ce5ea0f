"""Every attack of issue 16's "Why", and every awkward input, against the sandboxed grader.

One folder of submissions is graded once (``make grade``'s command line, the default sandbox,
a generous time limit); each test reads what it wrote. The attackers try to forge a verdict
(a result bundle, a patched check, a rewritten key, printed "Right"), to read the teacher's
environment, to write into the submissions, the output, the teacher's home and the clone, and
to leave a process behind. Beside them: an honest student who solved everything, one whose
every answer is wrong (graded after the key was attacked), a notebook that breaks in cell 2,
and the files that used to cost the class (a non-UTF-8 name, a zip in a zip, duplicates, a
symbolic link, a damaged zip).
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.ci import unavailable
from tests.repo import ROOT
from vientiane_teacher import sandbox
from vientiane_teacher.lessons import PRESENT, SOLUTION, TEACHER_ONLY, has_role

pytestmark = pytest.mark.slow  # grading runs, each notebook in a sandboxed kernel

LESSON = ROOT / "notebooks" / "02_membership_structures.ipynb"
EXERCISES_02 = ["02.1", "02.2", "02.3", "02.4"]
RESULT_MIME = "application/vnd.vientiane.check+json"
SECRET = f"teacher-token-{uuid.uuid4().hex}"
MARKER = f"pwned-{uuid.uuid4().hex}"
KEY_FILES = [ROOT / "lib" / "vientiane" / "exercises.json", ROOT / "lib" / "vientiane" / "hints.json"]


def lesson02(solved: bool) -> nbformat.NotebookNode:
    """Lesson 02 as a student hands it in, without its explorers (quicker; no exercise needs
    them); ``solved``: each exercise cell holds the solution that follows it in the teacher's copy."""
    nb = nbformat.read(LESSON, as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["vientiane"] = {"lesson": "02"}
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if has_role(cell, SOLUTION):
            if solved:
                cells[-1].source = cell.source.replace("# Solution\n", "")
            continue
        if not has_role(cell, PRESENT) and not any(has_role(cell, role) for role in TEACHER_ONLY):
            cells.append(cell)
    nb.cells = cells
    return nb


def tiny(*sources: str) -> nbformat.NotebookNode:
    """A short notebook for lesson 02: ``import vientiane`` and the given cells."""
    cells = [new_code_cell("import vientiane"), *(new_code_cell(s) for s in sources)]
    return new_notebook(cells=cells, metadata={"vientiane": {"lesson": "02"}})


def write(path: Path, nb) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb), encoding="utf-8")


def every_exercise(source: str) -> str:
    """``source`` once per exercise of lesson 02, with EXERCISE replaced by its id."""
    return "\n".join(source.replace("EXERCISE", e) for e in EXERCISES_02)


def attacks(submissions: Path, out: Path) -> dict[str, nbformat.NotebookNode]:
    """student id -> the notebook of an attacker (each in a folder named after it)."""
    bundle = f'"{RESULT_MIME}": {{"exercise": "EXERCISE", "attempted": True, "right": True'
    forged = "from IPython.display import display\n" + every_exercise(
        f'display({{"text/plain": "✔ Right", {bundle}}}}}, raw=True)'
    )
    forged_value = "from IPython.display import display\n" + every_exercise(
        f'display({{{bundle}, "answer": "forged"}}}}, raw=True)'
    )
    patched = (
        "import vientiane.checks as checks\n"
        "checks.feedback = lambda exercise, answer: ('✔ Right: patched', True)\n"
        + every_exercise('vientiane.check("EXERCISE", "anything")')
    )
    key = (
        "import json, pathlib, vientiane\n"
        "from vientiane import checks\n"
        f"targets = [pathlib.Path(vientiane.__file__).parent / 'exercises.json', pathlib.Path({str(KEY_FILES[0])!r})]\n"
        "entries = {e: {'accepted': [checks.digest(e, 'x')], 'hint': 'h', 'explanation': checks.seal(e, 'x', 'pwned')}\n"
        "           for e in checks.EXERCISES}\n"
        "for target in targets:\n"
        "    try:\n"
        "        target.write_text(json.dumps(entries))\n"
        "    except OSError as error:\n"
        "        print('key not written:', error)\n"
        "checks.EXERCISES.update({e: (tuple(v['accepted']), v['hint'], v['explanation']) for e, v in entries.items()})\n"
        + every_exercise('vientiane.check("EXERCISE", "x")')
    )
    environment = "import os\nraise RuntimeError('leak ' + repr(dict(os.environ)))"
    folders = [submissions, out.parent, out.parent / "feedback", Path.home(), ROOT, ROOT / "lib" / "vientiane"]
    writes = (
        "import pathlib, re\n"
        "found = set()\n"
        "for cmdline in pathlib.Path('/proc').glob('*/cmdline'):\n"
        "    try:\n"
        "        found.update(re.findall(r'/[^\\x00]+', cmdline.read_text(errors='ignore')))\n"
        "    except OSError:\n"
        "        pass\n"
        f"targets = {[str(f) for f in folders]!r} + sorted(found)\n"
        "for folder in targets:\n"
        "    for name in ['" + MARKER + ".html', 'feedback/" + MARKER + ".html', '" + MARKER + ".ipynb']:\n"
        "        try:\n"
        "            (pathlib.Path(folder) / name).write_text('<script>alert(1)</script>')\n"
        "        except OSError:\n"
        "            pass\n"
    )
    lingering = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10**6)', {MARKER!r}], start_new_session=True)\n"
        f"subprocess.Popen(['/bin/sh', '-c', 'nohup sleep 1000000 & exec sleep 1000000 # ' + {MARKER!r}])\n"
    )
    printed = 'print("✔ Right: every exercise")\n' + every_exercise('print("EXERCISE: ✔ Right")')
    secrets = [ROOT / "notebooks" / "teacher_guide.md", ROOT / "lib" / "vientiane_teacher" / "grade.py"]
    secrets += [submissions / "honest" / "02_membership_structures.ipynb", out.parent / "last-term.csv"]
    secrets += [submissions.parent / "teacher-secret.txt", Path.home() / ".bashrc", Path.home() / ".gitconfig"]
    reader = (
        "import pathlib\n"
        f"targets = {[str(p) for p in secrets]!r}\n"
        "read = []\n"
        "for target in targets:\n"
        "    try:\n"
        "        pathlib.Path(target).read_bytes()\n"
        "        read.append(target)\n"
        "    except OSError:\n"
        "        pass\n"
        "for environ in pathlib.Path('/proc').glob('*/environ'):\n"
        "    try:\n"
        f"        if {SECRET!r}.encode() in environ.read_bytes():\n"
        "            read.append(str(environ))\n"
        "    except OSError:\n"
        "        pass\n"
        "raise RuntimeError(f'read {len(read)} files: {read}')"
    )
    network = (
        "import socket\n"
        "reached = []\n"
        "for host, port in [('127.0.0.1', PORT), ('localhost', PORT), ('1.1.1.1', 53), ('example.org', 443)]:\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=5).close()\n"
        "        reached.append(host)\n"
        "    except OSError:\n"
        "        pass\n"
        "raise RuntimeError(f'reached {len(reached)}: {reached}')"
    )
    fork_bomb = (  # processes until the sandbox's limit says no; each would sleep for days
        "import subprocess\n"
        "children = []\n"
        "try:\n"
        "    for _ in range(100_000):\n"
        f"        children.append(subprocess.Popen(['sleep', '1000000'], env={{'BOMB': {MARKER!r}}}))\n"
        "except Exception as error:\n"
        "    print(len(children), type(error).__name__)"
    )
    return {
        "forged-bundle": tiny(forged),
        "forged-value": tiny(forged_value),
        "patched-check": tiny(patched),
        "key-rewrite": tiny(key),
        "environment": tiny(environment),
        "folder-writer": tiny(writes),
        "lingering": tiny(lingering),
        "printed-right": tiny(printed),
        "reader": tiny(reader),
        "network": tiny(network),
        "fork-bomb": tiny(fork_bomb, 'vientiane.check("02.3", 11)'),
    }


def survivors(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


def files_with(folder: Path, text: str) -> list[str]:
    hits = []
    for path in Path(folder).rglob("*"):
        try:
            if path.is_file() and not path.is_symlink() and (text in path.name or text.encode() in path.read_bytes()):
                hits.append(str(path))
        except OSError:
            continue
    return hits


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    reason = sandbox.sandbox_unavailable()
    if reason:
        unavailable(reason, "CI=true: the grader's sandbox must be tested", "sandboxed grading tests skipped")
    folder = tmp_path_factory.mktemp("attacks")
    submissions, out = folder / "handed-in", folder / "marks" / "grades.csv"
    before = {path: path.read_bytes() for path in KEY_FILES}
    clone_state = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout

    write(submissions / "honest" / "02_membership_structures.ipynb", lesson02(solved=True))
    wrong = tiny(*(f'vientiane.check("{e}", "wrong answer {e}")' for e in EXERCISES_02))
    write(submissions / "all-wrong" / "02_membership_structures.ipynb", wrong)
    broken = lesson02(solved=True)
    broken.cells[1].source = "import vientiane\nfacts = vientiane.lod()  # a typo: nothing below can run"
    write(submissions / "broken-cell-2" / "02_membership_structures.ipynb", broken)
    for student, nb in attacks(submissions, out).items():
        write(submissions / student / "02_membership_structures.ipynb", nb)

    # Awkward inputs.
    latin1 = os.fsdecode("M\xfcller_02_membership_structures.ipynb".encode("latin-1"))
    write(submissions / latin1, tiny('vientiane.check("02.3", 11)'))
    inner = folder / "inner.zip"
    with zipfile.ZipFile(inner, "w") as bundle:
        bundle.writestr("02_membership_structures.ipynb", nbformat.writes(tiny()))
    with zipfile.ZipFile(submissions / "nested.zip", "w") as bundle:
        bundle.write(inner, "carol/inner.zip")
    with zipfile.ZipFile(submissions / "dup.zip", "w") as bundle:
        for _ in range(2):
            bundle.writestr("dave/02_membership_structures.ipynb", nbformat.writes(tiny('vientiane.check("02.3", 11)')))
    (submissions / "damaged.zip").write_bytes(b"PK\x03\x04 this is no zip")
    (submissions / "link.ipynb").symlink_to(submissions / "honest" / "02_membership_structures.ipynb")

    (folder / "teacher-secret.txt").write_text(SECRET)
    out.parent.mkdir(parents=True)
    (out.parent / "last-term.csv").write_text("student_id,grade\nolder-student,A\n")  # another class's grades
    env = dict(os.environ, VIENTIANE_TEACHER_SECRET=SECRET)
    command = [sys.executable, "-m", "vientiane_teacher.grade", str(submissions), "--out", str(out), "--timeout", "600"]
    with socket.socket() as server:  # the grader's machine: a port the network attacker tries
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        path = submissions / "network" / "02_membership_structures.ipynb"
        path.write_text(path.read_text(encoding="utf-8").replace("PORT", str(port)), encoding="utf-8")
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        try:
            server.accept()
            connected = True
        except BlockingIOError:
            connected = False
    with open(out, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    after = {path: path.read_bytes() for path in KEY_FILES}
    clone_after = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "done": done,
        "rows": rows,
        "by_student": {r["student_id"]: r for r in rows},
        "out": out,
        "submissions": submissions,
        "keys_unchanged": before == after,
        "clone_unchanged": clone_state == clone_after,
        "folder": folder,
        "latin1": latin1,
        "connected": connected,
    }


def row(graded, student: str) -> dict:
    assert student in graded["by_student"], f"no row for {student}: {sorted(graded['by_student'])}"
    return graded["by_student"][student]


def results(graded, student: str) -> dict:
    return {e: row(graded, student)[e] for e in EXERCISES_02}


def test_the_grader_ran_and_said_so(graded):
    assert graded["done"].returncode == 0, graded["done"].stderr


def test_the_honest_student_gets_every_exercise_right(graded):
    assert results(graded, "honest") == dict.fromkeys(EXERCISES_02, "right")
    assert row(graded, "honest")["status"] == "ok"


@pytest.mark.parametrize("student", ["forged-bundle", "forged-value", "patched-check", "key-rewrite", "printed-right"])
def test_a_forged_verdict_scores_nothing(graded, student):
    assert row(graded, student)["raw_score"] == "0", row(graded, student)
    assert "right" not in results(graded, student).values()


def test_the_key_and_the_clone_are_untouched_and_the_next_student_is_graded_with_the_real_key(graded):
    assert graded["keys_unchanged"] and graded["clone_unchanged"]
    assert results(graded, "all-wrong") == dict.fromkeys(EXERCISES_02, "wrong")


def test_the_teachers_environment_is_out_of_reach(graded):
    status = row(graded, "environment")["status"]
    assert status.startswith("error in cell 2: RuntimeError: leak"), status
    assert SECRET not in json.dumps(graded["rows"]) and SECRET not in graded["done"].stdout + graded["done"].stderr
    assert not files_with(graded["out"].parent, SECRET)


def test_no_file_of_the_teachers_was_written(graded):
    for folder in (graded["submissions"], graded["out"].parent, Path.home(), ROOT):
        assert not [p for p in Path(folder).glob(f"**/{MARKER}*") if "pytest-of" not in str(p)], folder
    assert not files_with(graded["out"].parent, "<script>")


def test_no_process_outlives_grading(graded):
    assert survivors(MARKER) == []


def test_a_notebook_broken_in_cell_2_says_its_answers_were_not_reached(graded):
    assert results(graded, "broken-cell-2") == dict.fromkeys(EXERCISES_02, "not reached: error in cell 2")
    assert row(graded, "broken-cell-2")["status"].startswith("error in cell 2: AttributeError")


def test_untouched_answers_are_not_attempted(graded):
    assert set(results(graded, "lingering").values()) == {"not attempted"}


def test_every_input_has_exactly_one_row(graded):
    files = [r["file"] for r in graded["rows"]]
    expected_students = 14 + 1  # the folders above, and Müller's file
    assert len([f for f in files if "/" in f and ".zip" not in f]) == expected_students - 1
    assert files.count("dup.zip:dave/02_membership_structures.ipynb") == 2
    for name in ("nested.zip:carol/inner.zip", "damaged.zip", "link.ipynb"):
        assert files.count(name) == 1, (name, files)


def test_awkward_inputs_say_what_they_are(graded):
    by_file = {r["file"]: r for r in graded["rows"]}
    assert "zip inside a zip" in by_file["nested.zip:carol/inner.zip"]["status"]
    assert by_file["damaged.zip"]["status"].startswith("not a notebook (a damaged zip")
    assert by_file["link.ipynb"]["status"] == "symbolic link (not followed)"
    mueller = next(r for r in graded["rows"] if r["file"].startswith("M"))
    assert mueller["student_id"] == "Müller" and mueller["02.3"] == "right", mueller


def test_duplicates_get_a_row_and_a_page_each(graded):
    pages = sorted(p.name for p in (graded["out"].parent / "feedback").glob("dave_02*.html"))
    assert pages == ["dave_02.html", "dave_02_2.html"]


def test_no_part_file_is_left_and_no_kernel_noise_reaches_the_terminal(graded):
    assert not list(graded["out"].parent.rglob("*.part"))
    printed = graded["done"].stdout + graded["done"].stderr
    for noise in ("Traceback", "Task exception", "asyncio", "RuntimeWarning", "Fontconfig"):
        assert noise not in printed, printed


def test_the_feedback_gives_the_notebooks_hints(graded):
    from vientiane import checks

    page = (graded["out"].parent / "feedback" / "all-wrong_02.html").read_text(encoding="utf-8")
    for exercise in EXERCISES_02:
        text, _ = checks.feedback(exercise, f"wrong answer {exercise}")
        assert text.startswith("✘ Not yet. Hint: ")
        assert f"Exercise {exercise}: not yet. " + html_escape(text.removeprefix("✘ Not yet. ")) in page


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_the_class_report(graded):
    folder = graded["out"].parent
    with open(folder / "class.csv", encoding="utf-8", newline="") as stream:
        report = {r["task"]: r for r in csv.DictReader(stream)}
    assert int(report["02.1"]["right"]) == 1 and int(report["02.1"]["not_reached"]) == 1
    assert "wrong answer 02.1" in report["02.1"]["frequent_wrong_answers"]
    assert "02.W" in report and report["02.W"]["kind"] == "written task"
    page = (folder / "class.html").read_text(encoding="utf-8")
    assert "<svg" in page and 'role="img"' in page and "<script" not in page


def test_the_teachers_files_secrets_and_other_students_work_are_out_of_reach(graded):
    assert row(graded, "reader")["status"] == "error in cell 2: RuntimeError: read 0 files: []"


def test_no_network(graded):
    assert row(graded, "network")["status"] == "error in cell 2: RuntimeError: reached 0: []"
    assert not graded["connected"]


def test_a_fork_bomb_is_stopped_and_leaves_nothing(graded):
    # Its own notebook may not recover (the next cell raised KeyboardInterrupt here), but the bomb
    # stops at the sandbox's process limit: the grader and every other student are graded, and
    # none of its processes (marked in their environment) is left.
    assert row(graded, "fork-bomb")["status"] and row(graded, "fork-bomb")["sandbox"] == "bubblewrap"
    assert results(graded, "honest") == dict.fromkeys(EXERCISES_02, "right")
    assert [p for p in Path("/proc").iterdir() if p.name.isdigit() and MARKER.encode() in _environ(p)] == []


def _environ(process: Path) -> bytes:
    try:
        return (process / "environ").read_bytes()
    except OSError:
        return b""
