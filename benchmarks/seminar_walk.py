"""A timed walk through the teacher guide's 90-minute plan: what the machine does in each block.

    .venv/bin/python benchmarks/seminar_walk.py

It reads the plan's table from ``notebooks/teacher_guide.md`` and does, in a real browser
(Debian's Chromium, offline), what each block puts on the projector: it starts the four
dashboards the plan names (``python -m vientiane_teacher.present``, lessons 00, 01, 04 and 05,
one server each, as "one terminal per lesson") during the first buffer, then sets each explorer
as the block says (the article at ¶15, the time line on 2016, each definition of
"the region" in lesson 04, the claim c28a_moscow_raised in lesson 05), opens the figures the
plan shows and the teacher page of lesson 04. It prints, per block, the planned minutes, the
seconds the machine took and what it did: the time the class waits for the projector.

What it cannot time: reading, talking, writing and moving chairs. Those are the plan's minutes
minus the machine's seconds, and only a class can measure them.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from tests.browser.jupyter_browser import (  # noqa: E402 (the clone's test helpers)
    CHROMIUM_FLAGS,
    SNAPSHOT_JS,
    VIEWPORT,
    isolated_env,
    present_server,
    wait_for_explorers,
)
from vientiane.queries import REGIONS  # noqa: E402
from vientiane_teacher.lessons import lesson_file  # noqa: E402
from vientiane_teacher.present import explorer_cells  # noqa: E402

GUIDE = ROOT / "notebooks" / "teacher_guide.md"
DASHBOARDS = ("00", "01", "04", "05")  # the lessons whose explorers the plan presents


# What each block (by the start of its name) puts on the projector: the dashboard of a lesson
# with its explorers' moves (explorer, control, value), the figures and teacher pages it shows.
STEPS = {
    "Hook": ("00", [(0, 0, "15")], [], "article explorer at ¶15"),
    "Context": ("01", [(0, 0, "2016"), (0, 1, "2016")], ["01_vientiane_summer.png"], "time line from 2016 to 2016"),
    "Homework check": (None, [], ["02_membership_matrix.png"], "the membership matrix"),
    "Group task": (
        "04",
        [(0, 0, definition) for definition in REGIONS],
        [],
        f"coverage explorer through the {len(REGIONS)} definitions (the map explorer opens on the ARF)",
    ),
    "Plenary": (None, [], ["04_coverage.png"], "the coverage figure"),
    "Pair work": (
        "05",
        [(0, 0, lambda: claim_label("c28a_moscow_raised"))],
        [],
        "claim explorer on c28a_moscow_raised",
    ),
    "Discussion": (None, [], ["04 Discuss"], "lesson 04's teacher page, at its Discuss cell"),
}


def plan() -> list[tuple[int, str]]:
    """(minutes, block) of each row of the guide's 90-minute plan."""
    section = GUIDE.read_text(encoding="utf-8").split("## A worked plan: the 90-minute seminar")[1].split("\n## ")[0]
    return [(int(m), b.strip()) for m, b in re.findall(r"(?m)^\| (\d+) \| ([^|]+)\|", section)]


def set_control(page, explorer, index: int, value: str) -> float:
    """Set control ``index`` of ``explorer`` to ``value`` (typed, or chosen by its label) as a
    user would; return the seconds until the explorer's output has changed (0 if it did not need to)."""
    control = explorer.locator(":scope > .widget-hbox > *").nth(index)
    before = explorer.locator(".vientiane-output").first.evaluate(SNAPSHOT_JS)
    started = time.perf_counter()
    select = control.locator("select")
    if select.count():
        if select.evaluate("(s, v) => s.options[s.selectedIndex].text === v", value):
            return 0.0
        select.select_option(label=value)
    else:
        box = control.locator("input")
        if box.input_value() == value:
            return 0.0
        box.fill(value)
        box.press("Enter")
    handle = explorer.locator(".vientiane-output").first.element_handle()
    page.wait_for_function(f"([el, before]) => ({SNAPSHOT_JS})(el) !== before", arg=[handle, before], timeout=120_000)
    return time.perf_counter() - started


def claim_label(claim: str) -> str:
    """What the claim explorer's list shows for ``claim``: its paragraph and the claim's start."""
    import vientiane

    options = vientiane.widgets.claim_explorer(vientiane.load()).controls[0].options
    return next(label for label, value in options if value == claim)


def walk(context, scratch: Path) -> list[tuple[int, str, float, str]]:
    env = isolated_env(scratch / "home", scratch / "figures")
    rows, pages = [], {}
    with ExitStack() as stack:
        for minutes, block in plan():
            started, did = time.perf_counter(), ""
            if block.startswith("Buffer: logins"):
                servers = {n: stack.enter_context(present_server(lesson_file(n), scratch, env)) for n in DASHBOARDS}
                for number, server in servers.items():
                    server.wait_listening()
                    page = context.new_page()
                    page.set_viewport_size(VIEWPORT)
                    page.goto(server.url(), wait_until="domcontentloaded")
                    expected = len(explorer_cells(nbformat.read(lesson_file(number), as_version=4)))
                    pages[number] = (page, wait_for_explorers(page, "voila", expected))
                did = f"{len(servers)} dashboards started and shown ({', '.join(servers)})"
            elif step := next((v for k, v in STEPS.items() if block.startswith(k)), None):
                lesson, moves, shown, did = step
                if lesson:
                    page, explorers = pages[lesson]
                    page.bring_to_front()
                    for explorer, control, value in moves:
                        set_control(page, explorers[explorer], control, value() if callable(value) else value)
                for name in shown:
                    if name.endswith(".png"):
                        assert (ROOT / "figures" / name).is_file(), f"the plan shows figures/{name}: it is missing"
                    else:  # a teacher page, opened at its text
                        page = context.new_page()
                        page.goto((ROOT / "build" / "html-teacher" / f"{lesson_file(name[:2]).stem}.html").as_uri())
                        page.get_by_text(name[3:]).first.wait_for()
            rows.append((minutes, block, time.perf_counter() - started, did or "nothing on the machine"))
        for page, _ in pages.values():
            page.close(run_before_unload=True)
    return rows


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not (ROOT / "build" / "html-teacher" / "index.html").is_file():
        sys.exit("the walk opens the teacher's HTML edition: run `make figures` first")

    with tempfile.TemporaryDirectory(prefix="vientiane-seminar-") as scratch, sync_playwright() as playwright:
        (Path(scratch) / "home").mkdir()
        context = playwright.chromium.launch_persistent_context(
            str(Path(scratch) / "chromium"), executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1:", "file:")) else r.abort()
        )
        try:
            rows = walk(context, Path(scratch))
        finally:
            context.close()
    print(f"{'min':>4}  {'machine':>8}  block: what the machine did")
    for minutes, block, seconds, did in rows:
        print(f"{minutes:>4}  {seconds:>7.1f}s  {block}: {did}")
    total = sum(r[0] for r in rows)
    machine = sum(r[2] for r in rows)
    print(f"{total:>4}  {machine:>7.1f}s  in all: the machine's share is {machine / 60 / total:.1%} of the plan")


if __name__ == "__main__":
    main()
