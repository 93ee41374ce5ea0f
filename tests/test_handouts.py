"""The printable seminar kit (``vientiane_teacher.handouts``, ``make handouts``) without a browser:
its source is teacher material that reaches no student edition, every number it prints comes from
the data or the guide's plan (or is one this test knows), and the lesson pages it prints are the
class edition with code wrapped and alt text kept. tests/browser/test_handouts.py prints a PDF."""

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import vientiane
from tests.repo import ROOT
from vientiane import queries
from vientiane_teacher import editions, handouts, publish

KIT = ROOT / "notebooks" / "seminar_kit.md"
GUIDE = ROOT / "notebooks" / "teacher_guide.md"


@pytest.fixture(scope="module")
def facts():
    return vientiane.load()


@pytest.fixture(scope="module")
def page(facts) -> str:
    return handouts.kit_html(facts, KIT.read_text(encoding="utf-8"), GUIDE.read_text(encoding="utf-8"))


def test_the_kit_is_teacher_material_only():
    assert KIT.is_file()
    assert handouts.KIT not in editions.documents(ROOT), "the kit must not become a document of the editions"
    assert handouts.KIT not in editions.STUDENT_DOCUMENTS
    shipped = (*publish.DOCUMENTS, *publish.COPIED, *publish.LICENCES)
    assert not [name for name in shipped if handouts.KIT in name]


def test_every_placeholder_is_filled(page):
    assert "{{" not in page and "}}" not in page
    with pytest.raises(ValueError, match="unknown placeholder"):
        handouts.kit_html(None, "{{no_such_part}}", "")


def test_one_group_card_per_definition_with_its_count_from_the_data(facts, page):
    cards = re.findall(r'<section class="card"><h3>Group card (\d+): &ldquo;(.+?)&rdquo;</h3>(.*?)</section>', page)
    assert [name for _, name, _ in cards] == [editions.html.escape(d) for d in queries.REGIONS]
    for (_, _, body), definition in zip(cards, queries.REGIONS, strict=True):
        count = int(re.search(r"that is (\d+) states and economies", body).group(1))
        assert count == len(queries.region(facts, definition, on=handouts.ON)), definition
        assert "Which actor would choose this definition, and why?" in body


def test_the_source_sheet_quotes_the_data(facts, page):
    paragraph = facts.paragraphs().set_index("paragraph").loc[15, "text"]
    assert editions.html.escape(paragraph) in page
    for source in ("rd2016", "rusemb_uk_yakovenko"):
        row = facts.sources.set_index("id").loc[source]
        assert editions.html.escape(row["publisher"]) in page


def test_the_board_plans_timing_strip_is_the_guides_plan(page):
    blocks = handouts.plan(GUIDE.read_text(encoding="utf-8"))
    assert sum(m for m, _ in blocks) == 90
    strip = re.findall(r"<tr><td>(\d):(\d\d)</td><td>(\d+) min</td>", page)
    assert [int(m) for _, _, m in strip] == [m for m, _ in blocks]
    assert "<tr><td>1:30</td><td></td><td>end</td></tr>" in page


def test_every_row_of_the_board_plan_spans_its_whole_width(page):
    # Broken once: the fifth definition's cell stood out of a board drawn four columns wide.
    board = re.search(r'<table class="board">(.*?)</table>', page, re.S).group(1)
    widths = [
        sum(int(span or 1) for span in re.findall(r'<td(?: colspan="(\d+)")?[^>]*>', row))
        for row in re.findall(r"<tr>(.*?)</tr>", board, re.S)
    ]
    assert widths == [len(queries.REGIONS)] * len(widths), widths


def test_every_number_typed_in_the_kit_is_accounted_for(facts):
    """The kit's own text states only numbers this test knows; counts and minutes are placeholders."""
    text = KIT.read_text(encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    paragraphs = facts.paragraphs().set_index("paragraph")["text"]
    known = {
        "90": "the plan's length (its blocks add up to it: test_teacher_guide)",
        "05": "lesson 05 exists",
        "04": "lesson 04 exists",
        "600": "the memo's word limits, the same in the guide",
        "800": "the memo's word limits, the same in the guide",
        "6": "6-7 groups, as the guide says",
        "7": "6-7 groups, as the guide says",
    }
    assert "600-800" in guide and "6-7 groups" in guide and "6-7 groups" in text
    assert {p.name[:2] for p in (ROOT / "notebooks").glob("0[45]_*.ipynb")} == {"04", "05"}
    for match in re.finditer(r"¶(\d+)", text):  # a paragraph cited must exist and hold the words
        assert "umbrella" in paragraphs.loc[int(match.group(1))]
    bare = re.sub(r"(?m)¶\d+|`[^`]*`|^\d+\. ", "", text)  # ids (`c28a_moscow_raised`), list numbers
    unknown = sorted({n for n in re.findall(r"\d+", bare)} - set(known))
    assert not unknown, f"numbers typed into notebooks/seminar_kit.md with no source or test: {unknown}"


LESSON = new_notebook(
    cells=[
        new_markdown_cell("# 00 · A tiny lesson"),
        new_code_cell(
            "x = " + " + ".join(["1"] * 60),
            outputs=[
                new_output(
                    "display_data",
                    data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                    metadata={"image/png": {"alt": "A tiny figure of three bars"}},
                )
            ],
        ),
        new_code_cell("# Solution\nanswer = 2", metadata={"tags": ["solution"]}),
        new_markdown_cell("A note for the teacher only", metadata={"tags": ["teacher"]}),
    ],
    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
)


def test_a_lesson_prints_as_the_class_edition():
    page = handouts.lesson_html(LESSON, "00 · A tiny lesson")
    assert "answer = 2" not in page and "for the teacher only" not in page
    assert 'alt="A tiny figure of three bars"' in page
    assert "white-space:pre-wrap" in page, "long code lines wrap"
    assert "Class edition" in page


def test_plan_reads_a_plan():
    assert handouts.plan("## The 5-minute plan\n\n| min | block |\n| --- | --- |\n| 2 | a |\n| 3 | **b** |\n", 5) == [
        (2, "a"),
        (3, "b"),
    ]


def test_the_real_lessons_print_without_their_solutions():
    path = sorted((ROOT / "notebooks").glob("04_*.ipynb"))[0]
    nb = nbformat.read(path, as_version=4)
    solutions = [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    page = handouts.lesson_html(nb, "04")
    assert solutions and not [s for s in solutions if editions.html.escape(s.splitlines()[-1]) in page]
