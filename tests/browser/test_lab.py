"""Every explorer of every lesson renders and responds in JupyterLab, run fresh and as saved;
the run lesson's content passes axe and every explorer works from the keyboard."""

from vientiane_teacher import audit

from .accessibility import NOTEBOOK, check, operate_by_keyboard
from .jupyter_browser import (
    kernel_transports,
    lab_open,
    lab_run_all,
    operate_first_control,
    output_snapshot,
    screenshot,
    wait_for_explorers,
)


def test_lesson_runs_in_lab_passes_axe_and_works_from_the_keyboard(lab, page, lesson):
    """Run All on a copy of the lesson: every explorer renders, and its first control redraws
    it. Then, on the same run, the lesson's content (its prose and outputs, not JupyterLab's
    own menus and editors) passes axe, and each explorer's first control is reached with Tab
    and changed with the keyboard, and its result updates."""
    path, expected = lesson
    try:
        lab_open(page, lab, f"run/notebooks/{path.name}")
        lab_run_all(page)
        explorers = wait_for_explorers(page, "lab", expected)
        assert set(kernel_transports(lab)) == {"ipc"}, "a kernel of JupyterLab is not on IPC sockets"
        for explorer in explorers:
            explorer.scroll_into_view_if_needed()
            operate_first_control(page, explorer)
        screenshot(page, f"lab-{path.stem}", top=explorers[0])
        found = audit.violations(page, include=[f"{NOTEBOOK} .jp-MarkdownOutput", f"{NOTEBOOK} .jp-OutputArea"])
        check(f"JupyterLab {path.name}", found)
        for explorer in explorers:
            explorer.scroll_into_view_if_needed()
            operate_by_keyboard(page, explorer)
    finally:
        lab.shutdown_kernels()


def test_saved_lesson_shows_explorers(lab, page, lesson):
    """The committed lesson, opened (trusted) and not run, shows its explorers from the saved
    widget state: controls and results, no "model not found"."""
    path, expected = lesson
    try:
        lab_open(page, lab, f"saved/notebooks/{path.name}")
        explorers = wait_for_explorers(page, "lab", expected)
        for explorer in explorers:
            assert output_snapshot(explorer).strip(), "an explorer shows no saved result"
        screenshot(page, f"saved-{path.stem}", top=explorers[0])
    finally:
        lab.shutdown_kernels()
