"""The accessibility checks the browser tests share: axe-core's findings judged (no serious or
critical violation; a moderate one only when listed with its reason), and an explorer operated
from the keyboard alone."""

from __future__ import annotations

from .jupyter_browser import ACTION_WAIT, SNAPSHOT_JS, output_snapshot

# Violations that are not the collection's to fix, with the reason they stay: rule id -> reason.
KNOWN = {}
# In JupyterLab the audit covers what the lesson puts on the page, its prose and its outputs;
# the menus, toolbars and code editors around them are JupyterLab's own.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
BLOCKING = ("critical", "serious")


def check(where: str, found: list[dict]) -> None:
    blocking = [v for v in found if v["impact"] in BLOCKING]
    unlisted = [v for v in found if v["impact"] == "moderate" and v["id"] not in KNOWN]
    assert not blocking + unlisted, f"{where}: {blocking + unlisted}"


def operate_by_keyboard(page, explorer) -> None:
    """Tab from the explorer's title to its first control, change it with the keyboard, and
    see the result change; the focused control shows a visible focus ring."""
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
