"""Fixtures for the browser tests: Debian's Chromium through Playwright, the lessons, servers.

Chromium missing: the tests skip with a message, except under CI (CI=1, true or True), where
they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.ci import unavailable
from tests.repo import ROOT
from vientiane_teacher import lessons, present

from .jupyter_browser import ACTION_WAIT, CHROMIUM_FLAGS, SERVER_WAIT, VIEWPORT, isolated_env, lab_server


def _lessons_with_explorers() -> list[tuple[Path, int]]:
    """Each lesson with its number of explorers (cells tagged ``present``). Every lesson has
    at least one: a lesson without would silently drop out of the browser tests."""
    found = []
    for path in lessons.lessons(ROOT):
        count = len(present.explorer_cells(nbformat.read(path, as_version=4)))
        assert count, f"{path.name} has no cell tagged 'present' (an explorer)"
        found.append((path, count))
    return found


LESSONS = _lessons_with_explorers()
assert len(LESSONS) == len(lessons.lessons(ROOT)) >= 6, "the browser tests found no lessons"


def pytest_generate_tests(metafunc):
    if "lesson" in metafunc.fixturenames:
        metafunc.parametrize("lesson", LESSONS, ids=[path.stem for path, _ in LESSONS])


def _unavailable(reason: str):
    unavailable(
        reason,
        "CI=true: browser tests must run",
        "browser tests skipped (as root, `make browser` installs Debian's chromium)",
    )


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _unavailable("chromium not found")
    return path


@pytest.fixture(scope="session")
def context(chromium, tmp_path_factory):
    """One Chromium for the session; it may ask nothing of any host but 127.0.0.1."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        context.route("**/*", _local_only)
        context.set_default_timeout(ACTION_WAIT)
        context.set_default_navigation_timeout(SERVER_WAIT)
        try:
            yield context
        finally:
            context.close()


def _local_only(route):
    # Voila's page asks a CDN for Font Awesome; offline its load event then hangs for a minute.
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_viewport_size(VIEWPORT)
    try:
        yield page
    finally:
        page.close()  # without beforeunload: Lab would ask whether to leave unsaved changes


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    """Two copies of notebooks/ and figures/ (relative paths still work): one to run, one to
    keep as committed. The saved one is trusted, as a teacher's own copy would be."""
    root = tmp_path_factory.mktemp("project")
    for copy in ("run", "saved"):
        for folder in ("notebooks", "figures"):
            shutil.copytree(ROOT / folder, root / copy / folder)
    return root


@pytest.fixture(scope="session")
def jupyter_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("jupyter-home")
    env = isolated_env(home, tmp_path_factory.mktemp("figures-out"))
    env["VIENTIANE_CACHE"] = str(tmp_path_factory.mktemp("vientiane-cache"))
    return env


@pytest.fixture(scope="session")
def lab(project, jupyter_env, tmp_path_factory):
    """One JupyterLab for the session, serving the project copies."""
    saved = sorted((project / "saved" / "notebooks").glob("*.ipynb"))
    subprocess.run(
        [sys.executable, "-m", "jupyter", "trust", *map(str, saved)],
        env=jupyter_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    with lab_server(project, tmp_path_factory.mktemp("lab"), jupyter_env) as server:
        server.wait_api()
        yield server
