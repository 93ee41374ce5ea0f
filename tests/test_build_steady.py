"""The build under load and after faults (issue 17): the same bytes with both cores busy, a
folder that cannot be written found before anything is replaced, and what a killed build left
behind removed by the next one. Tiny lessons in a temporary project, as in tests/test_build.py.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tests.ci import unavailable
from tests.test_build import FIGURE, WIDGET, _Quiet, ran, snapshot, write_lesson
from vientiane_teacher import build as builder

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds (kernels)

# Text written in parts: a part flushed, a pause longer than the kernel's flush interval (0.2 s),
# more lines, stderr between. Without coalescing, how many stream outputs this gives depends on
# timing (on a busy machine a print can arrive in two messages).
CHATTY = """\
import sys, time
print("first part", flush=True)
time.sleep(0.5)
for i in range(200):
    print("line", i)
sys.stderr.write("a warning\\n")
print("last part")"""
SLOW = "import time\ntime.sleep(600)  # long enough to be killed in"
BUSY_LIMIT = 600  # seconds: a spinning helper stops by itself even if this test is killed
SPIN = f"import time\nend = time.monotonic() + {BUSY_LIMIT}\nwhile time.monotonic() < end:\n    pass"
TIMED = {"build/status.md", "build/inputs.json"}  # these record the seconds a lesson took


def make_project(root: Path, *lessons: tuple[str, list[str]]) -> Path:
    for name in ("data", "seeds", "requirements"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "notebooks").mkdir()
    for name, sources in lessons:
        write_lesson(root, name, *sources)
    return root


@pytest.fixture(scope="module")
def chatty(tmp_path_factory) -> Path:
    """A project with a lesson that writes text in parts, built once on a machine as it is."""
    root = make_project(tmp_path_factory.mktemp("chatty"), ("00_chatty", [FIGURE, WIDGET, CHATTY]))
    assert ran(builder.build(root, force=True, out=_Quiet())) == ["00_chatty"]
    return root


@pytest.fixture
def busy_cores():
    """Every core busy with a spinning process while the test runs (each stops by itself after
    BUSY_LIMIT seconds, and is killed when the test ends)."""
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(os.cpu_count() or 2)]
    try:
        yield len(spinners)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_text_written_in_parts_is_one_output_per_stream(chatty):
    nb = nbformat.read(chatty / "notebooks" / "00_chatty.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "first part" in c.source)
    assert [o.get("name") for o in cell.outputs] == ["stdout", "stderr"]  # one of each, stdout first
    text = "".join(o.text for o in cell.outputs if o.get("name") == "stdout")
    assert text.startswith("first part\nline 0\n") and text.endswith("line 199\nlast part\n")


def test_a_build_with_every_core_busy_gives_the_same_bytes(chatty, tmp_path, busy_cores):
    project = tmp_path / "project"
    shutil.copytree(chatty, project)
    before = snapshot(project)
    assert ran(builder.build(project, force=True, out=_Quiet())) == ["00_chatty"]
    after = snapshot(project)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert set(changed) <= TIMED, f"with {busy_cores} cores busy these changed: {changed}"


def test_a_read_only_figures_folder_is_found_before_anything_is_replaced(chatty, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(chatty, project)
    write_lesson(project, "00_chatty", FIGURE, WIDGET, CHATTY, "print('changed')")  # runs again
    before = snapshot(project)
    figures = project / "figures"
    command = [sys.executable, "-m", "vientiane_teacher.build", "--root", str(project)]
    if os.geteuid() == 0:  # root writes anywhere: a read-only mount of figures/ instead
        if not shutil.which("bwrap"):
            unavailable("bwrap not found", "CI=true: make test installs bubblewrap", "a read-only mount needs bwrap")
        command = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(figures), str(figures), *command]
    else:
        figures.chmod(0o555)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    finally:
        figures.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"cannot write to {figures}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(project) == before, "a file was replaced before the build found it could not finish"
    assert not list((project / "build").glob(".staging-*"))


def test_a_build_killed_outright_leaves_nothing_the_next_build_keeps(chatty, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(chatty, project)
    write_lesson(project, "00_chatty", FIGURE, WIDGET, SLOW)
    command = [sys.executable, "-m", "vientiane_teacher.build", "--root", str(project)]
    killed = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        # Wait for a sign of work, not for a time: the lesson's kernel log in the staging folder.
        deadline = time.monotonic() + 600
        while not list((project / "build").glob(".staging-*/logs/00_chatty.log")):
            assert killed.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
            time.sleep(0.2)
    finally:
        os.killpg(killed.pid, signal.SIGKILL)  # the build and its kernel, no chance to tidy up
        killed.wait()
    assert list((project / "build").glob(".staging-*")), "the kill left no staging folder: nothing to test"

    write_lesson(project, "00_chatty", FIGURE, WIDGET, CHATTY, "print('after the kill')")
    assert ran(builder.build(project, out=_Quiet())) == ["00_chatty"]
    assert not list((project / "build").glob(".staging-*"))
    inputs = json.loads((project / "build" / "inputs.json").read_text(encoding="utf-8"))
    assert set(inputs) == {"00_chatty"}


def test_a_kernel_has_no_tcp_port_another_kernel_could_take_first(tmp_path):
    """The runner's kernels talk over IPC sockets in a folder of their own, removed after the
    run: with TCP the client picks free ports and the kernel binds them a moment later, and a
    kernel started meanwhile by the other test worker took one ("Address already in use",
    the build failed before its first cell)."""
    from nbformat.v4 import new_code_cell, new_notebook

    from vientiane_teacher.runner import execute, run_interruptibly

    cell = "from ipykernel.connect import get_connection_info\nprint(get_connection_info(unpack=True))"
    run = run_interruptibly(execute(new_notebook(cells=[new_code_cell(cell)]), cwd=tmp_path))
    assert run.ok, run.failure("transport")
    info = eval(run.nb.cells[0].outputs[0]["text"])  # noqa: S307 (the kernel's own dict, printed)
    assert info["transport"] == "ipc"
    assert not Path(info["ip"]).parent.exists()


def test_nbval_kernels_have_no_tcp_port_either():
    """nbval's kernels are started as tests/ipc_kernels.py says (conftest.py puts it in place)."""
    import nbval.kernel

    kernel = nbval.kernel.RunningKernel("python3")
    try:
        assert kernel.km.get_connection_info()["transport"] == "ipc"
    finally:
        kernel.stop()
