"""Every explorer of every lesson renders and responds in JupyterLab, run fresh and as saved."""

from .jupyter_browser import (
    lab_open,
    lab_run_all,
    operate_first_control,
    output_snapshot,
    screenshot,
    wait_for_explorers,
)


def test_lesson_runs_in_lab(lab, page, lesson):
    """Run All on a copy of the lesson: every explorer renders, and its first control redraws it."""
    path, expected = lesson
    try:
        lab_open(page, lab, f"run/notebooks/{path.name}")
        lab_run_all(page)
        explorers = wait_for_explorers(page, "lab", expected)
        for explorer in explorers:
            explorer.scroll_into_view_if_needed()
            operate_first_control(page, explorer)
        screenshot(page, f"lab-{path.stem}", top=explorers[0])
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
