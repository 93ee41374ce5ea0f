"""The live edition (build/live/, JupyterLite with Pyodide) in Debian's Chromium, offline.

One built site and one browser serve every test. The site is built here when it is missing or
made from other inputs (``live-edition.json`` records them). Every request that is not to the
site's own server is aborted and counted: there must be none. What a student does is checked
in the page: every lesson runs top to bottom and draws its figures, a right and a wrong answer
to an exercise, an explorer moved with the mouse and with the keyboard, an edit that survives a
reload, and "Reset this lesson".
"""

from __future__ import annotations

import inspect
import json
import re
import threading
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.explorer_answers import explorer_answers
from vientiane.checks import RESULT_MIME
from vientiane_teacher import lessons, live, present
from vientiane_teacher.steps import WIDGET_VIEW

from .jupyter_browser import ROOT, operate_first_control, output_snapshot, screenshot, wait_for_explorers

SITE = ROOT / "build" / "live"
KERNEL_READY = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const name = document.querySelector("[data-jp-item-name='kernelName']");
    return status && status.dataset.status === 'idle' && name && !/No Kernel/.test(name.innerText);
}"""
PROMPTS = "[...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')].map(p => p.innerText)"
# A code cell's outputs in the notebook in view, by the cell's index among code cells.
CELLS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(c => ({
    prompt: (c.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
    source: (c.querySelector('.jp-InputArea-editor') || {}).innerText || '',
    errors: [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).filter(t => /Traceback|Error:|Exception/.test(t)),
    images: c.querySelectorAll('.jp-OutputArea-output img').length,
    text: [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('\\n'),
}))"""


# ------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def live_site() -> Path:
    """build/live/, built now if it is missing or stale (a minute; downloads are cached)."""
    stamp = SITE / "live-edition.json"
    current = live.inputs_digest()
    if not stamp.is_file() or json.loads(stamp.read_text(encoding="utf-8")).get("inputs") != current:
        live.build(SITE)
    return SITE


class Requests:
    """What the browser asked for: the site's own files (by path) and anything else (aborted)."""

    def __init__(self, base: str):
        self.base, self.local, self.outside, self.missing = base, [], [], []

    def route(self, route):
        url = route.request.url
        if url.startswith(self.base):
            self.local.append(url[len(self.base) :])
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def response(self, response):
        # JupyterLite asks the server for a listing of every folder a kernel writes (figures/):
        # a 404 there means "nothing shipped here", not a missing file.
        if response.status >= 400 and "/api/contents/" not in response.url:
            self.missing.append(f"{response.status} {response.url}")


@pytest.fixture(scope="module")
def live_server(live_site, context):
    """The site on 127.0.0.1 (a free port) for this module, with every other host cut off and counted
    (module scope: the Lab and Voila tests after it must reach their own servers)."""
    httpd = live.server(live_site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    requests = Requests(f"http://127.0.0.1:{httpd.server_address[1]}/")
    context.route("**/*", requests.route)  # the last route added is asked first
    context.on("response", requests.response)
    try:
        yield requests
    finally:
        context.unroute("**/*", requests.route)
        context.remove_listener("response", requests.response)
        httpd.shutdown()
        httpd.server_close()


def _lesson_exercises() -> dict[str, list[tuple[str, str]]]:
    """Each lesson's exercises with their worked solutions (teacher cells; never in the site)."""
    found = {}
    for path in lessons.lessons(ROOT):
        nb = nbformat.read(path, as_version=4)
        EXPLORERS[path.name] = present.explorer_cells(nb)
        found[path.name] = [
            (re.search(r'vientiane\.check\("([\d.]+)"', c.source).group(1), c.source)
            for c in nb.cells
            if "solution" in c.metadata.get("tags", [])
        ]
    return found


EXPLORERS: dict[str, list[str]] = {}  # each lesson's explorers (the sources of its cells tagged present)
EXERCISES = _lesson_exercises()


# --------------------------------------------------------------------------- helpers


def open_lesson(page, server: Requests, name: str, kernel: bool = True) -> None:
    page.goto(f"{server.base}lab/index.html?path={name}", wait_until="domcontentloaded")
    wait_for_notebook(page, name)
    if kernel:
        page.wait_for_function(KERNEL_READY, timeout=300_000)


def wait_for_notebook(page, name: str) -> None:
    try:
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=120_000)
    except Exception as error:
        shot = screenshot(page, f"live-stuck-{Path(name).stem}")
        raise AssertionError(f"{name} did not open in the live edition (see {shot})") from error


