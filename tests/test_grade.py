"""The grader behind ``make grade`` (vientiane_teacher.grade), on a folder like an LMS download.

One temporary folder holds good and bad submissions of lesson 02 (made from the real lesson:
solved, half solved, raising, looping), a zip with a student folder and entries that climb
out, a file that is not JSON, empty notebooks, another course's notebook. It is graded once,
through the command line, with a short time limit (the loop costs that much); the tests read
what it wrote.
"""

import csv
import hashlib
import html
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from tests.repo import ROOT
from vientiane import checks
from vientiane_teacher import grade
from vientiane_teacher.handed_in import exercises_of
from vientiane_teacher.lessons import PRESENT, SOLUTION, WRITTEN, has_role

LESSON = ROOT / "notebooks" / "02_membership_structures.ipynb"
pytestmark = pytest.mark.slow  # a grading run of a whole folder (kernels)
TIMEOUT = 900  # seconds per notebook: generous (lesson 02 takes about 15 in its sandbox); the loop has its own test
# The looping notebook's limit, which the test waits out whole: what comes before the loop (a
# kernel start in the sandbox and one check) took 7 s for the whole grading run, 10 s with both
# cores busy (yes > /dev/null twice); 60 s is six times that.
LOOP_TIMEOUT = 60
EXERCISES_02 = ["02.1", "02.2", "02.3", "02.4"]
WRONG_02_1 = '["RUS"]'
RIGHT_02_3 = "11"


