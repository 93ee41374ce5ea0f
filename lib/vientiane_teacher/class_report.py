"""The teacher's view of the class after grading: ``class.csv`` and ``class.html`` (one page,
one chart) next to ``grades.csv``. Per exercise: how many submissions got it right, wrong, did
not attempt it or did not reach it (an earlier cell failed), the most frequent wrong answers
and which targeted hints fired; per written task, who left it blank. For the teacher only: it
names students and their wrong answers. The README ("Collecting and grading") is the manual.

>>> from vientiane_teacher.submissions import Submission
>>> from vientiane_teacher.verdicts import Verdict
>>> s = Submission("a.ipynb", "ada", status="ok", lesson="02", results={"02.1": "wrong"})
>>> s.verdicts = {"02.1": Verdict("wrong", answer="lao")}
>>> rows = class_rows([s], {"02": ["02.W"]})
>>> rows[0]["task"], rows[0]["wrong"], rows[0]["frequent_wrong_answers"], rows[1]["blank_by"]
('02.1', 1, 'lao (1)', 'ada')
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from pathlib import Path

from .files import atomic_write
from .steps import NOT_ATTEMPTED, RIGHT, WRONG

KINDS = (RIGHT, WRONG, NOT_ATTEMPTED, "not reached")
COLOURS = {RIGHT: "#009E73", WRONG: "#D55E00", NOT_ATTEMPTED: "#BBBBBB", "not reached": "#56B4E9"}  # Okabe-Ito
COLUMNS = [
    "assignment", "task", "kind", "submissions", "right", "wrong", "not_attempted", "not_reached",
    "share_right", "share_wrong", "share_not_attempted", "share_not_reached",
    "frequent_wrong_answers", "hints_fired", "blank", "blank_by",
]  # fmt: skip


def _kind(result: str) -> str:
    return "not reached" if result.startswith("not reached") else result if result in KINDS else NOT_ATTEMPTED


def class_rows(submissions, written_tasks: dict[str, list[str]]) -> list[dict]:
    """One row per exercise and per written task of the lessons handed in (graded runs only).

    >>> from vientiane_teacher.submissions import Submission
    >>> late = Submission("b.ipynb", "ben", lesson="02", results={"02.1": "not reached: error in cell 2"})
    >>> class_rows([late], {})[0]["not_reached"], class_rows([late], {})[0]["share_not_reached"]
    (1, '1.00')
    """
    graded = [s for s in submissions if s.lesson and s.results]
    rows = []
    for lesson in sorted({s.lesson for s in graded}):
        mine = [s for s in graded if s.lesson == lesson]
        exercises = list(dict.fromkeys(e for s in mine for e in s.results))
        for exercise in exercises:
            counts = Counter(_kind(s.results.get(exercise, NOT_ATTEMPTED)) for s in mine)
            verdicts = [getattr(s, "verdicts", {}).get(exercise) for s in mine]
            wrong = Counter(v.answer for v in verdicts if v is not None and v.result == WRONG and v.answer)
            hints = Counter(v.hint for v in verdicts if v is not None and v.hint)
            row = {"assignment": lesson, "task": exercise, "kind": "exercise", "submissions": len(mine)}
            for kind in KINDS:
                key = kind.replace(" ", "_")
                row[key] = counts[kind]
                row[f"share_{key}"] = f"{counts[kind] / len(mine):.2f}"
            row["frequent_wrong_answers"] = "; ".join(f"{a} ({n})" for a, n in wrong.most_common(3))
            row["hints_fired"] = "; ".join(f"{h} ({n})" for h, n in hints.most_common())
            rows.append(row)
        for task in written_tasks.get(lesson, []):
            answered = [s for s in mine if task in {t for t, _ in s.written}]
            blank = [s.student for s in mine if s not in answered]
            rows.append(
                {
                    "assignment": lesson,
                    "task": task,
                    "kind": "written task",
                    "submissions": len(mine),
                    "blank": len(blank),
                    "blank_by": ", ".join(sorted(blank, key=str.casefold)),
                }  # fmt: skip
            )
    return rows


def write_class_report(
    submissions, written_tasks: dict[str, list[str]], folder: Path, csv_cell=lambda v: v, unsandboxed: bool = False
) -> None:
    """``class.csv`` and ``class.html`` in ``folder``; ``csv_cell`` guards spreadsheet formulas;
    ``unsandboxed``: the page says in its first line that the runs had no sandbox."""
    rows = class_rows(submissions, written_tasks)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[csv_cell(row.get(column, "")) for column in COLUMNS] for row in rows])
    atomic_write(Path(folder) / "class.csv", buffer.getvalue())
    atomic_write(Path(folder) / "class.html", class_page(rows, unsandboxed))


def chart(rows: list[dict]) -> str:
    """A stacked bar per exercise (inline SVG, labelled in text too: no colour alone carries it)."""
    exercises = [r for r in rows if r["kind"] == "exercise"]
    bar, height, left = 420, 26, 70
    total_height = 40 + height * len(exercises)
    parts = [
        f'<svg role="img" aria-labelledby="chart-title chart-desc" width="{left + bar + 20}" height="{total_height}" '
        f'viewBox="0 0 {left + bar + 20} {total_height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">',
        '<title id="chart-title">Share of submissions per exercise</title>',
        '<desc id="chart-desc">'
        + html.escape(
            "; ".join(f"{r['task']}: " + ", ".join(f"{r[k.replace(' ', '_')]} {k}" for k in KINDS) for r in exercises)
        )
        + "</desc>",
    ]
    for i, row in enumerate(exercises):
        y, x = 30 + i * height, left
        parts.append(f'<text x="0" y="{y + 14}">{html.escape(row["task"])}</text>')
        for kind in KINDS:
            count = row[kind.replace(" ", "_")]
            width = bar * count / row["submissions"] if row["submissions"] else 0
            if width:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{height - 6}" fill="{COLOURS[kind]}" '
                    f'stroke="#fff"><title>{html.escape(row["task"])}: {count} {kind}</title></rect>'
                )
                if width > 18:
                    parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" fill="#000">{count}</text>')
            x += width
    legend = "".join(
        f'<rect x="{left + i * 105}" y="4" width="12" height="12" fill="{COLOURS[k]}"/>'
        f'<text x="{left + i * 105 + 16}" y="14">{k}</text>'
        for i, k in enumerate(KINDS)
    )
    return "\n".join([*parts, legend, "</svg>"])


def class_page(rows: list[dict], unsandboxed: bool = False) -> str:
    """The class report as one HTML page: the chart, then the same numbers as tables.

    >>> "UNSANDBOXED" in class_page([], unsandboxed=True), "UNSANDBOXED" in class_page([])
    (True, False)
    """
    e = html.escape
    warning = (
        '<p class="warning"><strong>UNSANDBOXED:</strong> these notebooks ran without a sandbox '
        "(--unsandboxed), with the rights of whoever graded them.</p>\n"
        if unsandboxed
        else ""
    )
    head = "<tr><th>lesson</th><th>exercise</th><th>right</th><th>wrong</th><th>not attempted</th><th>not reached</th><th>most frequent wrong answers</th><th>targeted hints shown</th></tr>"
    body = "".join(
        f"<tr><td>{e(r['assignment'])}</td><td>{e(r['task'])}</td>"
        + "".join(f"<td>{r[k.replace(' ', '_')]} of {r['submissions']}</td>" for k in KINDS)
        + f"<td>{e(r['frequent_wrong_answers'])}</td><td>{e(r['hints_fired'])}</td></tr>"
        for r in rows
        if r["kind"] == "exercise"
    )
    written = "".join(
        f"<tr><td>{e(r['assignment'])}</td><td>{e(r['task'])}</td><td>{r['blank']} of {r['submissions']}</td><td>{e(r['blank_by'])}</td></tr>"
        for r in rows
        if r["kind"] == "written task"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Class report</title>\n'
        "<style>body{font:15px/1.5 sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}</style>\n"
        "</head>\n<body>\n<main>\n<h1>Class report</h1>\n" + warning + ""
        "<p>Not reached: the notebook stopped (an error, a timeout) before the exercise's check ran.</p>\n"
        f"<figure>\n{chart(rows)}\n<figcaption>Submissions per exercise: right, wrong, not attempted, not reached "
        "(the numbers are in the table below).</figcaption>\n</figure>\n"
        f"<h2>Exercises</h2>\n<table>\n{head}\n{body}\n</table>\n"
        "<h2>Written tasks left blank</h2>\n<table>\n<tr><th>lesson</th><th>task</th><th>blank</th><th>by</th></tr>\n"
        f"{written}\n</table>\n</main>\n</body>\n</html>\n"
    )
