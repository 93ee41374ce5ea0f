"""``make handouts``: the printable seminar kit, in ``build/handouts/``.

    python -m vientiane_teacher.handouts          # every lesson and the kit
    python -m vientiane_teacher.handouts 04       # lesson 04 (and the kit)

Writes, offline, with Debian's Chromium (Playwright's ``page.pdf``, tagged PDF):

* ``NN_<topic>.pdf``: each lesson as the class edition prints it: the student notebook
  (``editions.student_notebook``: no solutions, no teacher notes) with its outputs, long code
  lines wrapped, every figure's alt text kept (a tagged PDF carries it to screen readers);
* ``seminar_kit.pdf``: from ``notebooks/seminar_kit.md`` (teacher material, in no student
  edition): group cards for lesson 04's definitions of "the region", the source sheet for the
  pair task, the board plan and the homework brief with its rubric. Counts, lists and minutes
  are filled in from the data package and the teacher guide's plan (``{{placeholders}}``).

The HTML each PDF is printed from stays beside it in ``build/handouts/html/``. Everything is
written to a temporary folder first and moved into place when all succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .lessons import ROOT, lessons

KIT = "seminar_kit"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
ON = "2016-07-26"  # the day of the Vientiane meetings the group task asks about
PRINT_CSS = """
@page{size:A4;margin:14mm 13mm 16mm 13mm}
@media print{body{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
/* Long code lines wrap instead of running off the page. */
.jp-InputArea-editor pre,.highlight pre,.jp-OutputArea-output pre,pre{white-space:pre-wrap!important;
overflow-wrap:anywhere;word-break:break-word}
.jp-InputArea-editor,.jp-OutputArea-output{overflow:visible!important}
/* A scrolling or flex box cannot be split across pages: a long table would leave a page blank. */
.jp-Cell *{overflow:visible!important}
/* An explorer's controls stay on the page: a long option wraps the row instead of widening it. */
.widget-hbox{flex-wrap:wrap!important}.jupyter-widgets,.jupyter-widgets select{max-width:100%!important}
.jp-Cell-outputWrapper,.jp-OutputArea,.jp-OutputArea-child{display:block!important}
.jp-InputPrompt,.jp-OutputPrompt{flex:0 0 0!important;min-width:0!important;width:0!important;padding:0!important;
visibility:hidden}
.jp-Cell{padding:2px 0!important}
.jp-Cell-inputWrapper,.jp-RenderedImage{break-inside:avoid-page}
img{max-width:100%!important;height:auto!important;break-inside:avoid}
.jp-RenderedHTMLCommon table{table-layout:auto;width:auto;max-width:100%;font-size:8.5pt}
/* No word is cut across lines unless it is wider than the page ("par / agr / aph", "ASEA / N" beside
a column of long texts): break-word, unlike anywhere, leaves a column at least its longest word wide;
a column's name is never cut. */
.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{white-space:normal!important;overflow-wrap:break-word;
max-width:none!important;text-align:left!important;vertical-align:top}
.jp-RenderedHTMLCommon thead th{overflow-wrap:normal!important;word-break:normal!important}
.jp-OutputArea-child,.jp-RenderedHTMLCommon table{break-inside:auto!important}.jp-RenderedHTMLCommon tr{break-inside:avoid}
.jp-RenderedHTMLCommon tbody th{white-space:nowrap!important;overflow-wrap:normal!important}
.vientiane-nav{padding:0 0 8px 0!important;color:#333}
"""


# ------------------------------------------------------------------------------ lessons


def lesson_html(nb, title: str) -> str:
    """The class edition of executed lesson ``nb`` as one printable HTML page.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 00 · Tiny")])
    >>> "<h1" in lesson_html(nb, "00 · Tiny")
    True
    """
    from nbconvert import HTMLExporter

    from .editions import PAGE_TEMPLATE, student_notebook

    template = PAGE_TEMPLATE.replace("</style>{% endblock %}", PRINT_CSS + "</style>{% endblock %}", 1)
    exporter = HTMLExporter(
        template_name="lab", raw_template=template, require_js_url="require.js", widget_renderer_url="embed-amd.js"
    )
    nav = f'<p class="vientiane-nav">Class edition · {html.escape(title)} · printed from the collection</p>'
    resources = {"metadata": {"name": title}, "vientiane_nav": nav}
    page, _ = exporter.from_notebook_node(student_notebook(nb, keep_outputs=True), resources=resources)
    return page


# ------------------------------------------------------------------------------ the kit


def names(facts, ids) -> str:
    """Countries and economies by their short names, in a sentence ("nobody" for none)."""
    short = facts.countries.set_index("id")["short_name"]
    found = sorted(str(short.get(i, i)) for i in ids)
    return ", ".join(found) if found else "nobody"


def group_cards(facts, on: str = ON) -> str:
    """One card per definition of "the region" (``queries.REGIONS``), each on its own page:
    what the definition means, how many it counts on ``on``, whom it leaves out of everyone some
    definition counts, the task and the actor question.

    >>> import vientiane
    >>> "Which actor would choose this definition, and why?" in group_cards(vientiane.load())
    True
    """
    from vientiane import queries

    # The definitions do not nest (the geographic one counts states no forum has), so each card
    # says whom it leaves out of everyone that some definition counts.
    regions = {d: set(queries.region(facts, d, on=on)) for d in queries.REGIONS}
    everyone = set().union(*regions.values())
    cards = []
    for number, (definition, meaning) in enumerate(queries.REGIONS.items(), start=1):
        region = regions[definition]
        outside = everyone - region
        leaves_out = (
            f"Of the {len(everyone)} states and economies that some definition counts, it leaves out "
            f"{len(outside)}: {html.escape(names(facts, outside))}."
            if outside
            else "It leaves out none of the states and economies the other definitions count."
        )
        cards.append(
            '<section class="card">'
            f"<h3>Group card {number}: &ldquo;{html.escape(definition)}&rdquo;</h3>"
            f"<p><b>The region is</b> {html.escape(meaning)}.</p>"
            f"<p><b>On 26 July 2016 that is {len(region)} states and economies.</b> {leaves_out}</p>"
            "<p><b>Your task (lesson 04's coverage explorer, or the map).</b> Set the region to your definition and "
            "the date to 26 July 2016. Which body leaves out the fewest? List whom it leaves out.</p>"
            '<p class="fill">Under our definition, Lavrov&rsquo;s claim is ______________ because '
            "_____________________________________________.</p>"
            "<p><b>Which actor would choose this definition, and why?</b> Moscow, Washington, Beijing, ASEAN: "
            "name one, and say what the definition does for its case (an inference: label it so).</p>"
            '<p class="fill">______________________________________________________________</p>'
            "</section>"
        )
    return "".join(cards)


def _excerpt(note: str) -> str:
    """The longest passage in single quotation marks of a source's note (its quoted words)."""
    quoted = re.findall(r"'([^']{40,})'", note or "")
    return max(quoted, key=len) if quoted else ""


def _no_owner(row) -> str:
    if isinstance(row["original_publisher"], str) and row["original_publisher"]:
        return "not recorded for this copy: ask who owns the first publisher"
    return "not recorded"


def source_sheet(facts, paragraph: int = 15, other: str = "rusemb_uk_yakovenko") -> str:
    """The two sources of the pair task side by side: who publishes and owns each, and the
    excerpt (the article's ¶``paragraph``; the other source's words as the data quotes them).

    >>> import vientiane
    >>> "Rossiyskaya Gazeta" in source_sheet(vientiane.load())
    True
    """
    sources = facts.sources.set_index("id")
    text = facts.paragraphs().set_index("paragraph").loc[paragraph, "text"]
    columns = []
    for source, words in (("rd2016", text), (other, _excerpt(sources.loc[other, "note"]))):
        row = sources.loc[source]
        facts_rows = [
            ("source id", source),
            ("title", row["title"]),
            ("publisher", row["publisher"]),
            ("affiliation", str(row["affiliation"]).replace("_", " ")),
            ("owner / funder", row["owner"] if isinstance(row["owner"], str) and row["owner"] else _no_owner(row)),
            ("first published by", row["original_publisher"] if isinstance(row["original_publisher"], str) else ""),
            ("speaks for", str(row["speaks_for"])),
        ]
        cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts_rows if v)
        label = f"¶{paragraph} of the article" if source == "rd2016" else "as the collection quotes it"
        columns.append(
            f'<div class="source"><table>{cells}</table>'
            f"<blockquote><p>{html.escape(words)}</p><footer>{html.escape(label)}</footer></blockquote></div>"
        )
    return f'<div class="sources">{"".join(columns)}</div>'


def plan(guide: str, length: int = 90) -> list[tuple[int, str]]:
    """The blocks of the guide's ``length``-minute plan: (minutes, block), in order.

    >>> plan("## A 5-minute plan\\n\\n| min | block |\\n| --- | --- |\\n| 5 | Hook |\\n", 5)
    [(5, 'Hook')]
    """
    parts = re.split(r"(?m)^## (.+)$", guide)
    sections = {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}
    section = next(s for h, s in sections.items() if re.search(rf"\b{length}-minute\b", h))
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    blocks = []
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        blocks.append((int(cells[0]), re.sub(r"[*`]", "", cells[1])))
    return blocks


def board_plan(facts, guide: str) -> str:
    """The board: question of the day and tally, each definition's verdict, the source
    grid, and the timing strip of the guide's 90-minute plan (start times added up).

    >>> import vientiane
    >>> from vientiane_teacher.handouts import board_plan, ROOT
    >>> "0:00" in board_plan(vientiane.load(), (ROOT / "notebooks" / "teacher_guide.md").read_text())
    True
    """
    from vientiane import queries

    blocks = plan(guide)
    starts = {block: sum(m for m, _ in blocks[:i]) for i, (_, block) in enumerate(blocks)}

    def when(word: str) -> str:
        """ "(Hook: predict, from 0:05)": the block whose name starts with ``word``."""
        block = next((b for b in starts if b.lower().startswith(word.lower())), None)
        if block is None:
            return ""
        return f" <i>({html.escape(block)}, from {starts[block] // 60}:{starts[block] % 60:02d})</i>"

    columns = "".join(f"<td><b>{html.escape(d)}</b><br>verdict: ______</td>" for d in queries.REGIONS)
    width = len(queries.REGIONS)  # one column per definition: every row spans them all
    board = (
        f'<table class="board"><tr><td colspan="{width // 2}"><b>Question of the day</b>: is there an '
        f"&ldquo;umbrella&rdquo; uniting all Asia-Pacific states (¶15)?{when('Hook')}<br>"
        "Tally: yes ___ · no ___ · it depends ___</td>"
        f'<td colspan="{width - width // 2}"><b>Two sources, four questions</b>: owner · funder · audience · '
        f"purpose{when('Pair')}</td>"
        f'</tr><tr><td colspan="{width}" class="label"><b>The verdict by definition</b>{when("Plenary")}</td></tr>'
        f"<tr>{columns}</tr>"
        f'<tr><td colspan="{width}"><b>Homework</b>: the memo on lesson 05 (brief handed out); lesson 05 and its '
        f"written task{when('Exit')}</td></tr></table>"
    )
    start, strip = 0, []
    for minutes, block in blocks:
        strip.append(
            f"<tr><td>{start // 60}:{start % 60:02d}</td><td>{minutes} min</td><td>{html.escape(block)}</td></tr>"
        )
        start += minutes
    strip.append(f"<tr><td>{start // 60}:{start % 60:02d}</td><td></td><td>end</td></tr>")
    return (
        board + '<table class="timing"><tr><th>from</th><th>for</th><th>block</th></tr>' + "".join(strip) + "</table>"
    )


KIT_CSS = """
@page{size:A4;margin:16mm 15mm}
body{font:10.5pt/1.4 "DejaVu Sans",sans-serif;color:#111;max-width:none;margin:0}
h1{font-size:17pt}h2{font-size:14pt;break-before:page;margin-top:0}h1+p+p+h2{break-before:auto}
h3{font-size:12.5pt}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:9pt}th,td{border:1px solid #555;padding:3px 5px;
vertical-align:top;text-align:left}
.card{break-after:page;border:2px solid #111;padding:4mm 6mm;margin:0 0 4mm 0}.card:last-child{break-after:auto}
.fill{line-height:2.2}
.sources{display:flex;gap:4mm;font-size:9pt}.source{flex:1}.source th{width:28%;font-weight:600}
.sources table{margin:.2em 0}.sources th,.sources td{padding:2px 4px}
h2+p+.sources+table{font-size:9.5pt}h2+p+.sources+table td{height:9mm;padding:2px 4px}
blockquote{margin:.6em 0;padding:.4em .8em;border-left:4px solid #444;font-style:italic}
blockquote footer{font-style:normal;font-size:9pt}
.board td{height:22mm}.board td.label{height:auto}.timing td{height:auto}
h2+p+.sources+table th:first-child{width:38%}
"""


def kit_html(facts, text: str, guide: str) -> str:
    """The kit's Markdown ``text`` as one printable HTML page, placeholders filled in.

    >>> import vientiane
    >>> page = kit_html(vientiane.load(), "# Kit\\n\\n{{group_cards}}\\n", "")
    >>> "Group card 1" in page and "{{" not in page
    True
    """
    import mistune

    fill = {
        "group_cards": lambda: group_cards(facts),
        "source_sheet": lambda: source_sheet(facts),
        "board_plan": lambda: board_plan(facts, guide),
    }
    unknown = sorted(set(PLACEHOLDER.findall(text)) - set(fill))
    if unknown:
        raise ValueError(f"notebooks/{KIT}.md: unknown placeholder(s) {unknown}; known: {sorted(fill)}")
    body = mistune.html(text)
    body = re.sub(r"<p>\{\{(\w+)\}\}</p>", lambda m: fill[m.group(1)](), body)
    title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), "Seminar kit")
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f"<style>{KIT_CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------ printing