def lesson02(solved: bool = False):
    """Lesson 02 as a student gets it (no solution cells, no outputs); ``solved``: each
    exercise cell holds its solution, as a student who solved everything hands it in."""
    nb = nbformat.read(LESSON, as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["vientiane"] = {"lesson": "02"}  # what every edition carries
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if has_role(cell, SOLUTION):
            if solved:
                cells[-1].source = cell.source.replace("# Solution\n", "")
            continue
        cells.append(cell)
    nb.cells = cells
    return nb


def trimmed(nb):
    """The lesson without its explorers (cells tagged ``present``, which define nothing later
    cells use): quicker to run, and the exercises stay where the lesson puts them."""
    nb.cells = [c for c in nb.cells if not has_role(c, PRESENT)]
    return nb


def exercise_cell(nb, exercise: str) -> int:
    """The index of the exercise's cell (the first that checks it)."""
    return next(i for i, c in enumerate(nb.cells) if f'check("{exercise}"' in c.source)


def answer(nb, exercise: str, value: str) -> None:
    """Put ``value`` as the answer in the exercise's cell."""
    cell = nb.cells[exercise_cell(nb, exercise)]
    cell.source = f'answer = {value}\nvientiane.check("{exercise}", answer)'


def notebook_bytes(nb) -> bytes:
    return nbformat.writes(nb).encode()


def make_submissions(folder: Path, marker: Path) -> None:
    """The LMS-like folder: one folder per student for some, flat files for others, a zip."""
    # alice: the whole lesson, solved, plus a free-text answer; a stale checkpoint copy is no submission
    alice = lesson02(solved=True)
    why = new_markdown_cell("The EAS <b>grew</b> in 2011.", metadata={"tags": [WRITTEN]})
    why.id = "02-why"
    alice.cells.insert(-1, why)
    (folder / "alice" / "Lesson 2").mkdir(parents=True)
    (folder / "alice" / "Lesson 2" / "02_membership_structures.ipynb").write_bytes(notebook_bytes(alice))
    (folder / "alice" / ".ipynb_checkpoints").mkdir()
    (folder / "alice" / ".ipynb_checkpoints" / "02_membership_structures-checkpoint.ipynb").write_text("{}")

    # bob (flat, a resubmission "-1", no lesson metadata): 02.1 right then wrong (the last counts),
    # 02.3 wrong then right, 02.2 untouched, 02.4 faked by a saved output in an empty cell
    bob = trimmed(lesson02())
    del bob.metadata["vientiane"]
    answer(bob, "02.1", WRONG_02_1)
    answer(bob, "02.3", RIGHT_02_3)
    bob.cells.insert(exercise_cell(bob, "02.1"), new_code_cell('vientiane.check("02.1", ["CHN", "RUS"])'))
    bob.cells.insert(exercise_cell(bob, "02.3"), new_code_cell('vientiane.check("02.3", 12)'))
    forged = {"text/plain": "✔ Right", checks.RESULT_MIME: {"exercise": "02.4", "attempted": True, "right": True}}
    bob.cells.append(new_code_cell("", outputs=[new_output("display_data", data=forged)]))
    bob.cells.append(new_raw_cell('=HYPERLINK("http://example.org")', metadata={"tags": [WRITTEN]}))
    (folder / "bob_02_membership_structures-1.ipynb").write_bytes(notebook_bytes(bob))

    # carol: a cell that raises, in the middle; the exercise after it still counts
    carol = trimmed(lesson02())
    carol.cells.insert(2, new_code_cell("undefined_name + 1"))
    answer(carol, "02.3", RIGHT_02_3)
    (folder / "carol").mkdir()
    (folder / "carol" / "02.ipynb").write_bytes(notebook_bytes(carol))

    # eve: not JSON; grace: 0 bytes; zoe (a name to escape): a notebook without cells
    (folder / "eve_02_membership_structures.ipynb").write_bytes(b'{"cells": [ this is not json')
    (folder / "grace").mkdir()
    (folder / "grace" / "02_membership_structures.ipynb").write_bytes(b"")
    empty = new_notebook(metadata={"vientiane": {"lesson": "02"}})
    (folder / "Zoë <Q> & co_02_membership_structures.ipynb").write_bytes(notebook_bytes(empty))

    # heidi: another course's notebook; it must not run (it would leave the marker)
    other = new_notebook(cells=[new_code_cell(f"open({str(marker)!r}, 'w').write('ran')\nprint('week 3')")])
    (folder / "heidi_week3.ipynb").write_bytes(notebook_bytes(other))

    # batch.zip: ivan's folder, entries that leave the folder, macOS clutter, a text file;
    # judy.zip: one flat lesson-00 notebook (named after the zip), empty
    ivan = trimmed(lesson02())
    answer(ivan, "02.2", '["ADMMPLUS", "APEC", "ARF", "CICA", "EAEU", "EAS", "SCO"]')
    with zipfile.ZipFile(folder / "batch.zip", "w") as bundle:
        bundle.writestr("ivan/02_membership_structures.ipynb", notebook_bytes(ivan))
        bundle.writestr("ivan/notes.txt", "see my notebook")
        bundle.writestr("__MACOSX/ivan/._02_membership_structures.ipynb", b"\0\5\26\7")
        bundle.writestr("../escape.ipynb", notebook_bytes(ivan))
        bundle.writestr("/tmp/absolute-escape.ipynb", notebook_bytes(ivan))
    with zipfile.ZipFile(folder / "judy.zip", "w") as bundle:
        bundle.writestr("00_start_here.ipynb", notebook_bytes(new_notebook(metadata={"vientiane": {"lesson": "00"}})))


def looping_notebook():
    """adam: an endless loop after one right answer, and an exercise after the loop."""
    return new_notebook(
        cells=[
            new_markdown_cell("# 02 · Membership structures"),
            new_code_cell(f"import vientiane\nvientiane.check('02.3', {RIGHT_02_3})"),
            new_code_cell("while True:\n    pass"),
            new_code_cell("vientiane.check('02.4', 16)"),
        ],
        metadata={"vientiane": {"lesson": "02"}},
    )


def fingerprint(folder: Path) -> dict[str, str]:
    """{path: sha256} of every file, and every folder's name (a new empty folder would show)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in folder.rglob("*")
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The folder, graded once through the command line; what it wrote and what it left."""
    base = tmp_path_factory.mktemp("grading")
    folder, results, marker = base / "handed-in", base / "marks", base / "heidi-ran"
    folder.mkdir()
    make_submissions(folder, marker)
    before = fingerprint(folder)
    done = subprocess.run(
        [sys.executable, "-m", "vientiane_teacher.grade", str(folder), "--out", str(results / "grades.csv")]
        + ["--timeout", str(TIMEOUT), "--jobs", "2"],
        cwd=base,
        capture_output=True,
        text=True,
    )
    assert (results / "grades.csv").is_file(), done.stdout + done.stderr
    with open(results / "grades.csv", encoding="utf-8", newline="") as stream:
        grades = list(csv.DictReader(stream))
    with open(results / "grades.csv", encoding="utf-8", newline="") as stream:
        columns = next(csv.reader(stream))
    with open(results / "written.csv", encoding="utf-8", newline="") as stream:
        written = list(csv.DictReader(stream))
    return {
        "done": done,
        "base": base,
        "folder": folder,
        "before": before,
        "marker": marker,
        "columns": columns,
        "grades": {row["file"]: row for row in grades},
        "written": written,
        "feedback": {p.name: p.read_text(encoding="utf-8") for p in (results / "feedback").iterdir()},
    }


def test_the_run_succeeds_and_shows_a_line_per_submission(graded):
    done = graded["done"]
    assert done.returncode == 0, done.stderr
    for file in graded["grades"]:
        assert f"\n{file} " in "\n" + done.stdout  # its progress line
    assert "with a problem" in done.stdout


def test_columns_follow_nbgrader_and_list_every_exercise_of_the_lessons_handed_in(graded):
    assert graded["columns"] == [
        "student_id",
        "assignment",
        "file",
        *exercises_of("00"),
        *EXERCISES_02,
        "raw_score",
        "score",
        "max_score",
        "status",
        "sandbox",
    ]


def row(graded, file: str) -> dict:
    assert file in graded["grades"], sorted(graded["grades"])
    return graded["grades"][file]


def results(r: dict) -> list[str]:
    return [r[e] for e in EXERCISES_02]


def test_a_student_who_solved_everything(graded):
    r = row(graded, "alice/Lesson 2/02_membership_structures.ipynb")
    assert (r["student_id"], r["assignment"], r["status"], r["sandbox"]) == ("alice", "02", "ok", "bubblewrap")
    assert results(r) == ["right"] * 4
    assert (r["raw_score"], r["score"], r["max_score"]) == ("4", "4", "4")
    assert r["00.1"] == ""  # another lesson's exercise


def test_the_last_check_counts_and_a_saved_output_does_not(graded):
    r = row(graded, "bob_02_membership_structures-1.ipynb")
    assert (r["student_id"], r["assignment"], r["status"]) == ("bob", "02", "ok")  # lesson from the check calls
    assert results(r) == ["wrong", "not attempted", "right", "not attempted"]
    assert (r["raw_score"], r["max_score"]) == ("1", "4")


def test_an_error_is_reported_with_its_cell_and_the_rest_still_runs(graded):
    r = row(graded, "carol/02.ipynb")
    assert r["status"] == "error in cell 3: NameError: name 'undefined_name' is not defined"
    assert results(r) == ["not attempted", "not attempted", "right", "not attempted"]


def test_an_endless_loop_times_out_keeps_what_ran_before_and_the_rest_is_not_reached(tmp_path):
    """Its own run: the loop costs the whole time limit."""
    (tmp_path / "in" / "adam").mkdir(parents=True)
    (tmp_path / "in" / "adam" / "02_membership_structures.ipynb").write_bytes(notebook_bytes(looping_notebook()))
    out = tmp_path / "marks" / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "vientiane_teacher.grade", str(tmp_path / "in"), "--out", str(out)]
        + ["--timeout", str(LOOP_TIMEOUT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8", newline="") as stream:
        (r,) = list(csv.DictReader(stream))
    assert r["status"] == "timeout in cell 3"
    assert results(r) == ["not attempted", "not attempted", "right", "not reached: timeout in cell 3"]
    assert r["raw_score"] == "1"
    page = (out.parent / "feedback" / "adam_02.html").read_text(encoding="utf-8")
    assert "did not finish in time (timeout in cell 3)" in page
    assert "Exercise 02.4: not reached (timeout in cell 3)" in page


@pytest.mark.parametrize(
    ("file", "student", "lesson", "status"),
    [
        ("eve_02_membership_structures.ipynb", "eve", "", "not a notebook"),
        ("grace/02_membership_structures.ipynb", "grace", "", "empty notebook"),
        ("Zoë <Q> & co_02_membership_structures.ipynb", "Zoë <Q> & co", "02", "empty notebook"),
        ("heidi_week3.ipynb", "heidi_week3", "", "not a lesson of this collection"),
        ("batch.zip:../escape.ipynb", "batch", "", "unsafe path in zip: ../escape.ipynb"),
        ("batch.zip:/tmp/absolute-escape.ipynb", "batch", "", "unsafe path in zip: /tmp/absolute-escape.ipynb"),
        ("judy.zip:00_start_here.ipynb", "judy", "00", "empty notebook"),
    ],
)
def test_a_bad_submission_is_reported_in_its_row(graded, file, student, lesson, status):
    r = row(graded, file)
    assert (r["student_id"], r["assignment"], r["status"]) == (student, lesson, status)
    scored = ("0", "0", str(len(exercises_of(lesson)))) if lesson else ("", "", "")
    assert (r["raw_score"], r["score"], r["max_score"]) == scored


def test_a_zip_entry_in_a_student_folder_is_graded_in_place(graded):
    r = row(graded, "batch.zip:ivan/02_membership_structures.ipynb")
    assert (r["student_id"], r["status"]) == ("ivan", "ok")
    assert results(r) == ["not attempted", "right", "not attempted", "not attempted"]


def test_every_file_has_a_row_and_clutter_none(graded):
    assert len(graded["grades"]) == 11
    assert not [f for f in graded["grades"] if "checkpoint" in f or "MACOSX" in f or f.endswith(".txt")]


def test_the_free_text_answers_are_collected_and_safe_in_a_spreadsheet(graded):
    assert graded["written"] == [
        {"student_id": "alice", "assignment": "02", "task": "02-why", "text": "The EAS <b>grew</b> in 2011."},
        {
            "student_id": "bob",
            "assignment": "02",
            "task": next(r["task"] for r in graded["written"] if r["student_id"] == "bob"),
            "text": '\'=HYPERLINK("http://example.org")',  # a formula would run when the teacher opens it
        },
    ]


def test_feedback_pages_say_right_wrong_and_not_attempted_with_hints(graded):
    pages = graded["feedback"]
    assert sorted(pages) == [
        "Zoë_Q_co_02.html",
        "alice_02.html",
        "bob_02.html",
        "carol_02.html",
        "ivan_02.html",
        "judy_00.html",
    ]
    bob = pages["bob_02.html"]
    said = checks.feedback("02.1", json.loads(WRONG_02_1))[0].removeprefix("✘ Not yet. ")  # the notebook's own hint
    assert said.startswith("Hint: ") and "Exercise 02.1: not yet. " + html.escape(said) in bob
    assert "Exercise 02.2: not attempted" in bob and "Exercise 02.3: right" in bob
    assert "Score: 1 of 4" in bob
    assert "Score: 4 of 4" in pages["alice_02.html"]
    assert "error in cell 3: NameError: name &#x27;undefined_name&#x27; is not defined" in pages["carol_02.html"]
    zoe = pages["Zoë_Q_co_02.html"]
    assert "Zoë &lt;Q&gt; &amp; co" in zoe and "<Q>" not in zoe


def test_feedback_never_gives_an_answer(graded):
    teacher = json.loads(LESSON.read_text(encoding="utf-8"))
    solutions = ["".join(c["source"]) for c in teacher["cells"] if has_role(c, SOLUTION)]
    explanations = [
        "".join(o["data"]["text/plain"])[len("✔ Right: ") :]
        for c in teacher["cells"]
        for o in c.get("outputs", [])
        if "".join(o.get("data", {}).get("text/plain", "")).startswith("✔ Right")
    ]
    assert len(solutions) == len(explanations) == 4
    sealed = [checks.EXERCISES[e][2] for e in EXERCISES_02]
    for name, page in graded["feedback"].items():
        for secret in solutions + explanations + sealed:
            assert secret not in page, (name, secret)
        for line in (line for s in solutions for line in s.splitlines()[1:]):  # the solution's code
            assert line not in page, (name, line)


def test_the_submissions_are_unchanged_and_nothing_escaped_the_zip(graded):
    assert fingerprint(graded["folder"]) == graded["before"]
    assert not graded["marker"].exists()  # another course's notebook did not run
    assert not list(graded["base"].parent.rglob("escape.ipynb"))
    assert not Path("/tmp/absolute-escape.ipynb").exists()


def test_a_missing_folder_stops_the_grader_with_its_name(tmp_path):
    missing = tmp_path / "no-such-folder"
    done = subprocess.run(
        [sys.executable, "-m", "vientiane_teacher.grade", str(missing)], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert str(missing) in done.stderr and "does not exist" in done.stderr
    assert not (tmp_path / "grades.csv").exists()


def test_grades_are_never_written_into_the_submissions(tmp_path):
    (tmp_path / "alice.ipynb").write_bytes(b"")
    with pytest.raises(grade.GraderError, match="inside the submissions folder"):
        grade.grade(tmp_path, tmp_path / "grades.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["alice.ipynb"]


def test_without_bubblewrap_grading_refuses_and_names_the_flag(tmp_path, monkeypatch):
    from vientiane_teacher import sandbox

    monkeypatch.setattr(sandbox, "sandbox_unavailable", lambda: "bubblewrap (bwrap) is not installed")
    (tmp_path / "in").mkdir()
    with pytest.raises(grade.GraderError, match="--unsandboxed") as caught:
        grade.grade(tmp_path / "in", tmp_path / "marks" / "grades.csv")
    assert "bwrap" in str(caught.value)
    assert not (tmp_path / "marks" / "grades.csv").exists()


def test_unsandboxed_grading_is_marked_in_every_row_and_on_the_class_page(tmp_path):
    nb = new_notebook(
        cells=[new_code_cell(f"import vientiane\nvientiane.check('02.3', {RIGHT_02_3})")],
        metadata={"vientiane": {"lesson": "02"}},
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kim_02_membership_structures.ipynb").write_bytes(notebook_bytes(nb))
    out = tmp_path / "marks" / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "vientiane_teacher.grade", str(tmp_path / "in"), "--out", str(out), "--unsandboxed"]
        + ["--timeout", str(TIMEOUT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "not in a sandbox" in done.stderr
    with open(out, encoding="utf-8", newline="") as stream:
        (r,) = list(csv.DictReader(stream))
    assert (r["student_id"], r["02.3"], r["status"], r["sandbox"]) == ("kim", "right", "ok", "none (--unsandboxed)")
    assert "UNSANDBOXED" in (out.parent / "class.html").read_text(encoding="utf-8")
