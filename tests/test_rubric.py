"""The rubric of the series, for every lesson notebooks/NN_*.ipynb.

Each lesson has: a "# NN · Title" heading; "Estimated time"; objectives ("By the end of this
lesson you can:" and a list); key points ("## Key points" and a list); navigation to the
previous and the next lesson (the first has no previous, the last no next); at least three
self-checked exercises (distinct ``vientiane.check("NN.K"`` ids, each in
``vientiane.checks.EXERCISES``, each with a ``solution`` cell); at least two discussion prompts
(a markdown cell starting "### Discuss" with a numbered list of 2-4 items); at least one
free-text task (a markdown cell tagged ``written``, starting "*Your answer:*"); an explorer (a
code cell tagged ``present``); a figure (``vientiane.figures.save(``).
"""

import re
from pathlib import Path

import nbformat
import pytest

from tests.repo import ROOT
from vientiane import checks
from vientiane_teacher.lessons import PRESENT, SOLUTION, WRITTEN, has_role, lessons

LESSONS = lessons(ROOT)
CHECK = re.compile(r"""vientiane\.check\(\s*["'](\d\d\.\d+)["']""")


def cells(path: Path, kind: str | None = None, role: str | None = None) -> list:
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if (kind is None or c.cell_type == kind) and (role is None or has_role(c, role))]


def markdown(path: Path) -> str:
    return "\n\n".join(c.source for c in cells(path, "markdown"))


def items_after(text: str, heading: str, numbered: bool = False) -> list[str]:
    """The list items that follow ``heading`` (up to the next heading)."""
    found = re.search(rf"(?ms)^{re.escape(heading)}[^\n]*\n(.*?)(?=^#|\Z)", text)
    if not found:
        return []
    bullet = r"\d+\." if numbered else r"(?:[-*]|\d+\.)"
    return re.findall(rf"(?m)^{bullet}\s+\S.*$", found.group(1))


def test_there_are_lessons():
    assert [p.name[:2] for p in LESSONS] == [f"{n:02d}" for n in range(len(LESSONS))], "lessons numbered 00, 01, ..."
    assert len(LESSONS) >= 7, "the series runs from 00 to at least 06"


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request) -> Path:
    return request.param


def test_title(lesson):
    first = cells(lesson, "markdown")[0].source
    assert re.match(rf"# {lesson.name[:2]} · \S", first), f"the first cell starts '# {lesson.name[:2]} · Title'"


def test_estimated_time(lesson):
    assert re.search(r"Estimated time: \d+ minutes", cells(lesson, "markdown")[0].source)


def test_objectives(lesson):
    text = cells(lesson, "markdown")[0].source
    assert len(items_after(text, "**By the end of this lesson you can:**")) >= 2


def test_key_points(lesson):
    assert len(items_after(markdown(lesson), "## Key points")) >= 2


def test_navigation(lesson):
    last = cells(lesson, "markdown")[-1].source
    i = LESSONS.index(lesson)
    if i > 0:
        assert f"({LESSONS[i - 1].name})" in last and "previous" in last, "a link to the previous lesson"
    if i + 1 < len(LESSONS):
        assert f"({LESSONS[i + 1].name})" in last and "next" in last, "a link to the next lesson"


def test_three_self_checked_exercises(lesson):
    number = lesson.name[:2]
    asked = {e for c in cells(lesson, "code") if not has_role(c, SOLUTION) for e in CHECK.findall(c.source)}
    solved = {e for c in cells(lesson, "code", role=SOLUTION) for e in CHECK.findall(c.source)}
    assert all(e.startswith(f"{number}.") for e in asked), f"exercise ids of lesson {number} start '{number}.'"
    assert len(asked) >= 3, f"{len(asked)} self-checked exercises: {sorted(asked)}"
    assert asked <= set(checks.EXERCISES), f"not in exercises.json: {sorted(asked - set(checks.EXERCISES))}"
    assert asked <= solved, f"no solution cell for {sorted(asked - solved)}"
    for exercise in asked:
        assert re.search(rf"\*\*Exercise {re.escape(exercise)}\.\*\*", markdown(lesson)), (
            f"no '**Exercise {exercise}.**'"
        )


def test_two_discussion_prompts(lesson):
    discuss = [c.source for c in cells(lesson, "markdown") if c.source.startswith("### Discuss")]
    assert discuss, 'no markdown cell starting "### Discuss"'
    prompts = [p for text in discuss for p in items_after(text, "### Discuss", numbered=True)]
    assert 2 <= len(prompts), f"{len(prompts)} numbered discussion prompts"
    assert all(len(items_after(text, "### Discuss", numbered=True)) <= 4 for text in discuss), "2-4 prompts a cell"


def test_a_written_task(lesson):
    written = cells(lesson, role=WRITTEN)
    assert written, "no cell tagged written"
    for cell in written:
        assert cell.cell_type == "markdown" and cell.source.startswith("*Your answer:*"), cell.source[:60]


def test_an_explorer(lesson):
    assert cells(lesson, "code", role=PRESENT), "no code cell tagged present"


def test_a_figure(lesson):
    assert any("vientiane.figures.save(" in c.source for c in cells(lesson, "code")), "no vientiane.figures.save("
