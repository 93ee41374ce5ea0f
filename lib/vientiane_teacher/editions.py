"""The editions made from the executed lessons: HTML for students and for teachers, and the
student notebooks (no solutions, no outputs), plus ``figures/index.csv``.

Cells whose role is teacher-only (``lessons.TEACHER_ONLY``: ``solution``, worked solutions,
and ``teacher``, notes for the teacher) are in ``notebooks/`` and in ``build/html-teacher/``,
never in ``build/html/`` or ``build/student/``.

Beside the lessons, Markdown documents in ``notebooks/``: the glossary and the reading list
(``STUDENT_DOCUMENTS``) go into every edition (an HTML page in both HTML editions, the ``.md``
file in ``build/student/``); the teacher guide (``TEACHER_DOCUMENTS``) only into
``build/html-teacher/``. Both index pages link them, and every lesson page links the glossary.
The README is the manual; a student copy is the steps ``DropRoles``, then ``PruneWidgetState``
(HTML) or ``ClearOutputs`` (notebooks).
"""

from __future__ import annotations

import copy
import csv
import html
import io
import itertools
import json
import re
import shutil
import uuid
from pathlib import Path

from .lessons import TEACHER_ONLY, text, title_of
from .model_answers import model_answers, rubric_levels
from .steps import AddModelAnswers, LinkPages, apply

STATIC = Path(__file__).resolve().parent / "static"  # the vendored widget renderer
TITLE = "Lavrov in Vientiane, July 2016"
STUDENT_DOCUMENTS = ("glossary", "reading_list")  # notebooks/<name>.md, for everyone
TEACHER_DOCUMENTS = ("teacher_guide",)  # notebooks/<name>.md, teacher edition only
# What tests/browser/test_accessibility.py holds true of every page (axe-core, alt text).
ACCESSIBILITY = (
    "Every figure has alt text written from the data; the pages pass the axe-core audit (WCAG 2.0 and 2.1,"
    " levels A and AA) that the collection's tests run, with no serious or critical violation."
)
# The index pages' introductions, by edition.
INTRODUCTIONS = {
    "student": (
        "Lessons on one episode of diplomacy: Russia's Foreign Minister Sergei Lavrov at the ASEAN meetings"
        ' in Vientiane, Laos, on 25-26 July 2016, and Moscow\'s call for an Asia-Pacific "umbrella" security'
        " structure. Start with 00, then work through them in order. Each lesson says how long it takes and"
        " which question it answers; download its notebook to run it yourself."
    ),
    "self-study": (
        "The lessons for working alone: after every discussion and written task a folded model answer"
        " with its rubric. Write your own answer first, then open the model and compare. Start with 00"
        " (how to run the lessons and read the article); then go in order: each lesson builds on the one"
        " before. Each lesson says how long it takes and which question it answers."
    ),
    "teacher": "The lessons with their worked solutions and the teacher's notes, and the teacher guide.",
}


def documents(root: Path | None = None) -> dict[str, str]:
    """The Markdown documents beside the lessons (``notebooks/<name>.md``), by name; those
    missing are left out.

    >>> sorted(documents())
    ['glossary', 'reading_list', 'teacher_guide']
    """
    from .lessons import ROOT

    folder = Path(root or ROOT) / "notebooks"
    found = {name: folder / f"{name}.md" for name in (*STUDENT_DOCUMENTS, *TEACHER_DOCUMENTS)}
    return {name: path.read_text(encoding="utf-8") for name, path in found.items() if path.is_file()}