# Run All's progress in the notebook in view: the first code cell whose output is an error
# (the run stops there), or done (kernel idle, no cell waiting), or not yet (null).
RUN_STATE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.widgets.filter(c => c.model.type === 'code');
    for (let i = 0; i < cells.length; i++) {
        const outputs = cells[i].model.outputs;
        for (let j = 0; j < outputs.length; j++) {
            const output = outputs.get(j).toJSON();
            if (output.output_type === 'error') {
                return {failed: i + 1, source: cells[i].model.sharedModel.getSource(),
                        error: output.ename + ': ' + output.evalue, traceback: (output.traceback || []).join('\\n')};
            }
        }
    }
    const status = panel.node.querySelector('.jp-Notebook-ExecutionIndicator');
    const busy = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].some(p => p.innerText.includes('*'));
    return status && status.dataset.status === 'idle' && !busy ? {done: true} : null;
}"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PYODIDE_ENAME = re.compile(r"<class '(?:[\w.]+\.)?(\w+)'>")  # Pyodide's kernel sends str(type) as ename


def run_all(page, lesson: str) -> list[dict]:
    """Run All Cells; fail as soon as a cell's output is an error, naming the lesson and the
    cell; else wait until every code cell ran."""
    started = f"() => {PROMPTS}.some(p => /\\[(\\*|\\d+)\\]/.test(p))"
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:  # a cell shows [*] at once when the run is queued
        page.wait_for_function(started, timeout=60_000)
    except PlaywrightTimeout:  # a Run All given as the kernel connects can be dropped: give it again
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(started, timeout=600_000)
    state = page.wait_for_function(RUN_STATE, timeout=600_000, polling=500).json_value()
    if "failed" in state:
        error = PYODIDE_ENAME.sub(r"\1", state["error"])
        raise AssertionError(
            f"{_cell_name(lesson, state['failed'], state['source'])} raised in the browser: {error}\n"
            f"{ANSI.sub('', state['traceback'])[-1500:]}"
        )
    cells = page.evaluate(CELLS_JS)
    for number, cell in enumerate(cells, start=1):
        where = _cell_name(lesson, number, cell["source"])
        assert not cell["errors"], f"{where} raised in the browser: {cell['errors'][0][-1500:]}"
        assert re.search(r"\[\d+\]", cell["prompt"]), f"{where} did not run (prompt {cell['prompt']!r})"
    return cells


def _cell_name(lesson: str, number: int, source: str) -> str:
    """How a failure names a cell: the lesson, the code cell's number (from 1) and its first line."""
    first_line = source.strip().splitlines()[0] if source.strip() else ""
    return f"{lesson}, code cell {number} ({first_line[:60]!r})"


# Every code cell's id and outputs (nbformat JSON) in the notebook in view.
OUTPUTS_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code')
    .map(c => ({id: c.model.sharedModel.getId(), outputs: c.model.outputs.toJSON()}))"""


def answers(outputs: list[dict]) -> dict:
    """What a cell's outputs say, without pixels: what it printed, its results' text and its
    self-checks' verdicts (not figures, not widgets' model ids, not warnings on stderr)."""

    def plain(value):
        return "".join(value) if isinstance(value, list) else value

    printed, results = "", []
    for output in outputs:
        data = output.get("data", {})
        if output["output_type"] == "stream" and output.get("name") == "stdout":
            printed += plain(output["text"])
        elif data and WIDGET_VIEW not in data and not any(key.startswith("image/") for key in data):
            key = RESULT_MIME if RESULT_MIME in data else "text/plain"
            results.append(data[key] if key == RESULT_MIME else plain(data.get(key, "")))
    return {"printed": printed, "results": results}


def pinned_answers(name: str) -> dict[str, dict]:
    """Each code cell's answers (by cell id) in the committed lesson, run with the pinned versions."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return {c.id: answers(c.outputs) for c in nb.cells if c.cell_type == "code"}


