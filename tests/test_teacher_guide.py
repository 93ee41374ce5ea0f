"""The teacher guide (notebooks/teacher_guide.md): its session plans add up, it covers every
exercise of the lessons, and it reaches the teacher's HTML only, never the students.

The editions are made in a temporary folder from a tiny lesson and the real documents
(``editions.documents()``), as tests/test_build.py does: the real build/ is never read.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.repo import ROOT
from vientiane_teacher import editions, publish
from vientiane_teacher.lessons import SOLUTION, WRITTEN, Lesson, lessons

GUIDE = ROOT / "notebooks" / "teacher_guide.md"
CHECK = re.compile(r"""vientiane\.check\(\s*["'](\d\d\.\d+)["']""")


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def sections(text: str, level: str = "## ") -> dict[str, str]:
    """The guide's sections at ``level``, by heading."""
    parts = re.split(rf"(?m)^{re.escape(level)}(.+)$", text)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def table_minutes(section: str) -> list[int]:
    """The first column ("min") of the section's first Markdown table, as numbers."""
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows, "no table in the section"
    header = [cell.strip().lower() for cell in rows[0].strip("|").split("|")]
    assert header[0] in ("min", "minutes"), f"the table's first column must be the minutes, not {header[0]!r}"
    body = [row for row in rows[2:] if not re.match(r"^\|\s*-", row)]
    return [int(row.strip("|").split("|")[0].strip()) for row in body]


@pytest.mark.parametrize("length", [90, 45])
def test_each_session_plan_adds_up_to_its_length(length):
    plans = {h: s for h, s in sections(guide()).items() if re.search(rf"\b{length}-minute\b", h)}
    assert len(plans) == 1, f"one section headed '… {length}-minute …' with the plan's table: {sorted(plans)}"
    minutes = table_minutes(next(iter(plans.values())))
    assert all(m > 0 for m in minutes)
    assert sum(minutes) == length, f"the blocks add up to {sum(minutes)} minutes, not {length}"


def plan_blocks(length: int) -> list[tuple[int, str]]:
    """(minutes, block) of the guide's ``length``-minute plan."""
    section = next(s for h, s in sections(guide()).items() if re.search(rf"\b{length}-minute\b", h))
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [(int(r.strip("|").split("|")[0]), r.strip("|").split("|")[1].strip()) for r in rows]


def test_the_90_minute_plan_leaves_ten_minutes_of_slack():
    """Logins, moving into groups and a block that runs over need minutes nothing is planned in:
    rows whose block starts "Buffer"."""
    blocks = plan_blocks(90)
    slack = sum(m for m, block in blocks if block.lower().startswith("buffer"))
    assert slack >= 10, f"the 90-minute plan leaves {slack} minutes of slack, not 10"
    assert blocks[0][1].lower().startswith("buffer"), "the first minutes are for logging in"


def test_the_guide_says_how_to_run_the_seminar_with_6_or_7_groups():
    from vientiane import queries

    section = next(s for h, s in sections(guide()).items() if "90-minute" in h)
    assert re.search(r"\*\*With 6-7 groups\*\*", section), "no '**With 6-7 groups**' paragraph in the 90-minute plan"
    paragraph = section.split("**With 6-7 groups**")[1].split("\n\n")[0]
    assert "With 7 groups" in paragraph and "with 6 groups" in paragraph
    words = "zero one two three four five six seven eight nine".split()
    assert f"for {words[len(queries.REGIONS)]} definitions" in paragraph, "the paragraph miscounts the definitions"
    assert f"hears {words[len(queries.REGIONS)]} reports" in paragraph, "the plenary hears one report per definition"
    named = [d for d in queries.REGIONS if d in paragraph]
    assert named == list(queries.REGIONS), f"the paragraph names the definitions {named}, not all of them"
    assert "make handouts" in section and "seminar_kit" in section, "the plan says where the printed kit comes from"


def test_the_guide_says_which_lessons_are_homework():
    text = guide()
    assert re.search(r"(?i)homework", text)
    for path in lessons(ROOT):
        assert re.search(rf"\b{path.name[:2]}\b", text), f"the guide never names lesson {path.name[:2]}"


def lesson_exercises() -> list[str]:
    found = []
    for path in lessons(ROOT):
        nb = nbformat.read(path, as_version=4)
        found += [m for cell in nb.cells if cell.cell_type == "code" for m in CHECK.findall(cell.source)]
    return sorted(set(found))


def test_every_exercise_of_the_lessons_has_an_entry():
    entries = set(re.findall(r"(?m)^#{3,4} Exercise (\d\d\.\d+)\b", guide()))
    missing = [e for e in lesson_exercises() if e not in entries]
    assert not missing, f"no '### Exercise NN.K' entry in the teacher guide for {missing}"


def test_every_lesson_with_discussion_or_written_tasks_has_model_answers():
    """Each lesson's "### Discuss" prompts and `written` tasks have a section of model answers
    and a rubric ("### Discuss NN", "### Written NN")."""
    text = guide()
    missing = []
    for path in lessons(ROOT):
        number, nb = path.name[:2], nbformat.read(path, as_version=4)
        if any(c.cell_type == "markdown" and c.source.startswith("### Discuss") for c in nb.cells):
            missing += [] if re.search(rf"(?m)^### Discuss {number}\b", text) else [f"Discuss {number}"]
        if Lesson.from_path(path).cells(WRITTEN):
            missing += [] if re.search(rf"(?m)^### Written {number}\b", text) else [f"Written {number}"]
    assert not missing, f"the guide has no model answers and rubric for {missing}"


def test_the_tools_in_the_session():
    text = guide()
    for command in ("make present LESSON=", "make grade SUBMISSIONS=", "written.csv", "grades.csv"):
        assert command in text, command


# ------------------------------------------------------------------------------ the editions

LESSON = new_notebook(
    cells=[
        new_markdown_cell("# 00 · A tiny lesson"),
        new_code_cell("1 + 1"),
        new_code_cell("# Solution\n2", metadata={"tags": [SOLUTION]}),
    ],
    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A project folder with the students' files and the three editions of a tiny lesson."""
    root = tmp_path_factory.mktemp("editions")
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(
        ROOT / "lib" / "vientiane", root / "lib" / "vientiane", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("environment.yml", "postBuild", "setup.py", "MANIFEST.in", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    editions.editions({"00_tiny": nbformat.writes(LESSON)}, root / "build", docs=editions.documents(ROOT))
    return root


def marker() -> str:
    """The guide's title line: text found in the guide and nowhere else."""
    return next(line for line in guide().splitlines() if line.startswith("# "))[2:].strip()


def test_the_documents_exist():
    assert set(editions.documents(ROOT)) == {*editions.STUDENT_DOCUMENTS, *editions.TEACHER_DOCUMENTS}


def test_the_guide_is_in_the_teachers_html_and_linked(made):
    pages = made / "build" / "html-teacher"
    assert marker() in (pages / "teacher_guide.html").read_text(encoding="utf-8")
    index = (pages / "index.html").read_text(encoding="utf-8")
    for name in ("teacher_guide", "glossary", "reading_list"):
        assert f'href="{name}.html"' in index and (pages / f"{name}.html").is_file()


def test_the_guide_is_in_no_students_edition(made):
    for edition in ("html", "student"):
        for path in (made / "build" / edition).rglob("*"):
            assert "teacher_guide" not in path.name, path
            if path.is_file():
                assert marker() not in path.read_text(encoding="utf-8", errors="replace"), path
    assert "teacher_guide" not in (made / "build" / "html" / "index.html").read_text(encoding="utf-8")


def test_the_students_get_the_glossary_and_reading_list(made):
    pages = made / "build" / "html"
    index = (pages / "index.html").read_text(encoding="utf-8")
    for name in ("glossary", "reading_list"):
        assert f'href="{name}.html"' in index and (pages / f"{name}.html").is_file()
        assert (made / "build" / "student" / f"{name}.md").is_file()
    assert 'href="glossary.html">Glossary</a>' in (pages / "00_tiny.html").read_text(encoding="utf-8")


def test_the_document_pages_are_the_same_build_after_build(made, tmp_path):
    editions.editions({"00_tiny": nbformat.writes(LESSON)}, tmp_path, docs=editions.documents(ROOT))
    for edition, name in [("html", "glossary.html"), ("html-teacher", "teacher_guide.html"), ("html", "index.html")]:
        assert (tmp_path / edition / name).read_bytes() == (made / "build" / edition / name).read_bytes(), name


def test_the_published_edition_has_no_guide(made, tmp_path):
    """The students' repository is made from a commit: one holding the guide beside the lesson."""
    root = tmp_path / "repo"
    shutil.copytree(made, root, ignore=shutil.ignore_patterns("build"))
    (root / "notebooks").mkdir()
    nbformat.write(LESSON, root / "notebooks" / "00_tiny.ipynb")
    for path in (ROOT / "notebooks").glob("*.md"):
        shutil.copy2(path, root / "notebooks" / path.name)
    who = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "tiny"]):
        subprocess.run(["git", *command], cwd=root, check=True, timeout=120, env={**os.environ, **who})
    tree = publish.student_tree(root)
    assert {"notebooks/00_tiny.ipynb", "notebooks/glossary.md", "notebooks/reading_list.md"} <= set(tree)
    assert (root / "notebooks" / "teacher_guide.md").is_file() and not [p for p in tree if "teacher_guide" in p]
    title = marker().encode()
    assert not [path for path, (_, data) in tree.items() if title in data]


def exercise_entries() -> dict[str, str]:
    """The guide's "### Exercise NN.K" entries, by exercise."""
    return {
        heading.removeprefix("Exercise ").strip(): body
        for heading, body in sections(guide(), "### ").items()
        if heading.startswith("Exercise ")
    }


def stated_answer(body: str) -> str:
    """The answer an entry states in bold, "**Answer: …**", as one line."""
    found = re.search(r"\*\*Answer: (.+?)\.?\*\*", body, re.S)
    assert found, "no **Answer: …** in the entry"
    return " ".join(found.group(1).split())


def test_the_guide_states_the_answer_the_self_check_accepts():
    """A correction of the data that changes an answer must change the guide too (05.3 once said 7
    while the data and the check said 5)."""
    from vientiane.checks import feedback

    wrong = {ex: stated_answer(body) for ex, body in exercise_entries().items()}
    wrong = {ex: answer for ex, answer in wrong.items() if not feedback(ex, answer)[1]}
    assert not wrong, f"the teacher guide's answers that vientiane.check calls wrong: {wrong}"


def test_the_guides_predictable_wrong_answers_are_wrong():
    """Each bold wrong answer that is a plain value (a number, an id or a word) is not accepted."""
    from vientiane.checks import feedback

    accepted = []
    for ex, body in exercise_entries().items():
        for block in re.findall(r"Predictable wrong answers?: (.*?)(?:\n\n|\Z)", body, re.S):
            for answer in re.findall(r"\*\*([^*]+?):?\*\*", block):
                if re.fullmatch(r"[\w.-]+", answer) and feedback(ex, answer)[1]:
                    accepted.append((ex, answer))
    assert not accepted, f"wrong answers in the guide that vientiane.check accepts: {accepted}"


def test_the_verdict_counts_of_exercise_05_3_are_the_datas():
    import vientiane

    counts = vientiane.load().claims["verdict"].value_counts()
    said = re.search(
        r"Reasoning: the claims table's verdicts: (.+?) \((\d+) in all\)", " ".join(exercise_entries()["05.3"].split())
    )
    assert said, "05.3: no 'Reasoning: the claims table's verdicts: … (N in all)'"
    stated = {verdict.replace(" ", "_"): int(n) for n, verdict in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", said.group(1))}
    assert stated == {k: int(v) for k, v in counts.items()}
    assert int(said.group(2)) == int(counts.sum())


def guide_wrong_answers(ex: str, body: str) -> list[tuple[str, object]]:
    """(bold text, concrete answer) for each wrong answer an entry's "Predictable wrong answers"
    gives as a value: a plain value (a number, an id, a word, a date), "A or B", "A to B",
    "X only", and, for a list answer, "adding X (and Y)", "including X", "leaving out X or Y",
    "A, B without C" or a list of ids. Descriptions ("A synonym", "Around 40") give none."""
    stated = stated_answer(body)
    answer = [a.strip() for a in stated.split(",")] if "," in stated else None
    found = []
    for block in re.findall(r"Predictable wrong answers?: (.*?)(?:\n\n|\Z)", body, re.S):
        for bold in re.findall(r"\*\*([^*]+?):?\*\*", " ".join(block.split())):
            text, values = bold.strip(), []
            if re.fullmatch(r"[\w.-]+", text):
                values = [text]
            elif re.fullmatch(r"(?i)an empty list", text):
                values = [[]]
            elif m := re.fullmatch(r"(\d+) or more", text):
                values = [m[1]]
            elif m := re.fullmatch(r"(\d+) (?:or|to) (\d+)", text):
                values = [str(n) for n in range(int(m[1]), int(m[2]) + 1)]
            elif m := re.fullmatch(r"([\w-]+) only", text):
                values = [[m[1]]]
            elif m := re.fullmatch(r"(?i:adding|including) (\w+)(?: \(and (\w+)\))?", text):
                values = [[*answer, m[1]]] + ([[*answer, m[1], m[2]]] if m[2] else [])
            elif m := re.fullmatch(r"(?i:adding) (\w+) or another .*", text):
                others = re.match(r"\s*\(([A-Z]{3}(?:, [A-Z]{3})*)\)", block.split(f"**{bold}**")[1])
                values = [[*answer, x] for x in [m[1], *(others[1].split(", ") if others else [])]]
            elif m := re.fullmatch(r"(?i:adding) ((?:\w+, )+\w+) or (\w+)", text):
                values = [[*answer, x] for x in [*m[1].split(", "), m[2]]]
            elif m := re.fullmatch(r"(?i:leaving out) (\w+)(?: (or|and) (\w+))?", text):
                left = [(m[1],), (m[3],)] if m[2] == "or" else [(m[1], m[3])] if m[2] else [(m[1],)]
                values = [[a for a in answer if a not in out] for out in left]
            elif m := re.fullmatch(r"([\w, ]+) without \w+", text):
                values = [[a.strip() for a in m[1].split(",")]]
            elif re.fullmatch(r"\w+(?:, \w+)+", text):
                values = [[a.strip() for a in text.split(",")]]
            found += [(text, v) for v in values]
    return found


def test_each_predictable_wrong_answer_of_the_guide_gets_its_targeted_hint():
    """One source for both: every wrong answer the guide names as a value gets a hint of its own
    (or "Right idea", where the guide says it is the right idea in the wrong form), never the
    exercise's generic hint."""
    from vientiane.checks import EXERCISES, feedback

    generic = []
    for ex, body in exercise_entries().items():
        for bold, answer in guide_wrong_answers(ex, body):
            text, right = feedback(ex, answer)
            assert not right, (ex, answer)
            if text == f"✘ Not yet. Hint: {EXERCISES[ex][1]}" or not text.startswith(
                ("✘ Not yet. Hint: ", "✘ Right idea")
            ):
                generic.append((ex, bold, answer))
    assert not generic, f"wrong answers in the guide that get the generic hint, not one of their own: {generic}"


def test_each_targeted_hint_answers_a_wrong_answer_the_guide_names():
    """The other way round: hints.json holds hints only for wrong answers the guide lists, so
    the teacher reads in the guide every answer a student gets a targeted hint for."""
    from vientiane import checks
    from vientiane_teacher.authoring import _forms

    entries = exercise_entries()
    unlisted = []
    for ex, items in checks._read_json("hints.json")["wrong"].items():
        named = {checks.digest(ex, f) for _, a in guide_wrong_answers(ex, entries[ex]) for f in _forms(a)}
        unlisted += [(ex, item["hint"][:60]) for item in items if not set(item["answers"]) & named]
    assert not unlisted, f"targeted hints whose wrong answer the guide does not list: {unlisted}"
