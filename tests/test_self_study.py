"""The self-study edition (issue 19, item 1) and the students' index pages: model answers from the
teacher guide after every discussion and written task, only there; indexes that say the order,
times and questions and link notebooks that are in the folder handed out."""

from __future__ import annotations

import html.parser
import json
import re

import nbformat
import pytest

from tests.repo import ROOT
from vientiane_teacher import editions, lessons
from vientiane_teacher.model_answers import model_answers

pytestmark = pytest.mark.slow  # renders every edition of the real lessons


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("editions")
    editions.editions({p.stem: p.read_text(encoding="utf-8") for p in lessons.lessons(ROOT)}, folder)
    return folder


def guide() -> str:
    return (ROOT / "notebooks" / "teacher_guide.md").read_text(encoding="utf-8")


def model_cells(nb) -> list:
    return [c for c in nb.cells if lessons.has_role(c, lessons.MODEL_ANSWER)]


@pytest.mark.parametrize("path", lessons.lessons(ROOT), ids=lambda p: p.stem)
def test_each_discussion_and_written_task_is_followed_by_the_guides_folded_model_answer(made, path):
    nb = nbformat.read(made / "self-study" / path.name, as_version=4)
    answers = model_answers(guide())[path.name[:2]]
    for i, cell in enumerate(nb.cells):
        discuss = cell.cell_type == "markdown" and cell.source.lstrip().startswith("### Discuss")
        if discuss or lessons.has_role(cell, lessons.WRITTEN):
            follower = nb.cells[i + 1]
            assert lessons.has_role(follower, lessons.MODEL_ANSWER), (
                f"{path.name}: cell {i} has no model answer after it"
            )
            assert (
                follower.source.startswith("<details>\n<summary>") and "write yours first, then open" in follower.source
            )
            assert answers["discuss" if discuss else "written"] in follower.source
            assert follower.source.rstrip().endswith("</details>")
    assert len(model_cells(nb)) == 2, f"{path.name}: one discussion and one written task"
    assert not [c for c in nb.cells if lessons.roles(c) & set(lessons.TEACHER_ONLY)], "no solution or teacher cell"
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "the notebooks have no outputs"


def test_only_the_discussion_and_written_parts_of_the_guide_leave_it(made):
    """The guide's exercise answers, plans and misconceptions stay in the teacher's edition."""
    text = guide()
    for heading in re.findall(r"(?m)^## (.+)$", text):
        if heading.startswith("Discussion prompts"):
            continue
        for edition in ("self-study", "html-self-study"):
            for page in (made / edition).glob("*.*"):
                assert f"## {heading}" not in page.read_text(encoding="utf-8"), (
                    f"{page.name} has the guide's {heading!r}"
                )
    exercise = re.search(r"(?ms)^### Exercise 05\.3\n(.*?)\n\n", text).group(1)  # its question and answer
    assert not any(exercise in p.read_text(encoding="utf-8") for p in (made / "self-study").glob("*"))


def test_the_class_edition_and_the_students_html_have_no_model_answer(made):
    for path in (made / "student").glob("*.ipynb"):
        assert not model_cells(nbformat.read(path, as_version=4)), f"student/{path.name}"
    for path in (made / "html").glob("*.html"):
        assert "write yours first, then open" not in path.read_text(encoding="utf-8"), f"html/{path.name}"


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scripts, self._script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = ""

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(json.loads(self._script))
            self._script = None


def parsed(path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("edition", ["html", "html-self-study", "html-teacher"])
def test_every_link_of_an_html_edition_stays_inside_its_folder(made, edition):
    """The folder can be handed out alone: no link leaves it or points at a missing file."""
    folder = made / edition
    for page in folder.glob("*.html"):
        for link in parsed(page).links:
            if link.startswith(("#", "https://", "http://")):
                continue
            target = (folder / link.split("#")[0]).resolve()
            assert folder.resolve() in target.parents, f"{edition}/{page.name} links {link} outside the folder"
            assert target.is_file(), f"{edition}/{page.name} links {link}, which is not there"


@pytest.mark.parametrize("edition", ["html", "html-self-study"])
def test_the_students_index_gives_the_lessons_in_order_with_time_question_and_notebook(made, edition):
    index = (made / edition / "index.html").read_text(encoding="utf-8")
    table = editions_table()
    positions = [index.index(f'href="{row.name}.html"') for row in table]
    assert positions == sorted(positions), "the lessons in order"
    for row in table:
        item = index[index.index(f'href="{row.name}.html"') :].split("</li>")[0]
        assert f"({row.minutes} minutes)" in item, f"{row.name}: its time"
        assert f'href="notebooks/{row.name}.ipynb"' in item, f"{row.name}: its notebook"
        words = re.sub(r"[*']", "", row.question).split()[:4]
        assert all(w in re.sub(r"<[^>]+>|&#x27;", "", item) for w in words), f"{row.name}: its question"
    total = sum(row.minutes for row in table)
    assert f"({len(table)} lessons, about {total} minutes)" in index
    assert "Start with 00" in index


def editions_table():
    from types import SimpleNamespace

    from vientiane.lessons import first_cell, summary

    return [SimpleNamespace(name=p.stem, **summary(first_cell(p))) for p in lessons.lessons(ROOT)]


@pytest.mark.parametrize("edition", ["html", "html-self-study", "html-teacher"])
def test_each_lesson_page_describes_itself_as_a_schema_org_learning_resource(made, edition):
    for row in editions_table():
        scripts = parsed(made / edition / f"{row.name}.html").scripts
        assert len(scripts) == 1, f"{edition}/{row.name}: one JSON-LD description"
        data = scripts[0]
        assert data["@type"] == "LearningResource" and data["timeRequired"] == f"PT{row.minutes}M"
        assert data["name"].endswith(row.title) and data["teaches"] == row.question
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert "axe-core" in data["accessibilitySummary"]
