"""The grader's report: ``grades.csv``, ``written.csv``, a feedback page per submission and
the class report (``class_report``), each written atomically. The README ("Collecting and grading") is the manual.

>>> _csv_cell("=HYPERLINK(1)")
"'=HYPERLINK(1)"
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from vientiane import checks

from .class_report import write_class_report
from .files import atomic_write
from .handed_in import exercises_of, lesson_titles, written_tasks
from .steps import RIGHT, WRONG
from .submissions import OK, Submission
from .verdicts import NOT_REACHED


def write_results(submissions: list[Submission], out: Path, unsandboxed: bool = False) -> None:
    """``out`` (grades.csv), ``written.csv``, ``feedback/*.html``, ``class.csv`` and
    ``class.html`` next to it. ``unsandboxed``: the runs had no sandbox (the class page says so;
    each row's ``sandbox`` column says how it ran).

    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> out = Path(scratch.name) / "grades.csv"
    >>> bob = Submission("bob.ipynb", "bob", status="ok", lesson="02", results={"02.1": "right", "02.2": "wrong"})
    >>> write_results([bob], out)
    >>> out.read_text().splitlines()[1]
    'bob,02,bob.ipynb,right,wrong,,,1,1,2,ok,'
    >>> sorted(p.name for p in (out.parent / "feedback").iterdir()), (out.parent / "class.html").is_file()
    (['bob_02.html'], True)
    >>> scratch.cleanup()
    """
    out = Path(out)
    (out.parent / "feedback").mkdir(parents=True, exist_ok=True)
    lessons_in = sorted({s.lesson for s in submissions if s.lesson})
    exercises = [e for lesson in lessons_in for e in exercises_of(lesson)]
    head = ["student_id", "assignment", "file", *exercises, "raw_score", "score", "max_score", "status", "sandbox"]
    rows = []
    for s in submissions:
        scores = [s.score, s.score, len(s.results)] if s.lesson else ["", "", ""]
        ran = s.sandbox if s.verdicts else ""  # only a notebook that ran had one
        rows.append([s.student, s.lesson, s.file, *(s.results.get(e, "") for e in exercises), *scores, s.status, ran])
    _write_csv(out, head, rows)
    written = [[s.student, s.lesson, task, text] for s in submissions for task, text in s.written]
    _write_csv(out.parent / "written.csv", ["student_id", "assignment", "task", "text"], written)

    titles, taken = lesson_titles(), set()
    for s in submissions:
        if not s.lesson:  # not a notebook, another course's: the status in grades.csv says it
            continue
        base = f"{_safe_name(s.student)}_{s.lesson}"
        name, n = f"{base}.html", 1
        while name in taken:  # two files of one student for one lesson: both get a page
            n += 1
            name = f"{base}_{n}.html"
        taken.add(name)
        page = feedback_page(s, titles.get(s.lesson, f"Lesson {s.lesson}"))
        atomic_write(out.parent / "feedback" / name, page)
    tasks = {lesson: list(written_tasks(lesson).values()) for lesson in lessons_in}
    write_class_report(submissions, tasks, out.parent, csv_cell=_csv_cell, unsandboxed=unsandboxed)


def _write_csv(path: Path, head: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    writer.writerows([[_csv_cell(value) for value in row] for row in rows])
    atomic_write(path, buffer.getvalue())


def _csv_cell(value):
    """Text a spreadsheet would run as a formula (=, +, @, -x) gets a leading quote.

    Student ids and written answers come from students; a teacher opens the file in a
    spreadsheet. A "- " list item stays as it is.

    >>> [_csv_cell(v) for v in ["=HYPERLINK(1)", "- a point", "-1+2", "alice", 3]]
    ["'=HYPERLINK(1)", '- a point', "'-1+2", 'alice', 3]
    """
    if isinstance(value, str) and value and (value[0] in "=+@\t\r" or (value[0] == "-" and value[1:2] != " ")):
        return "'" + value
    return value


def _safe_name(student: str) -> str:
    """A file name for a student id: letters, digits and ._@- only."""
    return re.sub(r"[^\w.@-]+", "_", student).strip("._") or "student"


STYLE = (
    "body{font:16px/1.5 sans-serif;max-width:46em;margin:2em auto;padding:0 1em}"
    "li{margin:.6em 0}.right{color:#1a7f37}.wrong{color:#b35900}.none{color:#555}"
    ".problem{background:#fff4e5;padding:.6em 1em;border-left:4px solid #b35900}"
)


def feedback_page(submission: Submission, title: str) -> str:
    """The student's page: score, a note when the run had a problem, and per exercise right,
    the hint the notebook's check gives for that answer (wrong: its targeted hint where there is
    one), "not attempted" or "not reached" (an earlier cell stopped it). Only hints and
    notes: never an answer, never the explanation shown after a right one.

    >>> s = Submission("a.ipynb", "alice", status="ok", lesson="02", results={"02.1": "wrong"})
    >>> from vientiane import checks
    >>> f"Hint: {checks.EXERCISES['02.1'][1][:20]}" in feedback_page(s, "02 · Membership structures")
    True
    """
    e = html.escape
    items = []
    for exercise, result in submission.results.items():
        if result == RIGHT:
            items.append(f'<li class="right">✔ Exercise {e(exercise)}: right.</li>')
        elif result == WRONG:
            items.append(
                f'<li class="wrong">✘ Exercise {e(exercise)}: not yet. {e(_advice(submission, exercise))}</li>'
            )
        elif result.startswith(NOT_REACHED):
            where = result.removeprefix(NOT_REACHED).lstrip(": ")
            items.append(
                f'<li class="none">… Exercise {e(exercise)}: not reached ({e(where)}): the notebook stopped '
                "before its check could run; fix that cell and run the notebook from the top.</li>"
            )
        else:
            items.append(
                f'<li class="none">… Exercise {e(exercise)}: not attempted (replace the ... with your answer '
                "and run the cell).</li>"
            )
    note = _problem_note(submission.status)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}: feedback for {e(submission.student)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{e(title)}</h1>\n"
        f"<p>Feedback for <strong>{e(submission.student)}</strong> on <code>{e(submission.file)}</code>.</p>\n"
        f"<p><strong>Score: {submission.score} of {len(submission.results)}</strong> exercises right.</p>\n"
        + (f'<p class="problem">{e(note)}</p>\n' if note else "")
        + "<ul>\n"
        + "\n".join(items)
        + "\n</ul>\n</main>\n</body>\n</html>\n"
    )


def _advice(submission: Submission, exercise: str) -> str:
    """What the check said about a wrong answer, without its mark: "Hint: …" (targeted where the
    answer is a predictable wrong one) or "Right idea: …"; the exercise's own hint otherwise."""
    verdict = submission.verdicts.get(exercise)
    text = getattr(verdict, "text", "") or ""
    for mark in ("✘ Not yet. ", "✘ "):
        if text.startswith(mark) and not text.startswith("✘ Not yet: "):
            return text.removeprefix(mark)
    return f"Hint: {checks.EXERCISES[exercise][1]}"


def _problem_note(status: str) -> str:
    notes = []
    for part in status.split("; ") if status != OK else []:
        if part.startswith("error in cell"):
            notes.append(f"When your notebook was run, there was an {part}. The cells after it still ran.")
        elif part.startswith("timeout in"):
            notes.append(
                f"Your notebook did not finish in time ({part}): an endless loop? "
                "The exercises after that cell were not run."
            )
        elif part.startswith("kernel died"):
            notes.append(f"Python stopped ({part}); the exercises after that cell were not run.")
        elif part == "empty notebook":
            notes.append("The notebook you handed in is empty.")
        else:
            notes.append(f"Your notebook could not be graded: {part}.")
    return " ".join(notes)