def figures_index(folder: Path) -> str:
    """``index.csv`` of the figures in ``folder``, from their .json sidecars.

    >>> from vientiane import paths
    >>> figures_index(paths.checkout() / "figures").splitlines()[0]
    'figure,lesson,png,svg,alt,shows'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "lesson", "png", "svg", "alt", "shows"])
    for sidecar in sorted(Path(folder).glob("*.json")):
        info = json.loads(sidecar.read_text(encoding="utf-8"))
        name = info["figure"]
        writer.writerow([name, info["lesson"], f"{name}.png", f"{name}.svg", info["alt"], info.get("shows", "")])
    return buffer.getvalue()


# The lab template minus what it would fetch from a CDN: require.js and the widget renderer
# are the local copies (see editions), MathJax and Mermaid are left out: no lesson has math or
# diagrams, and MathJax would read "$13.7 billion ... $" as a formula.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
{% block extra_css %}<style>
.vientiane-nav{font:14px sans-serif;padding:12px 0 12px 104px}
/* Links in running text are underlined, not told by colour alone (WCAG 1.4.1). */
.jp-RenderedHTMLCommon a,main a{text-decoration:underline}
/* WCAG AA contrast: the default prompts are #b0b0b0 on white (2.2:1). */
body.jp-Notebook{--jp-cell-prompt-not-active-opacity:1;--jp-cell-prompt-not-active-font-color:#595959;
--jp-cell-inprompt-font-color:#595959;--jp-cell-outprompt-font-color:#595959}
/* Code colours with at least 4.5:1 on the code cells' #f5f5f5 (the defaults go down to 2.9:1). */
body.jp-Notebook{--jp-mirror-editor-atom-color:#4040c0;--jp-mirror-editor-bracket-color:#5f5f48;
--jp-mirror-editor-builtin-color:#006400;--jp-mirror-editor-comment-color:#2f6262;--jp-mirror-editor-def-color:#0000d0;
--jp-mirror-editor-error-color:#b00000;--jp-mirror-editor-header-color:#0000c0;--jp-mirror-editor-hr-color:#707070;
--jp-mirror-editor-keyword-color:#006400;--jp-mirror-editor-meta-color:#7a1fc0;--jp-mirror-editor-number-color:#006400;
--jp-mirror-editor-operator-color:#7a1fc0;--jp-mirror-editor-quote-color:#006400;--jp-mirror-editor-tag-color:#116611}
/* Links in running text are underlined, not told apart by colour alone (axe: link-in-text-block). */
body .jp-RenderedHTMLCommon a:link,body .jp-RenderedHTMLCommon a:visited{text-decoration:underline}
</style>{% endblock %}
{% block body_header %}{{ super() }}{{ resources.vientiane_jsonld }}{{ resources.vientiane_nav }}{% endblock %}
{% block body_footer %}{{ resources.vientiane_nav }}{{ super() }}{% endblock %}
{#- The figure's alt text (written from the data, kept in the output's metadata) as the img's alt. -#}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alttext = output | get_metadata('alt', 'image/png') %}
{%- if alttext %} alt="{{ alttext | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
"""


def editions(notebooks: dict[str, str], folder: Path, docs: dict[str, str] | None = None) -> None:
    """Write the editions into ``folder``: ``html/`` (students), ``html-teacher/``,
    ``student/`` (notebooks without teacher cells or outputs: the class edition), and the
    self-study edition, ``self-study/`` (notebooks) and ``html-self-study/``: the student
    edition plus the guide's folded model answers after each discussion and written task.

    ``notebooks`` maps each lesson's name to its executed notebook's text; ``docs`` the
    Markdown documents by name (default: ``documents()``, those of the collection). Each
    students' HTML edition carries its own notebooks (``notebooks/``), so the folder can be
    handed out alone.

    Example (it writes every edition, so it is not a doctest)::

        editions({"00_start_here": executed_text}, Path("build"))
    """
    import nbformat

    docs = documents() if docs is None else docs
    public = {name: docs[name] for name in STUDENT_DOCUMENTS if name in docs}
    names = sorted(notebooks)
    teacher = {name: nbformat.reads(notebooks[name], as_version=4) for name in names}
    titles = {name: title_of(teacher[name], name) for name in names}
    about = {name: lesson_summary(teacher[name], titles[name]) for name in names}
    guide = docs.get("teacher_guide", "")

    def self_study(name: str, keep_outputs: bool = False):
        return self_study_notebook(teacher[name], name[:2], guide, keep_outputs)

    students = {name: student_notebook(teacher[name], keep_outputs=True) for name in names}
    class_notebooks = {name: student_notebook(teacher[name]) for name in names}
    self_notebooks = {name: self_study(name) for name in names}
    folder = Path(folder)
    _html_edition(folder / "html", students, titles, "student", public, about, class_notebooks)
    self_pages = {name: self_study(name, keep_outputs=True) for name in names}
    _html_edition(folder / "html-self-study", self_pages, titles, "self-study", public, about, self_notebooks)
    teachers_docs = public | {name: docs[name] for name in TEACHER_DOCUMENTS if name in docs}
    _html_edition(folder / "html-teacher", teacher, titles, "teacher", teachers_docs, about)
    for edition, copies in (("student", class_notebooks), ("self-study", self_notebooks)):
        _write_notebooks(folder / edition, copies, public)


