"""How long the live edition (build/live/, Pyodide in Chromium) takes per lesson: until its
kernel is ready, and to Run All; against the same lesson run in a local kernel (nbclient,
the pinned versions) in the same run, as the baseline.

    .venv/bin/python benchmarks/live.py                 # every lesson
    .venv/bin/python benchmarks/live.py 00 03           # some lessons

Each lesson opens in a new page (a new kernel, as a student opening it gets). The first
lesson's kernel-ready time includes compiling Pyodide's WebAssembly in a fresh browser profile;
the page's second visit shows what a returning student waits. Wall-clock times on a shared
machine: read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.test_live import KERNEL_READY, Requests, run_all, wait_for_notebook  # noqa: E402
from vientiane_teacher import live  # noqa: E402
from vientiane_teacher.audit import CHROMIUM_FLAGS  # noqa: E402
from vientiane_teacher.runner import execute, run_interruptibly  # noqa: E402


def local_run(path: Path) -> float:
    """Seconds to run the live notebook in a local kernel (the baseline), kernel start included."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VIENTIANE_FIGURES": folder}
        started = time.perf_counter()
        run = run_interruptibly(execute(nb, folder, env=env))
        took = time.perf_counter() - started
    if not run.ok:
        raise SystemExit(f"the baseline run of {path.name} failed: {run.error}")
    return took


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers (default: all)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = ROOT / "build" / "live"
    if not (site / "index.html").is_file():
        live.build(site)
    names = sorted(p.name for p in (site / "files").glob("[0-9][0-9]_*.ipynb"))
    names = [n for n in names if not args.lessons or n[:2] in {f"{int(x):02d}" for x in args.lessons}]
    httpd = live.server(site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    requests = Requests(f"http://127.0.0.1:{httpd.server_address[1]}/")
    rows = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(), executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        context.route("**/*", requests.route)
        context.set_default_timeout(600_000)
        for visit, name in enumerate([names[0], *names]):
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            started = time.perf_counter()
            page.goto(f"{requests.base}lab/index.html?path={name}", wait_until="domcontentloaded")
            wait_for_notebook(page, name)
            page.wait_for_function(KERNEL_READY, timeout=600_000)
            ready = time.perf_counter() - started
            started = time.perf_counter()
            run_all(page, name)
            ran = time.perf_counter() - started
            page.close()
            label = f"{name[:-6]}{' (first visit)' if visit == 0 else ''}"
            rows.append((label, ready, ran, local_run(site / "files" / name) if visit else None))
            print(f"{label:40} kernel ready {ready:6.1f} s   Run All {ran:6.1f} s", flush=True)
        context.close()
    httpd.shutdown()
    print(f"\n{'lesson':40} {'kernel ready':>12} {'Run All':>8} {'local run':>10} {'live/local':>10}")
    for label, ready, ran, local in rows:
        ratio = f"{(ready + ran) / local:9.1f}x" if local else "         -"
        local_text = f"{local:9.1f}s" if local else "         -"
        print(f"{label:40} {ready:11.1f}s {ran:7.1f}s {local_text} {ratio}")
    print(f"outside requests: {len(requests.outside)}; site {live.site_size(site) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
