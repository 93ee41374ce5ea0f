"""Root conftest: applies to the doctests in lib/ as well as to tests/.

It sorts every test into one of two lanes. ``slow`` (the notebooks under nbval, the browser
tests, the classroom rehearsal, and any test marked ``slow``: builds, installs, grading runs)
needs kernels, servers or a browser; the rest is the fast lane (``make test-fast``, ``-m "not
slow"``). A session that selected no slow test may not start a kernel: it puts a kernel named
python3 first on JUPYTER_PATH that refuses to start and names the test that asked for it, and
the session fails. So a new kernel test that forgot its mark cannot slip into the fast lane.

It also keeps ``make test`` from writing into the working tree: every figure the notebooks
save goes to a temporary folder (checked against figures/ at the end, see
tests/test_after_notebooks.py), and the tracked files are fingerprinted before the first
test so that the last test can prove that nothing changed them.
"""

import os
import sys
import tempfile
from pathlib import Path

import pytest

import vientiane


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    # The docstrings' examples say vientiane.load() as a student would type it.
    doctest_namespace["vientiane"] = vientiane


def pytest_configure(config):
    # Kernels started by nbval inherit this environment: the same settings as `make figures`,
    # and figures written to a folder of this run, never to figures/.
    figures = tempfile.mkdtemp(prefix="vientiane-test-figures-")
    os.environ["VIENTIANE_FIGURES"] = figures
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    os.environ["PYTHONHASHSEED"] = "0"
    config.vientiane_figures = figures
    from tests import ipc_kernels
    from tests.working_tree import fingerprint

    ipc_kernels.use_for_nbval()

    config.vientiane_tree = fingerprint()


HERE = Path(__file__).resolve().parent
SLOW_FOLDERS = (HERE / "tests" / "browser", HERE / "tests" / "hub")
# Module doctests that start a kernel (the runner's example runs a notebook).
KERNEL_DOCTESTS = {"vientiane_teacher.runner"}

# The kernel the fast lane offers in place of python3: it records who asked, then exits.
REFUSING_KERNEL = """import os, sys
with open(sys.argv[1], "a", encoding="utf-8") as log:
    log.write(os.environ.get("PYTEST_CURRENT_TEST", "(outside a test)") + "\\n")
sys.exit("the fast lane starts no kernel: mark this test slow (pytest.mark.slow)")
"""


def is_slow(item) -> bool:
    """A test of the slow lane: marked ``slow``, a notebook cell (nbval), a check of what the
    notebooks wrote, a doctest that starts a kernel, or anything in tests/browser and tests/hub."""
    path = Path(str(item.fspath)).resolve()
    return (
        item.get_closest_marker("slow") is not None
        or item.get_closest_marker("after_notebooks") is not None
        or path.suffix == ".ipynb"
        or item.name in KERNEL_DOCTESTS
        or any(folder in path.parents for folder in SLOW_FOLDERS)
    )


def refuse_kernels(config) -> None:
    """Put a python3 kernel that refuses to start first on JUPYTER_PATH (children inherit it)."""
    import json

    home = Path(tempfile.mkdtemp(prefix="vientiane-fast-lane-"))
    spec = home / "kernels" / "python3"
    spec.mkdir(parents=True)
    (home / "refuse.py").write_text(REFUSING_KERNEL, encoding="utf-8")
    log = home / "kernels-started.txt"
    argv = [sys.executable, str(home / "refuse.py"), str(log), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "refused", "language": "python"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(home), os.environ.get("JUPYTER_PATH")]))
    config.vientiane_kernel_log = log


AFTER_NOTEBOOKS = "tests/test_after_notebooks.py"  # its tests read what the lessons saved


def work_unit(nodeid: str) -> str:
    """The pytest-xdist work unit of a test, from its node id: its file, so that a module's
    fixtures are set up once, except that the lessons under nbval and the checks of what they
    wrote are one unit, since those checks read the figures the lessons saved in the same worker.

    >>> work_unit("tests/test_data.py::test_rows[events]"), work_unit("notebooks/00_start_here.ipynb::Cell 3")
    ('tests/test_data.py', 'notebooks')
    """
    path = nodeid.split("::", 1)[0]
    return "notebooks" if path.endswith(".ipynb") or path == AFTER_NOTEBOOKS else path