def _write_notebooks(target: Path, notebooks: dict, docs: dict) -> None:
    import nbformat

    target.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, target / f"{name}.ipynb")
    for name, document in docs.items():  # never a teacher document
        (target / f"{name}.md").write_text(document, encoding="utf-8")


def student_notebook(nb, keep_outputs: bool = False):
    """A copy of lesson ``nb`` for students: no cell with a teacher-only role, and
    without outputs (``keep_outputs`` keeps those of the remaining cells, and only the widget
    state they show: the HTML edition).

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("1"), new_code_cell("2", metadata={"tags": ["solution"]})])
    >>> [c.source for c in student_notebook(nb).cells]
    ['1']
    """
    from .steps import ClearOutputs, DropRoles, PruneWidgetState

    outputs = PruneWidgetState() if keep_outputs else ClearOutputs()
    nb, _ = apply(copy.deepcopy(nb), DropRoles(roles=list(TEACHER_ONLY)), outputs)
    return nb


def self_study_notebook(nb, lesson: str, guide: str, keep_outputs: bool = False):
    """The self-study copy of lesson ``nb`` (number ``lesson``, "02"): its student copy (``student_notebook``) with the
    teacher guide's folded model answers (``guide``: the guide's Markdown) after each
    discussion and written task; one the guide has no model answer for raises ``ValueError``.
    The self-study edition and the live edition use it.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("# 07 A lesson"), new_markdown_cell("### Discuss\\n\\n1. Why?")])
    >>> from vientiane_teacher.model_answers import SECTION
    >>> guide = "## " + SECTION + "\\n\\nLevels.\\n\\n### Discuss 07\\n\\n1. Because."
    >>> len(self_study_notebook(nb, "07", guide).cells)
    3
    """
    answers = model_answers(guide).get(lesson, {}) if guide else {}
    step = AddModelAnswers(lesson=lesson, rubric=rubric_levels(guide) if guide else "", **answers)
    return apply(student_notebook(nb, keep_outputs), step)[0]


def lesson_summary(nb, title: str) -> dict:
    """Title, estimated minutes and question of a lesson (its first Markdown cell), for the
    index pages and the pages' schema.org description.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> first = "# 07 · Tiny\\n\\n*Estimated time: 5 minutes*\\n\\n**Question:** Why?"
    >>> lesson_summary(new_notebook(cells=[new_markdown_cell(first)]), "Tiny")
    {'title': 'Tiny', 'minutes': 5, 'question': 'Why?'}
    """
    from vientiane.lessons import summary

    first = next((text(c.source) for c in nb.cells if c.cell_type == "markdown"), "")
    return {**summary(first, title), "title": title}


def learning_resource(about: dict, audience: str) -> str:
    """The page's schema.org ``LearningResource`` description (JSON-LD), from the lesson's own
    first cell: no level or objective is claimed that the lesson does not state.

    >>> print(learning_resource({"title": "Tiny", "minutes": 5, "question": "Why?"}, "student")[:47])
    <script type="application/ld+json">{"@context":
    """
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": about["title"],
        "isPartOf": {"@type": "Course", "name": TITLE},
        "learningResourceType": "lesson",
        "inLanguage": "en",
        "educationalUse": "self-study" if audience == "self-study" else "classroom",
        "isAccessibleForFree": True,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "accessMode": ["textual", "visual"],
        "accessModeSufficient": ["textual"],
        "accessibilityFeature": ["alternativeText", "structuralNavigation"],
        "accessibilityHazard": ["none"],
        "accessibilitySummary": ACCESSIBILITY,
    }
    if about.get("minutes"):
        data["timeRequired"] = f"PT{about['minutes']}M"
    if about.get("question"):
        data["teaches"] = about["question"]
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")  # never ends the script early
    return f'<script type="application/ld+json">{text}</script>'


