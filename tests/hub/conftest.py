"""Fixtures of the classroom rehearsal: a teacher's clone, the student edition published to a
separate students' repository served by git daemon, and a JupyterHub; all in one temporary folder, all stopped afterwards.

Without git, node or configurable-http-proxy (``make hub-proxy``, which ``make test`` runs,
installs it with npm), the rehearsal skips with a message, except under CI (CI=1, true or
True), where it fails.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci import unavailable
from tests.repo import ROOT
from vientiane_teacher import publish

from .classroom import NAME, PROXY, Hub, Processes, git, git_daemon, start_hub


def _unavailable(reason: str):
    unavailable(
        reason,
        "CI=true: the classroom rehearsal must run",
        "classroom rehearsal skipped (`make test` installs configurable-http-proxy with npm)",
    )


@pytest.fixture(scope="session")
def hub_tools() -> None:
    missing = [name for name in ("git", "node") if not shutil.which(name)]
    if "git" not in missing:
        exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, timeout=30).stdout.strip()
        if not os.access(Path(exec_path) / "git-daemon", os.X_OK):
            missing.append("git daemon")
    if not os.access(PROXY, os.X_OK):
        missing.append(f"configurable-http-proxy ({PROXY.relative_to(ROOT)})")
    missing += [name for name in ("jupyterhub", "nbgitpuller") if importlib.util.find_spec(name) is None]
    if missing:
        _unavailable(f"missing: {', '.join(missing)}")


@dataclass
class Classroom:
    hub: Hub
    processes: Processes
    teacher: Path  # the teacher's clone (never served)
    students: Path  # the students' bare repository, published to with `make student STUDENT_REPO=`
    repository: str  # its URL, as the teacher gives it to `make links`


@pytest.fixture
def classroom(hub_tools, tmp_path) -> Classroom:
    """A teacher's clone (never this repository, never served) whose student edition is published
    to a students' bare repository, served on git://127.0.0.1; a JupyterHub on 127.0.0.1 whose students' homes are
    in ``tmp_path``. Every process is stopped afterwards, also when the test failed."""
    served, logs = tmp_path / "served", tmp_path / "logs"
    served.mkdir()
    logs.mkdir()
    teacher, students = tmp_path / "teacher", served / NAME
    git("clone", "-q", ROOT, teacher, cwd=tmp_path)
    git("init", "-q", "--bare", students, cwd=tmp_path)
    git("config", "user.email", "teacher@school.example", cwd=teacher)  # the rehearsal commits a change
    git("config", "user.name", "A Teacher", cwd=teacher)
    assert publish.publish_to(str(students), teacher, out=io.StringIO()) is not None

    processes = Processes(logs)
    survivors = []
    try:
        repository = git_daemon(processes, served, tmp_path) + NAME
        (tmp_path / "hub").mkdir()
        hub = start_hub(processes, tmp_path / "hub")
        yield Classroom(hub, processes, teacher, students, repository)
    finally:
        survivors = processes.stop()
    assert not survivors, f"processes outlived the rehearsal: {survivors}"