def print_pdfs(pages: list[tuple[Path, Path]], out=None, browser=None) -> None:
    """Print each HTML page to its PDF with Debian's Chromium: A4, tagged (headings, tables
    and figures with their alt text in the structure tree), with an outline; offline (every
    request but the page's own folder is refused).

    ``browser``: a Playwright browser or context to print with (the tests' own); by default
    Debian's Chromium is started for the run. Raises RuntimeError when Chromium or playwright
    is missing.
    """
    if browser is not None:
        _print_with(browser, pages, out or sys.stdout)
        return
    from .audit import CHROMIUM_FLAGS, chromium

    found = chromium()
    if found is None:
        raise RuntimeError("Debian's chromium is not installed (as root, `make browser` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        engine = playwright.chromium.launch(
            executable_path=found, headless=True, args=[*CHROMIUM_FLAGS, "--export-tagged-pdf"]
        )
        try:
            _print_with(engine, pages, out or sys.stdout)
        finally:
            engine.close()


def _print_with(engine, pages: list[tuple[Path, Path]], out) -> None:
    from .audit import WIDGET_VIEW, local_only, served

    for source, target in pages:
        with served(source.parent) as base:
            page = engine.new_page()  # a browser or a context: the viewport is set apart
            page.set_viewport_size({"width": 1000, "height": 1400})
            page.route("**/*", local_only)
            page.goto(f"{base}/{source.name}", wait_until="load", timeout=60_000)
            if page.query_selector(f"script[type='{WIDGET_VIEW}']"):
                with contextlib.suppress(Exception):  # the saved views render from the widget state
                    page.wait_for_selector(".jupyter-widgets", timeout=10_000)
            page.emulate_media(media="print")
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                tagged=True,
                outline=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font:8px sans-serif;width:100%;text-align:center">'
                    '<span class="title"></span> · page <span class="pageNumber"></span> of '
                    '<span class="totalPages"></span></div>'
                ),
            )
            page.close()
        print(f"{target.name:40} printed", file=out, flush=True)


