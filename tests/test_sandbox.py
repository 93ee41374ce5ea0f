"""The sandbox a handed-in notebook runs in (``vientiane_teacher.sandbox``), probed from inside.

One probe script runs in one sandbox and reports what it could see and do; each test asserts
one property of that report. Without bwrap these tests skip (``make test`` installs it), and
fail under CI.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import threading
import uuid
from pathlib import Path

import pytest

from tests.ci import unavailable
from vientiane_teacher import sandbox
from vientiane_teacher.runner import run_interruptibly  # its own thread: the browser tests leave a loop running

pytestmark = pytest.mark.slow  # sandboxes started with bubblewrap, some running Python for a while

ROOT = Path(__file__).resolve().parents[1]
SECRET = f"teacher-secret-{uuid.uuid4().hex}"
MARKER = f"vientiane-probe-{uuid.uuid4().hex}"

PROBE = r"""
import json, os, socket, subprocess, sys
from pathlib import Path
root, port, marker = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
seen = {}
def attempt(name, action):
    try:
        seen[name] = ["ok", repr(action())]
    except BaseException as error:
        seen[name] = ["failed", f"{type(error).__name__}: {error}"]
attempt("repository", lambda: os.listdir(root))
attempt("teacher tools", lambda: __import__("vientiane_teacher").__file__)
attempt("library", lambda: __import__("vientiane").__file__)
attempt("key file", lambda: open(Path(__import__("vientiane").__file__).parent / "exercises.json", "a").write("x"))
attempt("write venv", lambda: open(Path(sys.prefix) / "pwned", "w").write("x"))
attempt("write usr", lambda: open("/usr/pwned", "w").write("x"))
attempt("teacher home", lambda: os.listdir(os.path.expanduser("~root")))
attempt("tcp to the grader", lambda: socket.create_connection(("127.0.0.1", port), timeout=30).close())
attempt("home", lambda: (os.listdir(os.environ["HOME"]) if os.path.isdir(os.environ["HOME"]) else "absent"))
attempt("write tmp", lambda: open("/tmp/x", "w").write("x"))
attempt("processes", lambda: sorted(p for p in os.listdir("/proc") if p.isdigit()))
seen["environ"] = dict(os.environ)
seen["mounts"] = "\n".join(" ".join(line.split()[4:6]) for line in open("/proc/self/mountinfo"))
# A child in a session of its own, meant to outlive grading.
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(100000)", marker], start_new_session=True)
procs = []
try:
    for _ in range(200):
        procs.append(subprocess.Popen(["sleep", "100000"]))
    seen["fork 200"] = "ok"
except OSError as error:
    seen["fork 200"] = f"failed after {len(procs)}: {error}"
try:
    block = bytearray(3 * 1024**3)
    seen["3 GiB"] = "ok"
except MemoryError:
    seen["3 GiB"] = "MemoryError"
with os.fdopen(3, "w") as out:
    json.dump(seen, out)