def run_new_cell(page, code: str, timeout: float = 120_000) -> str:
    """Add a code cell at the end of the lesson, type ``code`` into it, run it (``timeout`` in
    ms); return its output."""
    page.evaluate(
        """async (code) => {
            const app = window.jupyterapp, notebook = app.shell.currentWidget.content;
            notebook.activeCellIndex = notebook.widgets.length - 1;
            await app.commands.execute('notebook:insert-cell-below');
            notebook.activeCell.model.sharedModel.setSource(code);
            await app.commands.execute('notebook:run-cell');
        }""",
        code,
    )
    last = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell").last
    page.wait_for_function(
        "c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputArea-prompt').innerText)",
        arg=last.element_handle(),
        timeout=timeout,
    )
    return "\n".join(last.locator(".jp-OutputArea-output").all_inner_texts())


def operate_by_keyboard(page, explorer) -> str:
    """Change the explorer's first control with the keyboard alone; wait until its output changes."""
    before = output_snapshot(explorer)
    control = explorer.locator(":scope > .widget-hbox > *").first
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes or "widget-hslider" in classes:
        kind, target, key = "slider", control.locator(".noUi-handle").first, "ArrowRight"
    elif "widget-dropdown" in classes or "widget-select" in classes:
        # End / Home: headless Chromium does not move a closed <select> with the arrow keys.
        kind, target = "list", control.locator("select")
        last = target.evaluate("s => s.selectedIndex === s.options.length - 1")
        key = "Home" if last else "End"
    elif "widget-text" in classes:
        kind, target = "number", control.locator("input")
        key = "ArrowDown" if target.evaluate("b => b.value === b.max") else "ArrowUp"
    else:
        raise AssertionError(f"no keyboard way to operate a control with classes {classes!r}")
    target.focus()
    page.keyboard.press(key)
    if kind == "number":
        page.keyboard.press("Enter")
    handle = explorer.locator(".vientiane-output").first.element_handle()
    snapshot = "el => el.innerText + '\\n' + [...el.querySelectorAll('img')].map(i => i.src).join('\\n')"
    try:
        page.wait_for_function(f"([el, before]) => ({snapshot})(el) !== before", arg=[handle, before], timeout=60_000)
    except Exception as error:
        raise AssertionError(f"pressing {key} on the {kind} did not change the explorer's output") from error
    return kind


def local_feedback(solution: str) -> tuple[str, str, str]:
    """(exercise, feedback on the worked answer, feedback on a wrong one) in this Python (the pinned build)."""
    import contextlib
    import io

    import pandas as pd

    import vientiane
    from vientiane import checks

    namespace = {"vientiane": vientiane, "facts": vientiane.load(), "pd": pd}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(solution, namespace)
    exercise = re.search(r'vientiane\.check\("([\d.]+)"', solution).group(1)
    answer = namespace["answer"]
    return exercise, checks.feedback(exercise, answer)[0], checks.feedback(exercise, wrong(answer))[0]


def wrong(answer):
    """A near miss of a right answer: one more, one fewer, or another text."""
    if isinstance(answer, bool) or not isinstance(answer, (int, str, list, tuple)):
        return "nothing"
    if isinstance(answer, int):
        return answer + 1
    if isinstance(answer, str):
        return "Singapore" if answer != "Singapore" else "Laos"
    return list(answer)[:-1] or ["SGP"]


def browser_feedback_code(solution: str) -> str:
    """Code that runs the worked solution in the lesson's kernel and prints the feedback on it
    and on a near miss, as JSON (the same near miss ``wrong`` makes here)."""

    return "\n".join(
        [
            solution,
            inspect.getsource(wrong),
            "import json as _json",
            "from vientiane import checks as _checks",
            "_ex = " + repr(re.search(r'vientiane\.check\("([\d.]+)"', solution).group(1)),
            "print('FEEDBACK' + _json.dumps([_ex, _checks.feedback(_ex, answer)[0], _checks.feedback(_ex, wrong(answer))[0]]))",
        ]
    )


# ----------------------------------------------------------------------------- tests


