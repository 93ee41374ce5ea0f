"""The editions made from the executed lessons: HTML for students and for teachers, and the
student notebooks (no solutions, no outputs), plus ``figures/index.csv``.

Cells tagged ``solution`` (worked solutions) and ``teacher`` (notes for the teacher) are the
teacher's: they are in ``notebooks/`` and in ``build/html-teacher/``, never in ``build/html/``
or ``build/student/``.

Beside the lessons, Markdown documents in ``notebooks/``: the glossary and the reading list
(``STUDENT_DOCUMENTS``) go into every edition (an HTML page in both HTML editions, the ``.md``
file in ``build/student/``); the teacher guide (``TEACHER_DOCUMENTS``) only into
``build/html-teacher/``. Both index pages link them, and every lesson page links the glossary.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
import shutil
import uuid
from pathlib import Path

from .runner import WIDGET_STATE

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC = Path(__file__).resolve().parent / "static"  # the vendored widget renderer
TEACHER_TAGS = ("solution", "teacher")
TITLE = "Lavrov in Vientiane, July 2016"
STUDENT_DOCUMENTS = ("glossary", "reading_list")  # notebooks/<name>.md, for everyone
TEACHER_DOCUMENTS = ("teacher_guide",)  # notebooks/<name>.md, teacher edition only


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
{% block body_header %}{{ super() }}{{ resources.vientiane_nav }}{% endblock %}
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
    """Write the three editions into ``folder``: ``html/`` (students), ``html-teacher/`` and
    ``student/`` (notebooks without teacher cells or outputs).

    ``notebooks`` maps each lesson's name to its executed notebook's text; ``docs`` the
    Markdown documents by name (default: ``documents()``, those of the collection).

    Example (it writes every edition, so it is not a doctest)::

        editions({"00_start_here": executed_text}, Path("build"))
    """
    import nbformat

    docs = documents() if docs is None else docs
    public = {name: docs[name] for name in STUDENT_DOCUMENTS if name in docs}
    names = sorted(notebooks)
    teacher = {name: nbformat.reads(notebooks[name], as_version=4) for name in names}
    titles = {name: _title(teacher[name], name) for name in names}
    students = {name: student_notebook(teacher[name], keep_outputs=True) for name in names}
    _html_edition(Path(folder) / "html", students, titles, student=True, docs=public)
    teachers_docs = public | {name: docs[name] for name in TEACHER_DOCUMENTS if name in docs}
    _html_edition(Path(folder) / "html-teacher", teacher, titles, student=False, docs=teachers_docs)
    notebooks_folder = Path(folder) / "student"
    notebooks_folder.mkdir(parents=True)
    for name in names:
        nbformat.write(student_notebook(teacher[name]), notebooks_folder / f"{name}.ipynb")
    for name, text in public.items():  # never a teacher document
        (notebooks_folder / f"{name}.md").write_text(text, encoding="utf-8")


def student_notebook(nb, keep_outputs: bool = False):
    """A copy of lesson ``nb`` for students: no cell tagged ``solution`` or ``teacher``, and
    without outputs (``keep_outputs`` keeps those of the remaining cells, and only the widget
    state they show: the HTML edition).

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("1"), new_code_cell("2", metadata={"tags": ["solution"]})])
    >>> [c.source for c in student_notebook(nb).cells]
    ['1']
    """
    import copy

    from nbconvert.preprocessors import ClearOutputPreprocessor

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", [])) & set(TEACHER_TAGS)]
    if keep_outputs:
        _prune_widget_state(nb)
    else:
        nb, _ = ClearOutputPreprocessor(enabled=True).preprocess(nb, {})
        nb.metadata.pop("widgets", None)  # the state of widgets whose outputs are gone
    return nb


def _prune_widget_state(nb) -> None:
    """Keep only the widget models that the remaining outputs show (and the models they use)."""
    bundle = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not bundle:
        return
    state = bundle["state"]
    wanted = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    keep = set()
    while wanted:
        model = wanted.pop()
        if model in keep or model not in state:
            continue
        keep.add(model)
        wanted += re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model]))
    bundle["state"] = {k: v for k, v in state.items() if k in keep}


def _html_edition(pages: Path, notebooks: dict, titles: dict, student: bool, docs: dict | None = None) -> None:
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_markdown_cell, new_notebook

    pages.mkdir(parents=True)
    for name in ("require.js", "embed-amd.js"):
        shutil.copyfile(STATIC / name, pages / name)
    exporter = HTMLExporter(
        template_name="lab", raw_template=PAGE_TEMPLATE, require_js_url="require.js", widget_renderer_url="embed-amd.js"
    )
    names = sorted(notebooks)
    docs = docs or {}
    doc_titles = {name: _title(new_notebook(cells=[new_markdown_cell(docs[name])]), name) for name in docs}
    glossary = "glossary" in docs
    for i, name in enumerate(names):
        # The template gives each widget output a random uuid4 as HTML id: number them instead.
        count = itertools.count()
        exporter.environment.globals["uuid4"] = lambda n=name, c=count: uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:{next(c)}")
        resources = {"metadata": {"name": titles[name]}, "vientiane_nav": _nav(names, titles, i, glossary)}
        page, _ = exporter.from_notebook_node(notebooks[name], resources=resources)
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
    for name in sorted(docs):  # a notebook of one markdown cell, in the lessons' template
        cell = new_markdown_cell(docs[name], id=name)  # a fixed cell id: the same bytes build after build
        nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
        nav = '<nav class="vientiane-nav"><a href="index.html">All lessons</a></nav>'
        resources = {"metadata": {"name": doc_titles[name]}, "vientiane_nav": nav}
        page, _ = exporter.from_notebook_node(nb, resources=resources)
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
    heading = TITLE if student else f"{TITLE}: teacher edition"
    index = _index_page(names, titles, heading, student, doc_titles)
    (pages / "index.html").write_text(index, encoding="utf-8")


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


def _nav(names: list[str], titles: dict, i: int, glossary: bool = False) -> str:
    links = ['<a href="index.html">All lessons</a>'] + (['<a href="glossary.html">Glossary</a>'] if glossary else [])
    if i > 0:
        links.insert(0, f'<a rel="prev" href="{names[i - 1]}.html">← {html.escape(titles[names[i - 1]])}</a>')
    if i + 1 < len(names):
        links.append(f'<a rel="next" href="{names[i + 1]}.html">{html.escape(titles[names[i + 1]])} →</a>')
    return f'<nav class="vientiane-nav">{" · ".join(links)}</nav>'


def _index_page(names: list[str], titles: dict, heading: str, student: bool, docs: dict | None = None) -> str:
    notebook = ' (<a href="../student/{n}.ipynb">student notebook</a>)' if student else ""
    items = "\n".join(f'<li><a href="{n}.html">{html.escape(titles[n])}</a>{notebook.format(n=n)}</li>' for n in names)
    order = [*TEACHER_DOCUMENTS, *STUDENT_DOCUMENTS]
    more = "\n".join(
        f'<li><a href="{n}.html">{html.escape(t)}</a></li>'
        for n, t in sorted((docs or {}).items(), key=lambda d: order.index(d[0]) if d[0] in order else len(order))
    )
    extra = f'\n<nav aria-label="Also">\n<h2>Also</h2>\n<ul>\n{more}\n</ul>\n</nav>' if more else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(heading)}</title>\n'
        "<style>body{font:16px sans-serif;max-width:50em;margin:2em auto}li{margin:.4em 0}</style>\n</head>\n"
        f'<body>\n<main>\n<h1>{html.escape(heading)}</h1>\n<nav aria-label="Lessons">\n<ul>\n{items}\n</ul>\n</nav>{extra}\n</main>\n</body>\n</html>\n'
    )