def _html_edition(pages: Path, notebooks: dict, titles: dict, audience: str, docs: dict, about: dict, downloads=None):
    """One HTML edition: a page per lesson and per document, an index, and (``downloads``)
    the edition's notebooks in ``notebooks/`` for the index to link."""
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_markdown_cell, new_notebook

    pages.mkdir(parents=True)
    for name in ("require.js", "embed-amd.js"):
        shutil.copyfile(STATIC / name, pages / name)
    exporter = HTMLExporter(
        template_name="lab", raw_template=PAGE_TEMPLATE, require_js_url="require.js", widget_renderer_url="embed-amd.js"
    )
    names = sorted(notebooks)
    doc_titles = {name: title_of(new_notebook(cells=[new_markdown_cell(docs[name])]), name) for name in docs}
    glossary = "glossary" in docs
    for i, name in enumerate(names):
        # The template gives each widget output a random uuid4 as HTML id: number them instead.
        count = itertools.count()
        exporter.environment.globals["uuid4"] = lambda n=name, c=count: uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:{next(c)}")
        resources = {
            "metadata": {"name": titles[name]},
            "vientiane_nav": _nav(names, titles, i, glossary),
            "vientiane_jsonld": learning_resource(about[name], audience),
        }
        nb, _ = apply(copy.deepcopy(notebooks[name]), LinkPages())  # links to glossary.md etc. go to their pages
        page, _ = exporter.from_notebook_node(nb, resources=resources)
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
    for name in sorted(docs):  # a notebook of one markdown cell, in the lessons' template
        cell = new_markdown_cell(docs[name], id=name)  # a fixed cell id: the same bytes build after build
        nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
        nav = '<nav class="vientiane-nav"><a href="index.html">All lessons</a></nav>'
        resources = {"metadata": {"name": doc_titles[name]}, "vientiane_nav": nav}
        page, _ = exporter.from_notebook_node(nb, resources=resources)
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
    if downloads:
        import nbformat

        (pages / "notebooks").mkdir()
        for name, nb in downloads.items():
            nbformat.write(nb, pages / "notebooks" / f"{name}.ipynb")
    heading = {"student": TITLE, "self-study": f"{TITLE}: self-study", "teacher": f"{TITLE}: teacher edition"}[audience]
    index = _index_page(names, about, heading, INTRODUCTIONS[audience], doc_titles, bool(downloads))
    (pages / "index.html").write_text(index, encoding="utf-8")


def _nav(names: list[str], titles: dict, i: int, glossary: bool = False) -> str:
    links = ['<a href="index.html">All lessons</a>'] + (['<a href="glossary.html">Glossary</a>'] if glossary else [])
    if i > 0:
        links.insert(0, f'<a rel="prev" href="{names[i - 1]}.html">← {html.escape(titles[names[i - 1]])}</a>')
    if i + 1 < len(names):
        links.append(f'<a rel="next" href="{names[i + 1]}.html">{html.escape(titles[names[i + 1]])} →</a>')
    return f'<nav class="vientiane-nav">{" · ".join(links)}</nav>'


def _emphasis(escaped: str) -> str:
    """Markdown's *emphasis* in a lesson's question, as HTML (the text is already escaped).

    >>> _emphasis("unites *all* states")
    'unites <em>all</em> states'
    """
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)


def _index_page(names: list[str], about: dict, heading: str, introduction: str, docs: dict, downloads: bool) -> str:
    """The edition's index: an introduction, then the lessons in order with their time and
    question (and a link to the notebook), then the documents."""

    def item(name: str) -> str:
        lesson = about[name]
        minutes = f" <span>({lesson['minutes']} minutes)</span>" if lesson.get("minutes") else ""
        question = f"<br>{_emphasis(html.escape(lesson['question']))}" if lesson.get("question") else ""
        notebook = f' · <a href="notebooks/{name}.ipynb" download>notebook</a>' if downloads else ""
        return f'<li><a href="{name}.html">{html.escape(lesson["title"])}</a>{minutes}{notebook}{question}</li>'

    total = sum(about[n].get("minutes") or 0 for n in names)
    items = "\n".join(item(n) for n in names)
    order = [*TEACHER_DOCUMENTS, *STUDENT_DOCUMENTS]
    more = "\n".join(
        f'<li><a href="{n}.html">{html.escape(t)}</a></li>'
        for n, t in sorted(docs.items(), key=lambda d: order.index(d[0]) if d[0] in order else len(order))
    )
    extra = f'\n<nav aria-label="Also">\n<h2>Also</h2>\n<ul>\n{more}\n</ul>\n</nav>' if more else ""
    lessons = f"<h2>The lessons, in order ({len(names)} lessons, about {total} minutes)</h2>"
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(heading)}</title>\n'
        "<style>body{font:16px sans-serif;max-width:50em;margin:2em auto}li{margin:.6em 0}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{html.escape(heading)}</h1>\n<p>{html.escape(introduction)}</p>\n"
        f'<nav aria-label="Lessons">\n{lessons}\n<ol>\n{items}\n</ol>\n</nav>{extra}\n</main>\n</body>\n</html>\n'
    )
