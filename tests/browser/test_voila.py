"""`python -m vientiane_teacher.present NN` serves the lesson's explorers with Voila; they work, every load.

Why loads are repeated: here, Voila pages of an ``interact`` notebook hung on a few loads in a
hundred (up to 4 in 30), always in the cell whose output goes into an Output widget. The kernel
had answered; Voila's executor (nbclient) sat waiting for a reply that lay unread in its shell
socket, having sent comm messages to the kernel on that same socket meanwhile (its stand-in
for the Output widget's front end syncing the captured output). With that sync switched off,
0 of 60 loads hung. The explorers never capture output, so nbclient has nothing to send;
``test_explorers_never_capture_output`` keeps it so.
"""

import os

import pytest

from vientiane import widgets
from vientiane_teacher import audit

from .accessibility import check, operate_by_keyboard
from .jupyter_browser import (
    SERVER_WAIT,
    VIEWPORT,
    kernel_transports,
    operate_first_control,
    present_server,
    screenshot,
    wait_for_explorers,
)

LOADS = int(os.environ.get("VIENTIANE_VOILA_LOADS", "3"))


def test_lesson_presents_in_voila(context, project, jupyter_env, tmp_path, lesson):
    """Each load shows every explorer and no code, and each explorer responds; on the first
    load the dashboard also passes axe and every explorer works from the keyboard."""
    path, expected = lesson
    with present_server(project / "run" / "notebooks" / path.name, tmp_path, jupyter_env) as server:
        server.wait_listening()
        for load in range(LOADS):
            page = context.new_page()
            page.set_viewport_size(VIEWPORT)
            try:
                # A hung page never completes: every wait below is bounded.
                page.goto(server.url(), wait_until="domcontentloaded", timeout=SERVER_WAIT)
                explorers = wait_for_explorers(page, "voila", expected)
                assert not page.locator(".jp-CodeCell .jp-InputArea").count(), "the dashboard shows code"
                if load == 0:  # what the class sees first: the title and the first explorer
                    assert kernel_transports(server) == ["ipc"], "the dashboard's kernel is not on IPC sockets"
                    screenshot(page, f"voila-{path.stem}")
                    check(f"Voila {path.name}", audit.violations(page))
                    for explorer in explorers:
                        operate_by_keyboard(page, explorer)
                for explorer in explorers:
                    operate_first_control(page, explorer)
            except Exception as error:
                raise AssertionError(f"load {load + 1} of {LOADS}: {error}\n{server.log_tail()}") from error
            finally:
                # As when a tab closes: Voila's page asks the server to shut its kernel down.
                page.close(run_before_unload=True)


@pytest.mark.parametrize("make", [getattr(widgets, n) for n in dir(widgets) if n.endswith("_explorer")])
def test_explorers_never_capture_output(facts, make, monkeypatch):
    """Results are written into the Output widget's state (``outputs``), never captured with
    ``with output:``, ``output.capture`` or ``interact``, so Voila's executor never writes to
    the kernel mid-cell. Capturing is caught here, outside a kernel, where it happens: on
    entering the Output widget as a context manager."""
    import ipywidgets

    captured = []

    def refuse(self, *args, **kwargs):
        captured.append(type(self).__name__)
        raise AssertionError("an explorer captured output into its Output widget")

    monkeypatch.setattr(ipywidgets.Output, "__enter__", refuse)
    monkeypatch.setattr(ipywidgets.Output, "capture", refuse)
    monkeypatch.setattr(ipywidgets, "interact", refuse)
    explorer = make(facts)
    for control in explorer.controls:
        control.value = _another_value(control)
        assert explorer.output.outputs, f"{make.__name__}: no result in the Output widget's state"
    assert not captured


def _another_value(control):
    if isinstance(control.value, tuple) and hasattr(control, "options"):  # SelectMultiple
        return (control.options[0],)
    if hasattr(control, "options"):  # Dropdown
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next(v for v in values if v != control.value)
    if isinstance(control.value, tuple):  # IntRangeSlider
        return (control.min, control.value[1])
    if isinstance(control.value, str):  # Text
        return "Lavrov"
    return control.max  # IntSlider
