"""Accessibility audit of the HTML editions: axe-core (``axe-playwright-python``) in Debian's
Chromium, the WCAG 2.0/2.1 A and AA rules.

    python -m vientiane_teacher.audit build/html build/html-teacher

``make test`` runs it (tests/browser) on every page of both editions, on each lesson in
JupyterLab and on its Voilà dashboard, and allows no serious or critical violation; it keeps
the editions' rule counts by impact, with the date, in ``build/accessibility.md``, which
``make figures`` shows in ``build/status.md``. (An audit is a check, not a product: the main
job does not wait for it.)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path

from .files import atomic_write

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium stalls on the closed network of these machines.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """Debian's Chromium, if installed (the audit never downloads a browser)."""
    found = shutil.which("chromium") or CHROMIUM
    return found if os.access(found, os.X_OK) else None


def violations(page, include: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the loaded ``page`` (or the parts matching the CSS selectors
    ``include``): rule id, impact, help, node count and the first node's HTML."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"include": [[selector] for selector in include]} if include else None
    result = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v.get("impact") or "minor",
            "help": v["help"],
            "nodes": len(v["nodes"]),
            "first": v["nodes"][0]["html"][:200] if v["nodes"] else "",
        }
        for v in result.response["violations"]
    ]


def counts(found: list[dict]) -> Counter:
    """Violated rules by impact.

    >>> counts([{"id": "a", "impact": "serious"}, {"id": "b", "impact": "minor"}])["serious"]
    1
    """
    return Counter(v["impact"] for v in found)


@contextlib.contextmanager
def served(folder: Path):
    """``folder`` over HTTP on 127.0.0.1 (a free port) while the block runs; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no line per request
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # a saved explorer view


def local_only(route) -> None:
    """Let a page load only from this machine (a CDN request would stall offline)."""
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def audit_folders(*folders: Path, browser=None) -> dict[str, list[dict]]:
    """Every ``*.html`` page of ``folders`` audited: {"html/index.html": [violations], …}.

    ``browser``: a Playwright browser or context to audit with (the tests' own: Playwright's
    sync API cannot start a second time in a thread where it runs); by default Debian's
    Chromium is started for the run. Raises RuntimeError when Chromium or playwright is missing.
    """
    if browser is not None:
        return _audit_with(browser, folders)
    found = chromium()
    if found is None:
        raise RuntimeError("Debian's chromium is not installed (as root, `make browser` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        engine = playwright.chromium.launch(executable_path=found, headless=True, args=CHROMIUM_FLAGS)
        try:
            return _audit_with(engine, folders)
        finally:
            engine.close()


def _audit_with(engine, folders) -> dict[str, list[dict]]:
    results = {}
    for folder in folders:
        with served(Path(folder)) as base:
            for path in sorted(Path(folder).glob("*.html")):
                page = engine.new_page()  # a browser or a context: the viewport is set apart
                page.set_viewport_size({"width": 1280, "height": 900})
                page.route("**/*", local_only)
                page.goto(f"{base}/{path.name}", wait_until="load", timeout=60_000)
                if page.locator(f'script[type="{WIDGET_VIEW}"]').count():  # audit the explorers drawn
                    page.wait_for_selector(".widget-output, .jupyter-widgets", timeout=60_000)
                results[f"{Path(folder).name}/{path.name}"] = violations(page)
                page.close()
    return results


def report(results: dict[str, list[dict]]) -> str:
    """A Markdown table: each page's violated rules, counted by impact, and their ids.

    >>> print(report({"html/index.html": []}).splitlines()[2])
    | html/index.html | 0 | 0 | 0 | 0 | none |
    """
    lines = ["| page | critical | serious | moderate | minor | rules |", "| --- | --- | --- | --- | --- | --- |"]
    for page, found in results.items():
        tally = counts(found)
        rules = ", ".join(f"{v['id']} ({v['impact']})" for v in found) or "none"
        lines.append(f"| {page} | " + " | ".join(str(tally[i]) for i in IMPACTS) + f" | {rules} |")
    return "\n".join(lines)


def record(results: dict[str, list[dict]], path: Path, when: str) -> None:
    """Keep an audit's ``report`` in ``path`` (``build/accessibility.md``), saying when it ran
    (``when``, e.g. ``2026-12-03 10:15 UTC``) and on what.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "accessibility.md"
    >>> record({"html/index.html": []}, path, "2026-12-03 10:15 UTC")
    >>> path.read_text().splitlines()[0]
    'Audited 2026-12-03 10:15 UTC by `make test`, on the editions made from the committed lessons.'
    """
    text = f"Audited {when} by `make test`, on the editions made from the committed lessons.\n\n{report(results)}\n"
    atomic_write(path, text)


def main(argv: list[str] | None = None) -> int:
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [Path("build/html")]
    results = audit_folders(*folders)
    print(report(results))
    return 1 if any(v["impact"] in ("critical", "serious") for found in results.values() for v in found) else 0


if __name__ == "__main__":
    sys.exit(main())
