"""A classroom rehearsal on real components, all on 127.0.0.1: JupyterHub with
configurable-http-proxy, nbgitpuller, git daemon serving the students' repository that the
teacher published to (`make student STUDENT_REPO=...`); the teacher's clone is never served.

A student logs in and follows the README's nbgitpuller link for its branch ``main``: the
lessons arrive in the student's home; lesson 02 runs top to bottom in the student's own server
(REST to start its kernel, then the kernel's websocket, as JupyterLab does); the student edits
a lesson and adds a file; the teacher commits and publishes a change; the same link brings the change and
keeps the student's work. The memory of the student's server and kernel (and of the hub and
the proxy) is written to build/classroom-sizing.json for the README's sizing advice.
"""

from __future__ import annotations

import io
import json
import os
import re
import time

import nbformat
import psutil

from tests.repo import ROOT
from vientiane_teacher import links, publish

from .classroom import NAME, Student, code_cells, git, git_pull_link, memory, versions

BRANCH = "main"  # of the students' repository
START = "00_start_here.ipynb"
SOLUTION_MARK = "# Solution"
SIZING = ROOT / "build" / "classroom-sizing.json"


def test_a_class_on_a_real_hub(classroom):
    hub, clock = classroom.hub, {}
    link = git_pull_link(hub, classroom.repository, BRANCH, START)
    assert link == links.nbgitpuller_link(hub.url, classroom.repository, START)  # what `make links` prints
    student = Student(hub, "ada")
    mine = hub.home("ada") / NAME
    began = time.monotonic()

    # 1. The link clones the student edition into the student's home.
    student.log_in()
    page = student.follow(link)
    assert page["branch"] == BRANCH and page["targetpath"] == NAME, page
    pull = student.pull(page)
    assert pull.phase == "finished", f"the first pull failed:\n{pull.transcript()}\n{hub.log_tail()}"
    published = sorted(p.name for p in (classroom.teacher / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    arrived = sorted(p.name for p in (mine / "notebooks").glob("*.ipynb"))
    assert arrived == published and START in arrived, (arrived, published)
    solutions = [n for n in arrived if SOLUTION_MARK in (mine / "notebooks" / n).read_text(encoding="utf-8")]
    assert not solutions, f"the link brought the teacher's solutions: {solutions}"
    assert student.open_page(page["base-url"] + page["path"]).ok  # where the page sends the browser
    assert student.api("GET", f"contents/{NAME}/notebooks/{START}").status_code == 200
    clock["first pull, server start included"] = time.monotonic() - began

    # 2. Lesson 02, top to bottom, in the student's own server.
    lesson = next((mine / "notebooks").glob("02_*.ipynb"))
    cells = list(code_cells(json.loads(lesson.read_text(encoding="utf-8"))))
    began = time.monotonic()
    session = student.api(
        "POST",
        "sessions",
        json={
            "path": f"{NAME}/notebooks/{lesson.name}",
            "type": "notebook",
            "name": lesson.name,
            "kernel": {"name": "python3"},
        },
    )
    assert session.status_code == 201, session.text
    session = session.json()
    replies = student.run_cells(session["kernel"]["id"], cells)
    failed = [r for r in replies if r["status"] != "ok"]
    assert not failed, "cell {cell}: {ename}: {evalue}\n{tb}".format(tb=plain(failed[0]["traceback"]), **failed[0])
    assert len(replies) == len(cells) > 5
    assert any("Replace the ..." in r["printed"] for r in replies), "the self-checks did not answer"
    assert (mine / "figures").is_dir()  # figures land in the student's copy, not in the image
    clock["lesson 02, kernel start included"] = time.monotonic() - began

    sizing = memory(classroom.processes, session["kernel"]["id"])
    assert set(sizing) == {"hub", "proxy", "single-user server", "kernel"}, sizing
    write_sizing(sizing, lesson.name, clock)
    assert student.api("DELETE", f"sessions/{session['id']}").status_code == 204

    # 3. The student's own work: an edited lesson and a new file, saved through the server.
    answer = "My answer: the EAS had 18 participants in Vientiane."
    model = student.api("GET", f"contents/{NAME}/notebooks/{lesson.name}").json()
    model["content"]["cells"].append(nbformat.v4.new_markdown_cell(answer))
    saved = student.api(
        "PUT",
        f"contents/{NAME}/notebooks/{lesson.name}",
        json={"type": "notebook", "format": "json", "content": model["content"]},
    )
    assert saved.status_code == 200, saved.text
    notes = "Questions for Thursday: why an 'umbrella'?\n"
    saved = student.api(
        "PUT", f"contents/{NAME}/my_notes.md", json={"type": "file", "format": "text", "content": notes}
    )
    assert saved.status_code == 201, saved.text

    # The teacher changes lesson 00, commits and publishes again: a new commit on the students' main.
    change = f"*Note from your teacher ({os.getpid()}-{time.time_ns()}): read the source before Thursday.*"
    start = classroom.teacher / "notebooks" / START
    nb = nbformat.read(start, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    first.source += "\n\n" + change
    nbformat.write(nb, start)
    git("commit", "-qam", "a note for the class", cwd=classroom.teacher)
    commit = publish.publish_to(str(classroom.students), classroom.teacher, out=io.StringIO())
    assert commit

    # The same link again: the change arrives, the student's work stays.
    began = time.monotonic()
    pull = student.pull(student.follow(link))
    assert pull.phase == "finished", f"the second pull failed:\n{pull.transcript()}\n{hub.log_tail()}"
    clock["second pull"] = time.monotonic() - began
    git("merge-base", "--is-ancestor", commit, "HEAD", cwd=mine)  # the teacher's commit is merged
    assert change in (mine / "notebooks" / START).read_text(encoding="utf-8")
    kept = nbformat.read(mine / "notebooks" / lesson.name, as_version=4)
    assert kept.cells[-1].source == answer
    assert (mine / "my_notes.md").read_text(encoding="utf-8") == notes
    write_sizing(sizing, lesson.name, clock)


def plain(traceback: list[str]) -> str:
    """A kernel's traceback without its terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(traceback))


def write_sizing(sizing: dict, lesson: str, clock: dict) -> None:
    """build/classroom-sizing.json (build/ is git-ignored): what the README's sizing advice uses."""
    SIZING.parent.mkdir(exist_ok=True)
    record = {
        "what": f"memory per process, psutil, after running {lesson} in the student's server",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "memory": sizing,
        "seconds": {k: round(v, 1) for k, v in clock.items()},
        "machine": {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)},
        "versions": versions(),
    }
    SIZING.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
