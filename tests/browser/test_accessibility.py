"""Accessibility, in a real browser: axe-core (WCAG 2.0/2.1 A and AA) on every page of both
HTML editions, on a JupyterLab lesson and on the Voilà dashboard; and every explorer operated
from the keyboard alone. No serious or critical violation; a moderate one fails unless it is
listed below with the reason it stays."""

from __future__ import annotations

import pytest

from vientiane_teacher import audit, editions, lessons

from .jupyter_browser import (
    ACTION_WAIT,
    ROOT,
    SERVER_WAIT,
    VIEWPORT,
    lab_open,
    lab_run_all,
    present_server,
    wait_for_explorers,
)

# Violations that are not the collection's to fix, with the reason they stay: rule id -> reason.
KNOWN = {}
# In JupyterLab the audit covers what the lesson puts on the page, its prose and its outputs;
# the menus, toolbars and code editors around them are JupyterLab's own.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
BLOCKING = ("critical", "serious")


def _check(where: str, found: list[dict]) -> None:
    blocking = [v for v in found if v["impact"] in BLOCKING]
    unlisted = [v for v in found if v["impact"] == "moderate" and v["id"] not in KNOWN]
    assert not blocking + unlisted, f"{where}: {blocking + unlisted}"


@pytest.fixture(scope="module")
def built_editions(tmp_path_factory):
    """Both HTML editions, made from the committed lessons as `make figures` makes them."""
    folder = tmp_path_factory.mktemp("editions")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in lessons.lessons(ROOT)}
    editions.editions(texts, folder)
    return folder


def test_every_page_of_both_html_editions_passes_axe(chromium, built_editions):
    results = audit.audit_folders(built_editions / "html", built_editions / "html-teacher")
    names = {page.split("/", 1)[1] for page in results}
    expected = {f"{p.stem}.html" for p in lessons.lessons(ROOT)} | {"index.html"}
    assert expected <= names, f"pages not audited: {expected - names}"  # every lesson and both indexes
    for page, found in results.items():
        _check(page, found)


def test_a_jupyterlab_lesson_passes_axe_and_works_from_the_keyboard(lab, page, lesson):
    """A lesson run in JupyterLab: its content (the prose and outputs, not JupyterLab's own
    menus and editors) passes axe; each explorer's first control is reached with Tab and
    changed with the keyboard, and its result updates."""
    path, expected = lesson
    try:
        lab_open(page, lab, f"run/notebooks/{path.name}")
        lab_run_all(page)
        explorers = wait_for_explorers(page, "lab", expected)
        found = audit.violations(page, include=[f"{NOTEBOOK} .jp-MarkdownOutput", f"{NOTEBOOK} .jp-OutputArea"])
        _check(f"JupyterLab {path.name}", found)
        for explorer in explorers:
            explorer.scroll_into_view_if_needed()
            _operate_by_keyboard(page, explorer)
    finally:
        lab.shutdown_kernels()


def test_the_voila_dashboard_passes_axe_and_works_from_the_keyboard(context, project, jupyter_env, tmp_path, lesson):
    path, expected = lesson
    with present_server(project / "run" / "notebooks" / path.name, tmp_path, jupyter_env) as server:
        server.wait_listening()
        page = context.new_page()
        page.set_viewport_size(VIEWPORT)
        try:
            page.goto(server.url(), wait_until="domcontentloaded", timeout=SERVER_WAIT)
            explorers = wait_for_explorers(page, "voila", expected)
            _check(f"Voila {path.name}", audit.violations(page))
            for explorer in explorers:
                _operate_by_keyboard(page, explorer)
        finally:
            page.close(run_before_unload=True)


def _operate_by_keyboard(page, explorer) -> None:
    """Tab from the explorer's title to its first control, change it with the keyboard, and
    see the result change; the focused control shows a visible focus ring."""
    from .jupyter_browser import SNAPSHOT_JS, output_snapshot

    before = output_snapshot(explorer)
    explorer.locator(".widget-html").first.click()  # a pointer-free start: the title, not a control
    control = explorer.locator(":scope > .widget-hbox > *").first
    for _ in range(10):
        page.keyboard.press("Tab")
        if control.evaluate("c => c.contains(document.activeElement)"):
            break
    else:
        raise AssertionError("Tab never reached the explorer's first control")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' || s.boxShadow !== 'none' || s.borderColor; }"
    )
    assert outline, "the focused control shows no focus ring"
    kind = page.evaluate("() => document.activeElement.tagName + ':' + (document.activeElement.type || '')")
    if kind.startswith("SELECT"):
        # Home/End pick the first/last option. (In JupyterLab's command mode the arrow keys
        # move between cells, even from a focused list.)
        at_end = page.evaluate("() => document.activeElement.selectedIndex === document.activeElement.length - 1")
        page.keyboard.press("Home" if at_end else "End")
    elif kind == "INPUT:number":
        at_top = page.evaluate("() => document.activeElement.value === document.activeElement.max")
        page.keyboard.press("ArrowDown" if at_top else "ArrowUp")
        page.keyboard.press("Tab")  # leaving the box commits the number
    else:
        page.keyboard.type("Lavrov")
        page.keyboard.press("Enter")
    handle = explorer.locator(".vientiane-output").first.element_handle()
    page.wait_for_function(
        f"([el, before]) => ({SNAPSHOT_JS})(el) !== before", arg=[handle, before], timeout=ACTION_WAIT
    )