def test_site_is_offline_small_and_for_students(live_site):
    """Pyodide local, PyPI off, no CDN named in the config; ≤ 60 MB; no source maps; no teacher cells."""
    live.check_site(live_site)  # every file of the lock present, with its hash
    config = (live_site / "jupyter-lite.json").read_text(encoding="utf-8")
    assert not re.findall(r"https?://", config), "jupyter-lite.json names a host"
    size = live.site_size(live_site)
    assert size <= 60_000_000, f"the site is {size / 1e6:.1f} MB (at most 60)"
    assert not list(live_site.rglob("*.map")), "source maps in the site"
    lock = json.loads((live_site / "static/pyodide/pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["vientiane"]["imports"] == ["vientiane"]
    assert not {"scipy", "pyarrow", "scikit-learn", "openblas"} & set(lock["packages"]), "packages no lesson needs"
    for path in (live_site / "files").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        tags = {t for c in nb.cells for t in c.metadata.get("tags", [])}
        assert not tags & {"solution", "teacher"}, f"{path.name} carries teacher cells"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"
        assert "Live edition" in nb.cells[1].source, f"{path.name} lacks the live edition's note"
    start = (live_site / "index.html").read_text(encoding="utf-8")
    assert 'role="status"' in start and "Starting" in start, "the first page does not say that it is starting"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_lesson_runs_live(live_server, page, name):
    """Run All in the browser: no error, every figure drawn; then a right and a wrong answer to
    the lesson's first exercise (the same feedback as here); an explorer moved with the mouse
    (or a list) and then with the keyboard. Nothing asked of another host."""
    seen = len(live_server.local), len(live_server.outside), len(live_server.missing)
    open_lesson(page, live_server, name)
    cells = run_all(page, name)
    for number, cell in enumerate(cells, start=1):
        if "figures.save(" in cell["source"]:
            assert cell["images"], f"{name}, code cell {number}: no figure drawn"
        # The site ships matplotlib's font list (vientiane._browser): no scan of the fonts first.
        assert "building the font cache" not in cell["text"], f"{name}, code cell {number}: {cell['text'][:200]}"
    # The same answers as the pinned build (the committed lesson's outputs), cell by cell.
    pinned = pinned_answers(name)
    for number, cell in enumerate(page.evaluate(OUTPUTS_JS), start=1):
        here = answers(cell["outputs"])
        assert here == pinned[cell["id"]], (
            f"{name}, code cell {number} ({cell['id']}): the live edition says {here}, the pinned build {pinned[cell['id']]}"
        )
    exercise, solution = EXERCISES[name][0]
    out = run_new_cell(page, browser_feedback_code(solution))
    printed = [line for line in out.splitlines() if line.startswith("FEEDBACK[")]
    assert printed, f"{name} {exercise}: the self-check cell printed no feedback:\n{ANSI.sub('', out)[-2000:]}"
    shown = json.loads(printed[0].removeprefix("FEEDBACK"))
    assert shown[0] == exercise
    assert shown[1].startswith("✔ Right"), f"{name} {exercise}: the worked answer got {shown[1]!r}"
    assert shown[2].startswith("✘"), f"{name} {exercise}: a wrong answer got {shown[2]!r}"
    assert tuple(shown) == local_feedback(solution), f"{name} {exercise}: feedback differs from the pinned build"
    assert "✔ Right" in out, f"{name} {exercise}: check() showed no ✔ Right in the page"

    explorers = wait_for_explorers(page, "lab", len(EXPLORERS[name]))
    explorer = explorers[0]
    explorer.scroll_into_view_if_needed()
    operate_first_control(page, explorer)
    operate_by_keyboard(page, explorer)
    screenshot(page, f"live-{Path(name).stem}", top=explorer)
    compare_explorer_answers(page, name)
    outside, missing = live_server.outside[seen[1] :], live_server.missing[seen[2] :]
    assert not outside, f"{name}: requests to other hosts: {outside[:5]}"
    assert not missing, f"{name}: files the site lacks: {missing[:5]}"
    # The kernel (a web worker) fetched the library: the counting saw the worker's requests too.
    assert any(p.startswith("static/pyodide/vientiane-") for p in live_server.local[seen[0] :]), (
        f"{name}: the kernel's requests went unseen"
    )


def compare_explorer_answers(page, name: str) -> None:
    """Every explorer of the lesson, as it opens and with each control moved, answers in the
    browser what it answers here (the pinned build): the same tables and the same texts shown."""
    import difflib
    import hashlib

    calls = EXPLORERS[name]
    here = explorer_answers(calls)
    code = [
        inspect.getsource(explorer_answers),
        "import hashlib as _h, json as _json",
        f"_answers = explorer_answers({calls!r})",
    ]
    digests = "{k: _h.sha256(v.encode()).hexdigest() for k, v in _answers.items()}"
    out = run_new_cell(page, "\n".join([*code, f"print('EXPLORERS' + _json.dumps({digests}))"]), timeout=600_000)
    printed = [line for line in out.splitlines() if line.startswith("EXPLORERS{")]
    assert printed, f"{name}: the explorers' answers were not printed:\n{ANSI.sub('', out)[-2000:]}"
    there = json.loads(printed[0].removeprefix("EXPLORERS"))
    assert sorted(there) == sorted(here), f"{name}: the explorers' states differ: {sorted(set(there) ^ set(here))[:5]}"
    differ = [k for k in here if there[k] != hashlib.sha256(here[k].encode()).hexdigest()]
    if differ:  # show the first difference: its text from the browser
        out = run_new_cell(page, f"print('TEXT' + _json.dumps(_answers[{differ[0]!r}]))")
        text = json.loads(next(line for line in out.splitlines() if line.startswith("TEXT")).removeprefix("TEXT"))
        diff = "\n".join(
            difflib.unified_diff(here[differ[0]].splitlines(), text.splitlines(), "pinned", "live", lineterm="")
        )
        raise AssertionError(
            f"{name}: {len(differ)} explorer states answer differently, first {differ[0]}:\n{diff[:3000]}"
        )


def first_code_source(page) -> str:
    """The source of the first code cell of the notebook in view, once its file is loaded."""
    return page.evaluate(
        """async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.context.ready;
            return panel.content.widgets.find(c => c.model.type === 'code').model.sharedModel.getSource();
        }"""
    )


def edit_and_save(page, marker: str) -> None:
    """Put ``marker`` at the top of the first code cell of the lesson in view and save it (to the browser's storage)."""
    page.evaluate(
        """async (marker) => {
            const app = window.jupyterapp, panel = app.shell.currentWidget;
            const cell = panel.content.widgets.find(c => c.model.type === 'code');
            cell.model.sharedModel.setSource(marker + '\\n' + cell.model.sharedModel.getSource());
            await panel.context.save();
        }""",
        marker,
    )


def test_edit_survives_reload_and_reset_restores(live_server, page):
    """An edit saved in the browser is there after a reload; the lesson's own "Reset this
    lesson" button (top right) brings the original back, and so does the start page's."""
    lesson = sorted(EXERCISES)[0]
    marker = "# my own note, kept in this browser"
    open_lesson(page, live_server, lesson, kernel=False)
    original = first_code_source(page)
    edit_and_save(page, marker)
    # Load the page again (Lab has dropped ?path= from its address by now, so not page.reload).
    open_lesson(page, live_server, lesson, kernel=False)
    assert marker in first_code_source(page), "the edit is gone after a reload"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset this lesson").click()  # in the lesson's page
    page.wait_for_url(re.compile(r"/lab/index\.html\?path="), timeout=60_000)
    wait_for_notebook(page, lesson)
    restored = first_code_source(page)
    assert marker not in restored, "the lesson's Reset this lesson kept the edit"
    assert restored == original, "the lesson's Reset this lesson did not bring the original back"

    edit_and_save(page, marker)
    page.goto(f"{live_server.base}lessons.html")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"button.reset[data-path='{lesson}']").click()
    page.wait_for_url(re.compile(r"/lab/index\.html\?path="), timeout=60_000)
    wait_for_notebook(page, lesson)
    assert first_code_source(page) == original, "the start page's Reset this lesson did not bring the original back"


def test_a_cell_that_fails_in_the_browser_is_named_at_once(live_server, page):
    """A lesson whose third code cell raises: Run All fails as soon as the error shows, naming
    the lesson, the cell and the error (not after the run's long timeout)."""
    name = "broken-lesson.ipynb"
    cells = ["import vientiane", "facts = vientiane.load()", 'facts.members("NO SUCH BODY")', "print('after')"]
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}},
        "cells": [
            {"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None, "id": f"c{i}"}
            for i, c in enumerate(cells)
        ],
    }
    open_lesson(page, live_server, sorted(EXERCISES)[-1], kernel=False)  # the app, to reach its storage
    save = "([name, nb]) => window.jupyterapp.serviceManager.contents.save(name, {type: 'notebook', format: 'json', content: nb})"
    page.evaluate(save, [name, notebook])  # in this browser's storage only, as a student's own notebook
    try:
        open_lesson(page, live_server, name)
        with pytest.raises(AssertionError) as failure:
            run_all(page, name)
        message = str(failure.value)
        assert f"{name}, code cell 3 ('facts.members(\"NO SUCH BODY\")')" in message, message
        assert "raised in the browser: UnknownId" in message, message
        assert "NO SUCH BODY" in message, message
    finally:
        page.evaluate("name => window.jupyterapp.serviceManager.contents.delete(name)", name)