def handouts(root: Path = ROOT, only: list[str] | None = None, out=None) -> Path:
    """Write ``build/handouts/`` (see the module's help); returns that folder.

    ``only``: lesson numbers ("04") to print; the kit is always printed.

    Example (it prints PDFs in Chromium, so not run as a doctest)::

        handouts(only=["04"])   # build/handouts/04_security_architecture.pdf and the kit
    """
    import nbformat

    import vientiane

    from .editions import STATIC

    root = Path(root)
    target = root / "build" / "handouts"
    chosen = [p for p in lessons(root) if not only or p.name[:2] in only]
    if only and len(chosen) < len(set(only)):
        raise SystemExit(f"no lesson numbered {sorted(set(only) - {p.name[:2] for p in chosen})} in notebooks/")
    (root / "build").mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-handouts-", dir=root / "build"))
    try:
        pages = staging / "html"
        pages.mkdir()
        for name in ("require.js", "embed-amd.js"):
            shutil.copyfile(STATIC / name, pages / name)
        jobs = []
        for path in chosen:
            nb = nbformat.read(path, as_version=4)
            title = next(
                (
                    line[2:]
                    for c in nb.cells
                    if c.cell_type == "markdown"
                    for line in c.source.splitlines()
                    if line.startswith("# ")
                ),
                path.stem,
            )
            (pages / f"{path.stem}.html").write_text(lesson_html(nb, title), encoding="utf-8")
            jobs.append((pages / f"{path.stem}.html", staging / f"{path.stem}.pdf"))
        kit = (root / "notebooks" / f"{KIT}.md").read_text(encoding="utf-8")
        guide = (root / "notebooks" / "teacher_guide.md").read_text(encoding="utf-8")
        (pages / f"{KIT}.html").write_text(kit_html(vientiane.load(), kit, guide), encoding="utf-8")
        jobs.append((pages / f"{KIT}.html", staging / f"{KIT}.pdf"))
        print_pdfs(jobs, out=out)
        if only and target.is_dir():  # keep the other lessons' PDFs
            for old in target.glob("*.pdf"):
                if not (staging / old.name).exists():
                    shutil.copy2(old, staging / old.name)
            for old in (target / "html").glob("*.html"):
                if not (pages / old.name).exists():
                    shutil.copy2(old, pages / old.name)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.handouts", description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to print (default: all)")
    args = parser.parse_args(argv)
    try:
        folder = handouts(only=args.lessons or None)
    except RuntimeError as error:
        print(f"make handouts: {error}", file=sys.stderr)
        return 1
    print(f"handouts in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