# The longest work units, longest first (pytest's durations, fresh clone, 2 workers: the live
# edition 280-340 s, JupyterLab 130, Voila 115, grading 100, the accessibility audit 55-70,
# the grading attacks 40, the build 30, the classroom 25). pytest-xdist orders units by their
# number of tests, which queued the live edition (10 tests) 33rd and the audit (1 test) last.
LONGEST_FIRST = (
    "tests/browser/test_live.py",
    "tests/browser/test_lab.py",
    "tests/browser/test_voila.py",
    "tests/test_grade.py",
    "tests/browser/test_accessibility.py",
    "tests/test_grade_attacks.py",
    "tests/test_build.py",
    "tests/hub/test_classroom.py",
)


def unit_rank(unit: str) -> int:
    """Where a work unit goes in the queue: the known long ones first, then the rest in
    pytest-xdist's order (most tests first).

    >>> unit_rank("tests/browser/test_live.py"), unit_rank("tests/test_data.py")
    (0, 8)
    """
    return LONGEST_FIRST.index(unit) if unit in LONGEST_FIRST else len(LONGEST_FIRST)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``make test`` runs ``-n 2 --dist loadfile``: units as :func:`work_unit` draws them, the
    longest first (:func:`unit_rank`), so that no long unit is left for the end. A scheduler, not ``xdist_group`` marks: pytest-xdist 3.8
    marks groups by rewriting ``item._nodeid``, which pytest 9.2 no longer reads."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LessonsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            # The next unit a worker takes is the longest left (min: the first of equal rank).
            self.workqueue.move_to_end(min(self.workqueue, key=unit_rank), last=False)
            super()._assign_work_unit(node)

    return LessonsTogether(config, log)


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if is_slow(item) and item.get_closest_marker("slow") is None:
            item.add_marker("slow")
    # Checks of what the notebooks wrote run after the notebooks, whatever the folder order.
    later = [item for item in items if item.get_closest_marker("after_notebooks")]
    items[:] = [item for item in items if item not in later] + later
    config.vientiane_ran_notebooks = any(str(item.fspath).endswith(".ipynb") for item in items)


def pytest_collection_finish(session):
    # Runs after -m has deselected: no slow test left means the fast lane.
    if session.items and not any(item.get_closest_marker("slow") for item in session.items):
        refuse_kernels(session.config)


@pytest.fixture(autouse=True)
def _no_kernel_in_the_fast_lane(request):
    # Per test, so that it holds in every pytest-xdist worker too (a worker's exit status is lost).
    log = getattr(request.config, "vientiane_kernel_log", None)
    yield
    if log is not None and log.exists() and request.node.nodeid in log.read_text(encoding="utf-8"):
        pytest.fail(f"{request.node.nodeid} started a kernel in the fast lane: mark it slow (pytest.mark.slow)")


def tree_unchanged_after_every_worker(session) -> None:
    """Under pytest-xdist, tests/test_after_notebooks.py compares the working tree when its own
    worker is done; the controller compares it again once every worker is."""
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("dsession"):
        return
    if getattr(config, "vientiane_tree", None) is None:
        return
    from tests.working_tree import changes, fingerprint

    changed = changes(config.vientiane_tree, fingerprint())
    if changed:
        config.get_terminal_writer().line(f"the tests changed files of the working tree: {changed}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    from tests import ipc_kernels

    ipc_kernels.remove_folders()


def pytest_sessionfinish(session, exitstatus):
    tree_unchanged_after_every_worker(session)
    log = getattr(session.config, "vientiane_kernel_log", None)
    if log is not None and log.exists():
        asked = sorted(set(log.read_text(encoding="utf-8").split("\n")) - {""})
        session.config.get_terminal_writer().line(
            "the fast lane started a kernel; mark these tests slow (pytest.mark.slow):\n  " + "\n  ".join(asked),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
