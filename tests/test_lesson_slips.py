"""Slips a reader found in the lessons (issue 19), each held by a test: no section twice, no
table cell cut short when its whole text fits on a page, the glossary linked from every lesson,
lesson 00's list of lessons made from the lessons, exercises in order, written tasks outside the
answer cell, no slider in the prose where the controls are number boxes, a "library missing"
message that works on the student branch (no Makefile there), explorers that open where the
lesson and the guide say."""

import csv
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

import vientiane
from vientiane_teacher.lessons import lessons

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lessons(ROOT)
PAGE = 2000  # characters: a text this long still fits on a printed page, so it is never cut
CUT = ("...", "…")  # pandas' marker ("..."), and ours


def read(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request) -> Path:
    return request.param


def headings(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found += re.findall(r"(?m)^(#{1,6} .+?)\s*$", re.sub(r"(?s)```.*?```", "", cell.source))
    return found


def test_no_section_heading_twice(lesson):
    seen = headings(read(lesson))
    twice = sorted({h for h in seen if seen.count(h) > 1})
    assert not twice, f"{lesson.name}: headings repeated: {twice}"


# ------------------------------------------------------------------------ cut table cells


class Cells(HTMLParser):
    """The text of every <td> and <th> of an HTML output."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._open = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open is not None:
            self.cells.append("".join(self._open).strip())
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def data_texts() -> list[str]:
    """Every text the data package and the article hold, whole (what a table may show)."""
    texts = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [v for row in csv.reader(f) for v in row if len(v) > 20]
    texts += vientiane.load().paragraphs()["text"].tolist()
    return texts


TEXTS = data_texts()


def cut_cells(text_cells: list[str]) -> list[str]:
    """The cells that end in a cut marker and begin a longer text of the data that fits a page."""
    cut = []
    for cell in text_cells:
        for marker in CUT:
            if cell.endswith(marker) and len(cell) > 10:
                start = cell[: -len(marker)].rstrip()
                if any(len(t) <= PAGE and len(t) > len(start) + 1 and t.startswith(start) for t in TEXTS):
                    cut.append(cell)
    return cut


def output_cells(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                parser = Cells()
                parser.feed(data["text/html"])
                found += parser.cells
            elif "text/plain" in data:  # a Series or a frame printed as text: one cell per column run
                found += [
                    part.strip() for line in data["text/plain"].splitlines() for part in re.split(r"\s{2,}", line)
                ]
            if output.get("output_type") == "stream":
                found += [
                    part.strip() for line in output.get("text", "").splitlines() for part in re.split(r"\s{2,}", line)
                ]
    return [html.unescape(c) for c in found]


def test_cut_cells_are_found():
    """The check itself: a teaching point cut at pandas' 50 characters is caught."""
    point = next(t for t in TEXTS if 60 < len(t) < PAGE)
    assert cut_cells([point[:47] + "...", point]) == [point[:47] + "..."]


def test_no_table_cell_cut_short(lesson):
    cut = cut_cells(output_cells(read(lesson)))
    assert not cut, (
        f"{lesson.name}: {len(cut)} output cells cut short although the whole text fits on a page "
        f"(show them with pd.option_context('display.max_colwidth', None)): {cut[:3]}"
    )


# ------------------------------------------------------------------------ links and lists


def test_every_lesson_links_the_glossary(lesson):
    first = read(lesson).cells[0].source
    assert "(glossary.md)" in first, f"{lesson.name}: the first cell has no link to the glossary (glossary.md)"


def test_lesson_00_lists_the_lessons_from_the_lessons():
    nb = read(LESSONS[0])
    calls = [c for c in nb.cells if c.cell_type == "code" and "vientiane.lessons.table()" in c.source]
    assert calls, "lesson 00 lists the lessons with vientiane.lessons.table(), not by hand"
    tables = [c for c in nb.cells if c.cell_type == "markdown" and re.search(r"(?m)^\| 0\d ", c.source)]
    assert not tables, "lesson 00 has a hand-written table of lessons"
    listed = vientiane.lessons.table(ROOT / "notebooks")
    assert listed["lesson"].tolist() == [p.name[:2] for p in LESSONS]
    assert listed["question"].str.len().gt(0).all(), "a lesson without a '**Question:**' line in its first cell"
    assert listed["minutes"].notna().all()
    shown = "".join(o.get("data", {}).get("text/html", "") for c in calls for o in c.get("outputs", []))
    for title in listed["title"]:
        assert html.escape(title) in shown, f"lesson 00's saved list lacks {title!r}: run make figures"


def test_the_guide_plans_each_lesson_for_its_own_time():
    guide = (ROOT / "notebooks" / "teacher_guide.md").read_text(encoding="utf-8")
    planned = dict(re.findall(r"(?m)^\| (\d\d) [^|]+\| (\d+) min \|", guide))
    listed = vientiane.lessons.table(ROOT / "notebooks")
    for number, minutes in zip(listed["lesson"], listed["minutes"], strict=True):
        assert planned.get(number) == str(minutes), (
            f"lesson {number} says {minutes} minutes, the guide's table plans {planned.get(number)}"
        )


# ------------------------------------------------------------------------ exercises and tasks

CHECK = re.compile(r"""vientiane\.check\(\s*["'](\d\d)\.(\d+)["']""")


def test_exercises_appear_in_order(lesson):
    asked = [
        int(m[1])
        for c in read(lesson).cells
        if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])
        for m in CHECK.findall(c.source)
    ]
    assert asked == sorted(asked), f"{lesson.name}: exercises appear as {asked}"


def test_the_written_task_is_above_the_answer_cell(lesson):
    cells = read(lesson).cells
    for i, cell in enumerate(cells):
        if "written" in cell.metadata.get("tags", []):
            assert cell.source.strip() == "*Your answer:*", (
                f"{lesson.name}: the answer cell holds text: {cell.source[:60]!r}"
            )
            before = cells[i - 1]
            assert before.cell_type == "markdown" and re.match(r"\*\*Written task \d\d\.W\.\*\* \S", before.source), (
                f"{lesson.name}: no '**Written task NN.W.** ...' cell above the answer cell"
            )


def test_the_prose_names_the_controls_the_explorers_have(lesson):
    prose = "\n".join(c.source for c in read(lesson).cells if c.cell_type == "markdown")
    assert not re.search(r"(?i)\bslider\b|\bdrag the\b", prose), f"{lesson.name}: the explorers have number boxes"


def test_the_library_missing_message_works_without_a_makefile(lesson):
    code = "\n".join(c.source for c in read(lesson).cells if c.cell_type == "code")
    if "except ModuleNotFoundError" in code:
        assert "make lab" not in code, f"{lesson.name}: the student branch has no Makefile"
        assert "pip install" in code


def test_lesson_04_opens_the_coverage_explorer_on_the_arf():
    facts = vientiane.load()
    explorer = vientiane.widgets.coverage_explorer(facts)
    assert [c.value for c in explorer.controls if c.description == "Body"] == ["ARF"]
    source = "\n".join(c.source for c in read(LESSONS[4]).cells if "present" in c.metadata.get("tags", []))
    assert 'coverage_explorer(facts, organization="ARF")' in source or "coverage_explorer(facts)" in source
