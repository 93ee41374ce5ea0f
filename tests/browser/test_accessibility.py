"""Accessibility, in a real browser: axe-core (WCAG 2.0/2.1 A and AA) on every page of both
HTML editions. No serious or critical violation; a moderate one fails unless it is listed in
tests/browser/accessibility.py with the reason it stays. The same audit of a lesson run in
JupyterLab and of its Voilà dashboard, with every explorer operated from the keyboard, is part
of the runs in test_lab.py and test_voila.py (one run of each lesson checks both)."""

from __future__ import annotations

import datetime

import pytest

from tests.repo import ROOT
from vientiane_teacher import audit, editions, lessons

from .accessibility import check


@pytest.fixture(scope="module")
def built_editions(tmp_path_factory):
    """Both HTML editions, made from the committed lessons as `make figures` makes them."""
    folder = tmp_path_factory.mktemp("editions")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in lessons.lessons(ROOT)}
    editions.editions(texts, folder)
    return folder


def test_every_page_of_both_html_editions_passes_axe(context, built_editions):
    """Every page passes; the result is kept in build/accessibility.md, with its date, for the
    status page of the next `make figures` (the build itself does not audit)."""
    # The session's Chromium: a second sync Playwright in this worker would refuse to start.
    folders = (built_editions / e for e in ("html", "html-self-study", "html-teacher"))
    results = audit.audit_folders(*folders, browser=context)
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")  # when it ran: the clock
    audit.record(results, ROOT / "build" / "accessibility.md", when)
    names = {page.split("/", 1)[1] for page in results}
    expected = {f"{p.stem}.html" for p in lessons.lessons(ROOT)} | {"index.html"}
    assert expected <= names, f"pages not audited: {expected - names}"  # every lesson and both indexes
    for page, found in results.items():
        check(page, found)
