"""The build behind ``make figures`` (vientiane_teacher.build), on tiny lessons written here.

Each project lives in a temporary folder: a copy of lib/, data/ and seeds/ plus two small
lessons (a figure, a widget, an exercise with its solution), so these tests are quick and
never touch the real notebooks/ or figures/.
"""

import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.repo import ROOT
from vientiane_teacher import build as builder
from vientiane_teacher import runner
from vientiane_teacher.lessons import SOLUTION, Lesson

pytestmark = pytest.mark.slow  # every test here builds (kernels) or renders whole editions

FIGURE = """\
from matplotlib.figure import Figure
import vientiane
fig = Figure(figsize=(2, 2))
fig.add_subplot().plot([1, 3, 2])
vientiane.figures.save(fig, "{number}_line", alt="A line that goes up, then down.", shows="three numbers")"""
WIDGET = 'import ipywidgets\nipywidgets.IntSlider(value=3, max=9, description="n")'
EXERCISE = 'answer = ...  # replace ... with your answer\nvientiane.check("00.1", answer)'
SOLVED = '# Solution\nanswer = 17\nvientiane.check("00.1", answer)'


def write_lesson(root: Path, name: str, *sources: str, solution: str = SOLVED) -> Path:
    """notebooks/<name>.ipynb: a title, the given code cells, an exercise and its solution."""
    number = name[:2]
    cells = [new_markdown_cell(f"# {number} · Lesson {name}")]
    cells += [new_code_cell(source.format(number=number)) for source in sources]
    cells += [new_code_cell(EXERCISE), new_code_cell(solution, metadata={"tags": [SOLUTION]})]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    path = root / "notebooks" / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of notebooks/, figures/ and build/, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("notebooks", "figures", "build")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def ran(outcomes) -> list[str]:
    return [o.lesson for o in outcomes if o.state == "ran"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project with lessons 00 and 01, built once (use ``project`` to change one)."""
    root = tmp_path_factory.mktemp("built")
    for name in ("data", "seeds", "requirements"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "notebooks").mkdir()
    write_lesson(root, "00_first", FIGURE, WIDGET)
    write_lesson(root, "01_second", FIGURE)
    assert ran(builder.build(root, force=True, out=_Quiet())) == ["00_first", "01_second"]
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A copy of the built project, free to change."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    return root


class _Quiet:
    """Where the build's progress lines go in tests."""

    def write(self, text):
        pass

    def flush(self):
        pass

    def isatty(self):
        return False


def test_lessons_are_executed_and_written_back(built):
    nb = nbformat.read(built / "notebooks" / "00_first.ipynb", as_version=4)
    assert all(cell.outputs for cell in nb.cells if cell.cell_type == "code")
    assert nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert not any("execution" in cell.metadata for cell in nb.cells)  # no timestamps


def test_figures_and_their_index(built):
    assert sorted(p.name for p in (built / "figures").iterdir()) == [
        "00_line.json",
        "00_line.png",
        "00_line.svg",
        "01_line.json",
        "01_line.png",
        "01_line.svg",
        "index.csv",
    ]
    lines = (built / "figures" / "index.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "figure,lesson,png,svg,alt,shows"
    assert lines[1] == '00_line,00,00_line.png,00_line.svg,"A line that goes up, then down.",three numbers'


def test_status_names_each_lesson_and_the_versions(built):
    status = (built / "build" / "status.md").read_text(encoding="utf-8")
    assert re.search(r"\| 00_first \| ran \| \d+\.\d \|", status)
    for name in ("Python", "pandas", "matplotlib", "ipywidgets", "nbclient"):
        assert f"- {name} " in status


def test_same_inputs_give_the_same_bytes(project):
    before = snapshot(project)
    builder.build(project, force=True, out=_Quiet())
    after = snapshot(project)
    figures = [name for name in before if name.startswith("figures/")]
    assert len(figures) == 7
    assert {name: after[name] for name in figures} == {name: before[name] for name in figures}
    # The notebooks and both editions too (widget model ids are renumbered, not random).
    changing = {"build/status.md", "build/inputs.json"}  # these record the seconds taken
    assert {k: v for k, v in after.items() if k not in changing} == {
        k: v for k, v in before.items() if k not in changing
    }


def test_student_edition_has_no_solutions_and_its_checks_run(built, tmp_path):
    path = built / "build" / "student" / "00_first.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert not Lesson.from_path(path).cells(SOLUTION)
    assert "# Solution" not in path.read_text(encoding="utf-8")
    assert not any(cell.get("outputs") for cell in nb.cells) and "widgets" not in nb.metadata

    env = {"PYTHONPATH": str(built / "lib"), "VIENTIANE_FIGURES": str(tmp_path)}
    # In a worker thread: the browser tests leave an event loop running in this one.
    run = runner.run_interruptibly(runner.execute(nb, path.parent, cell_timeout=600, env={**os.environ, **env}))
    assert run.ok, run.failure(path.stem)
    check = [cell for cell in nb.cells if 'vientiane.check("00.1"' in cell.source][0]
    shown = [output["data"] for output in check.outputs if output.get("output_type") == "display_data"]
    assert "Replace the ..." in shown[0]["text/plain"]
    assert shown[0]["application/vnd.vientiane.check+json"] == {
        "exercise": "00.1",
        "attempted": False,
        "right": False,
        "answer": {"$ellipsis": True},  # the value the grader decides from (answers.encode)
    }


@pytest.mark.parametrize("edition", ["html", "html-teacher"])
def test_html_editions_load_no_script_from_the_network(built, edition):
    pages = built / "build" / edition
    assert (pages / "require.js").is_file() and (pages / "embed-amd.js").is_file()
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert 'href="00_first.html"' in index and 'href="01_second.html"' in index
    for page in ("index.html", "00_first.html", "01_second.html"):
        text = (pages / page).read_text(encoding="utf-8")
        for tag, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S):
            source = re.search(r"\bsrc=[\"']?([^\"' >]*)", tag)
            assert not (source and re.match(r"(https?:)?//", source.group(1))), (page, tag)
            if "application/vnd.jupyter" not in tag and "application/ld+json" not in tag:  # data, not scripts
                assert not re.search(r"https?://", body), (page, body[:200])
    first = (pages / "00_first.html").read_text(encoding="utf-8")
    assert '<script src="require.js">' in first and "var widgetRendererSrc = 'embed-amd.js';" in first
    assert "application/vnd.jupyter.widget-state+json" in first
    assert re.search(r'<a href="01_second.html" rel="next">01 · Lesson 01_second →</a>', first)


def test_a_failing_lesson_changes_nothing_and_says_where(project, capsys):
    write_lesson(project, "00_first", FIGURE, WIDGET, "print('changed')")  # would run fine
    write_lesson(project, "02_broken", "x = 1", "total = x / 0  # the mistake\nprint(total)")
    before = snapshot(project)

    assert builder.main(["--root", str(project)]) == 1

    assert snapshot(project) == before
    assert not list((project / "build").glob(".staging-*"))
    message = capsys.readouterr().err
    assert "lesson 02_broken failed in cell index 2 (first line: total = x / 0  # the mistake)" in message
    assert "ZeroDivisionError" in message and "Nothing was changed." in message


def test_only_lessons_whose_inputs_changed_run_again(project):
    quiet = _Quiet()
    assert ran(builder.build(project, out=quiet)) == []

    write_lesson(project, "01_second", FIGURE, "print('a new cell')")
    assert ran(builder.build(project, out=quiet)) == ["01_second"]

    nb = nbformat.read(project / "notebooks" / "00_first.ipynb", as_version=4)
    nb.cells[1].outputs = []  # outputs only: not an input
    nbformat.write(nb, project / "notebooks" / "00_first.ipynb")
    assert ran(builder.build(project, out=quiet)) == []

    with open(project / "data" / "sources.csv", "a", encoding="utf-8") as data:
        data.write("\n")
    assert sorted(ran(builder.build(project, out=quiet))) == ["00_first", "01_second"]

    with open(project / "lib" / "vientiane" / "plots.py", "a", encoding="utf-8") as library:
        library.write("\n# a change to the library\n")
    assert sorted(ran(builder.build(project, out=quiet))) == ["00_first", "01_second"]
    assert ran(builder.build(project, out=quiet)) == []


NOOP_IMPORTS = """
import io
import sys
from pathlib import Path
from vientiane_teacher import build
outcomes = build.build(Path(sys.argv[1]), out=io.StringIO())
assert {o.state for o in outcomes} == {"unchanged"}, outcomes
print(" ".join(m for m in ("nbformat", "nbconvert", "nbclient", "jupyter_client") if m in sys.modules))
"""


def test_a_build_with_nothing_to_do_imports_no_notebook_machinery(project):
    """The no-op ``make figures`` stays about 0.2 s: it must not import nbformat (whose schema
    checker pulls in a 0.9 s grammar), nbconvert or nbclient. Checked by what a fresh process
    imported, not by a stopwatch."""
    done = subprocess.run(
        [sys.executable, "-c", NOOP_IMPORTS, str(project)], capture_output=True, text=True, cwd=project
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"a no-op build imported {done.stdout.strip()}"


def test_student_html_has_no_solution_and_the_teacher_html_has_them(built):
    """No page of build/html/ holds the source or an output of a cell tagged solution."""
    student = [_text_of(built / "build" / "html" / f"{n}.html") for n in ("00_first", "01_second")]
    teacher = _text_of(built / "build" / "html-teacher" / "00_first.html")
    assert "answer = 17" in teacher and "# Solution" in teacher
    for page in student:
        assert "answer = 17" not in page and "# Solution" not in page
        assert "✔ Right" not in page  # the solution's output


def test_student_html_keeps_only_the_widget_state_it_shows(built, project):
    """A widget shown only by a solution cell is not in the students' widget state."""
    solution = '# Solution\nimport ipywidgets\nipywidgets.Text(value="the secret answer")'
    write_lesson(project, "00_first", FIGURE, WIDGET, solution=solution)
    builder.build(project, out=_Quiet())
    student = (project / "build" / "html" / "00_first.html").read_text(encoding="utf-8")
    teacher = (project / "build" / "html-teacher" / "00_first.html").read_text(encoding="utf-8")
    assert "the secret answer" in teacher and "the secret answer" not in student
    assert '"description": "n"' in student  # the slider the lesson itself shows


def _text_of(page: Path) -> str:
    """A page's text with the tags of its syntax highlighting taken out."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def test_a_change_to_the_teacher_tools_runs_no_lesson_again(project):
    quiet = _Quiet()
    with open(project / "lib" / "vientiane_teacher" / "editions.py", "a", encoding="utf-8") as tools:
        tools.write("\n# a comment in the build tools\n")
    assert ran(builder.build(project, out=quiet)) == []
    with open(project / "requirements" / "constraints.txt", "a", encoding="utf-8") as pins:
        pins.write("matplotlib==0.0.1\n")
    assert sorted(ran(builder.build(project, out=quiet))) == ["00_first", "01_second"]


def test_no_page_of_the_students_html_shows_a_solution_of_the_real_lessons(tmp_path):
    """The students' and the self-study HTML of every lesson, made from the committed notebooks:
    no line of a solution's source and none of its outputs appears on the page."""
    from vientiane_teacher import editions, lessons

    teacher = {p.stem: nbformat.read(p, as_version=4) for p in lessons.lessons(ROOT)}
    editions.editions({name: nbformat.writes(nb) for name, nb in teacher.items()}, tmp_path)
    for edition, name in itertools.product(("html", "html-self-study"), teacher):
        nb = teacher[name]
        page = _text_of(tmp_path / edition / f"{name}.html")
        hidden = [c for c in nb.cells if lessons.roles(c) & set(lessons.TEACHER_ONLY)]
        assert hidden, f"{name} has no solution to hide"
        public = {line for c in nb.cells if c not in hidden for line in _lines(c)}  # e.g. the check call
        for cell in hidden:
            shown = [line for line in _lines(cell) if line not in public and line in page]
            assert not shown, f"{edition}/{name}: the students' page shows {shown}"


def _lines(cell) -> list[str]:
    """A cell's source lines and output texts, stripped (short ones say nothing on their own)."""
    outputs = ["".join(o.get("text", o.get("data", {}).get("text/plain", ""))) for o in cell.get("outputs", [])]
    lines = [line.strip() for text in [cell.source, *outputs] for line in text.splitlines()]
    return [line for line in lines if len(line) > 12]


NO_DESCRIPTION = "No description has been provided for this image"


def test_every_figure_in_the_html_has_its_alt_text(tmp_path):
    """The real lessons' pages (both editions): each <img> has the alt text the figure was saved with."""
    from vientiane_teacher import editions, lessons

    teacher = {p.stem: nbformat.read(p, as_version=4) for p in lessons.lessons(ROOT)}
    about = {n: {"title": n} for n in teacher}
    editions._html_edition(tmp_path / "html", teacher, {n: n for n in teacher}, "teacher", {}, about)
    alts = [json.loads(p.read_text(encoding="utf-8"))["alt"] for p in (ROOT / "figures").glob("*.json")]
    found = []
    for name in teacher:
        page = (tmp_path / "html" / f"{name}.html").read_text(encoding="utf-8")
        page = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)  # the widget state (JSON) shows its own
        for tag in re.findall(r"<img\b[^>]*>", page):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip() and alt.group(1) != NO_DESCRIPTION, f"{name}: {tag[:120]}"
            found.append(html.unescape(alt.group(1)))
    assert set(alts) <= set(found), "a saved figure's alt text is missing from the pages"