"""


def survivors(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    reason = sandbox.sandbox_unavailable()
    if reason:
        unavailable(reason, "CI=true: the grader's sandbox must be tested", "sandbox tests skipped")
    return sandbox.students_library(ROOT, tmp_path_factory.mktemp("students") / "site")


@pytest.fixture(scope="module")
def report(library, tmp_path_factory) -> dict:
    tools = tmp_path_factory.mktemp("tools")
    (tools / "probe.py").write_text(PROBE, encoding="utf-8")
    sandbox._readable(tools)
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=lambda: listener.accept(), daemon=True).start()
    os.environ["VIENTIANE_TEST_SECRET"] = SECRET  # the grader's environment holds a secret
    try:
        box = sandbox.Sandbox(library, tools, sandbox.Limits(processes=64, address_space=2 * 1024**3))
        argv = [sys.executable, "/sandbox/tools/probe.py", str(ROOT), str(listener.getsockname()[1]), MARKER]
        outcome = run_interruptibly(box.run(argv, b"", 600, tmp_path_factory.mktemp("run")))
    finally:
        del os.environ["VIENTIANE_TEST_SECRET"]
        listener.close()
    assert outcome.returncode == 0, outcome.stderr.decode(errors="replace")
    return json.loads(outcome.output)


def test_no_view_of_the_teachers_repository_or_tools(report):
    assert report["repository"][0] == "failed" or json.loads(report["repository"][1].replace("'", '"')) == [".venv"]
    assert report["teacher tools"][0] == "failed"
    assert report["teacher home"][0] == "failed" or report["teacher home"][1] in ("[]", "['.pyenv']")


def test_the_library_is_the_students_copy_and_read_only(report):
    assert report["library"] == ["ok", repr(f"{sandbox.INSIDE_LIBRARY}/vientiane/__init__.py")]
    for name in ("key file", "write venv", "write usr"):
        assert report[name][0] == "failed", (name, report[name])
        assert "Read-only file system" in report[name][1] or "Permission denied" in report[name][1], report[name]
    assert " /sandbox/site ro," in report["mounts"] or "/sandbox/site ro" in report["mounts"]


def test_an_empty_home_and_tmp_of_its_own(report):
    assert report["home"] == ["ok", "'absent'"] or report["home"] == ["ok", "[]"]
    assert report["write tmp"][0] == "ok"


def test_no_network_and_none_of_the_teachers_environment(report):
    assert report["tcp to the grader"][0] == "failed"
    assert SECRET not in json.dumps(report["environ"])
    assert set(report["environ"]) - {"PWD"} <= set(sandbox.Sandbox(Path("/"), Path("/")).environment())


def test_it_sees_only_its_own_processes(report):
    assert len(json.loads(report["processes"][1].replace("'", '"'))) < 10


def test_process_and_memory_limits(report):
    assert report["fork 200"].startswith("failed after"), report["fork 200"]
    assert report["3 GiB"] == "MemoryError"


def test_no_process_outlives_the_sandbox(report):
    assert survivors(MARKER) == []


def test_a_sandbox_that_runs_too_long_is_killed_with_everything_in_it(library, tmp_path):
    marker = f"vientiane-forever-{uuid.uuid4().hex}"
    script = (
        "import subprocess, sys, time; "
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(100000)', '{marker}'], start_new_session=True); "
        "time.sleep(100000)"
    )
    box = sandbox.Sandbox(library, tmp_path)
    outcome = run_interruptibly(box.run([sys.executable, "-c", script], b"", 5, tmp_path / "run"))
    assert outcome.timed_out and outcome.returncode is None
    assert survivors(marker) == []


def test_the_probe_can_see_its_own_child(library, tmp_path):
    """The survivors check can fail: while the sandbox runs, its child is found."""
    marker = f"vientiane-seen-{uuid.uuid4().hex}"
    script = (
        "import os, subprocess, sys, time; "
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(100000)', '{marker}']); "
        "time.sleep(1); os.write(3, b'started')"
    )
    box = sandbox.Sandbox(library, tmp_path)

    async def watch():
        task = asyncio.create_task(box.run([sys.executable, "-c", script], b"", 600, tmp_path / "run"))
        seen = []
        while not task.done():
            seen += survivors(marker)
            await asyncio.sleep(0.05)
        return await task, seen

    outcome, seen = run_interruptibly(watch())
    assert outcome.output == b"started" and seen and survivors(marker) == []


def test_input_comes_on_stdin_and_the_result_through_its_descriptor(library, tmp_path):
    script = "import os, sys; os.write(3, sys.stdin.buffer.read()[::-1])"
    box = sandbox.Sandbox(library, tmp_path)
    outcome = run_interruptibly(box.run([sys.executable, "-c", script], b"olleh", 600, tmp_path / "r"))
    assert outcome.output == b"hello"


@pytest.mark.skipif(os.geteuid() != 0, reason="as any other user the sandbox runs as that user, in a user namespace")
def test_a_run_never_takes_the_user_id_another_grader_holds(library, tmp_path):
    """Another grader on the machine (a process of its own) holds the first sandbox user id;
    this run must take another: the process limit counts per user id, so a runaway next door
    would otherwise starve this run (a make test run saw 'Resource temporarily unavailable')."""
    import subprocess

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from vientiane_teacher import sandbox\nwith sandbox.own_uid() as uid:\n"
            "    print(uid, flush=True)\n    input()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "lib")},
    )
    try:
        held = int(holder.stdout.readline())
        box = sandbox.Sandbox(library, tmp_path)
        script = "import os; os.write(3, str(os.getuid()).encode())"
        outcome = run_interruptibly(box.run([sys.executable, "-c", script], b"", 600, tmp_path / "run"))
    finally:
        holder.communicate("\n")
    assert held == sandbox.SANDBOX_UID
    assert int(outcome.output) >= sandbox.SANDBOX_UID and int(outcome.output) != held


def test_without_bwrap_it_says_what_to_install(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    assert "apt-get install bubblewrap" in sandbox.sandbox_unavailable()


def test_unsandboxed_runs_the_same_way_with_a_clean_environment(library, tmp_path, monkeypatch):
    """``--unsandboxed``: no bwrap, but the students' library and none of the teacher's variables."""
    monkeypatch.setenv("VIENTIANE_TEST_SECRET", SECRET)
    script = "import json, os, vientiane; os.write(3, json.dumps([dict(os.environ), vientiane.__file__]).encode())"
    box = sandbox.Unsandboxed(library, tmp_path)
    outcome = run_interruptibly(box.run([sys.executable, "-c", script], b"", 600, tmp_path / "r"))
    environ, where = json.loads(outcome.output)
    assert SECRET not in json.dumps(environ) and where.startswith(str(library))
