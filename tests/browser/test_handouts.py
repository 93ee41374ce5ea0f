"""``make handouts`` prints with Debian's Chromium: a lesson page becomes a tagged A4 PDF whose
structure tree has the headings and the figure with its alt text, and long code lines wrap."""

import base64
import io

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from vientiane_teacher import handouts
from vientiane_teacher.audit import served


def png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "#0072B2").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_lesson_prints_as_a_tagged_pdf_with_its_alt_text(context, tmp_path):
    long_line = "answer = " + " + ".join(f"value_{i}" for i in range(40))  # far wider than A4
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · A tiny lesson\n\n## A section"),
            new_code_cell(long_line),
            new_code_cell(
                "figure",
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/png": png(), "text/plain": "<Figure>"},
                        metadata={"image/png": {"alt": "A blue bar, the only figure of the tiny lesson"}},
                    )
                ],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    page = tmp_path / "00_tiny.html"
    page.write_text(handouts.lesson_html(nb, "00 · A tiny lesson"), encoding="utf-8")
    pdf = tmp_path / "00_tiny.pdf"
    handouts.print_pdfs([(page, pdf)], out=io.StringIO(), browser=context)  # the session's Chromium
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data, "not a tagged PDF"
    assert b"/S /H1" in data and b"/S /H2" in data, "the headings are not in the structure tree"
    assert b"/S /Figure" in data and b"/Alt (A blue bar, the only figure of the tiny lesson)" in data
    # Wrapped: the code cell's box is no wider than the page's text column.
    view = context.new_page()
    try:
        view.set_viewport_size({"width": 700, "height": 1000})
        with served(tmp_path) as base:
            view.goto(f"{base}/{page.name}")
            view.emulate_media(media="print")
            widths = view.evaluate(
                "() => { const pre = document.querySelector('.jp-InputArea-editor pre');"
                " return [pre.scrollWidth, pre.clientWidth]; }"
            )
    finally:
        view.close()
    assert widths[0] <= widths[1] + 1, f"the long code line overflows its box: {widths}"


# Words of table cells cut across lines (a hyphen is a place to break; a word wider than the
# page may be cut): each word's text on more than one line.
CUT_WORDS = """() => {
    const cut = [];
    for (const cell of document.querySelectorAll('.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.data.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
                if (lines > 1 && range.getBoundingClientRect().width < document.documentElement.clientWidth / 2) cut.push(m[0]);
            }
        }
    }
    return cut;
}"""


def test_no_word_of_a_printed_table_is_cut_across_lines(context, tmp_path):
    """Beside columns of long texts, "paragraph" printed as "par / agr / aph" and "ASEAN" as
    "ASEA / N" in every lesson; the real lessons are checked by the same rule below."""
    long_text = "During a series of meetings this week in Laos, Foreign Minister Sergei Lavrov continued. " * 3
    rows = "".join(f"<tr><th>{i}</th><td>ASEAN</td><td>{long_text}</td><td>{long_text}</td></tr>" for i in range(1, 4))
    table = f"<table><thead><tr><th>paragraph</th><th>id</th><th>text</th><th>counterpart_country</th></tr></thead><tbody>{rows}</tbody></table>"
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · A tiny lesson"),
            new_code_cell(
                "table", outputs=[new_output("execute_result", data={"text/html": table, "text/plain": "table"})]
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    page = tmp_path / "00_tiny.html"
    page.write_text(handouts.lesson_html(nb, "00 · A tiny lesson"), encoding="utf-8")
    view = context.new_page()
    try:
        view.set_viewport_size({"width": 700, "height": 1000})  # A4's text column, as printed
        with served(tmp_path) as base:
            view.goto(f"{base}/{page.name}")
            view.emulate_media(media="print")
            broken = view.evaluate(CUT_WORDS)
            assert view.locator(".jp-RenderedHTMLCommon thead th").count() == 4, "the table was not rendered"
    finally:
        view.close()
    assert not broken, f"words cut across lines: {broken}"
