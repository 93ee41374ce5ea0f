"""The two lanes (see conftest.py): every test is sorted, and the fast lane refuses kernels."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

import conftest
from tests.repo import ROOT


def test_the_fast_lane_refuses_a_kernel_and_names_the_test(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    # setenv records the variable's state (delenv of an unset one records nothing, and the
    # refusing kernel then outlived this test: the runner's doctest later got it).
    monkeypatch.setenv("JUPYTER_PATH", "")
    config = SimpleNamespace()
    conftest.refuse_kernels(config)  # sets JUPYTER_PATH; monkeypatch restores it afterwards
    spec = KernelSpecManager().get_kernel_spec("python3")
    argv = [part.format(connection_file="unused.json") for part in spec.argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "mark this test slow" in done.stderr
    assert "test_the_fast_lane_refuses_a_kernel_and_names_the_test" in config.vientiane_kernel_log.read_text()


@pytest.mark.parametrize(
    "path, slow",
    [
        ("tests/browser/test_lab.py", True),
        ("tests/hub/test_classroom.py", True),
        ("notebooks/02_membership_structures.ipynb", True),
        ("tests/test_api.py", False),
    ],
)
def test_browser_hub_and_notebooks_are_slow_by_where_they_are(path, slow):
    item = SimpleNamespace(fspath=ROOT / path, name=Path(path).stem, get_closest_marker=lambda name: None)
    assert conftest.is_slow(item) is slow


def test_the_runners_doctest_which_starts_a_kernel_is_slow():
    path = ROOT / "lib" / "vientiane_teacher" / "runner.py"
    item = SimpleNamespace(fspath=path, name="vientiane_teacher.runner", get_closest_marker=lambda name: None)
    assert conftest.is_slow(item)


def make_test_scheduler():
    """The scheduler `make test` gets: its own arguments, through conftest.py's hook."""
    from xdist.remote import Producer

    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:")[1].split("\n\n")[0]
    dist = recipe.split("--dist ")[1].split()[0]
    options = {"dist": dist, "tx": ["2*popen"]}
    config = SimpleNamespace(getvalue=options.get, option=SimpleNamespace(loadscopereorder=True))
    return conftest.pytest_xdist_make_scheduler(config=config, log=Producer("test", enabled=False))


def test_make_test_runs_the_lessons_and_their_checks_in_one_worker_and_each_file_whole():
    # Broken once on purpose: with every test its own unit, nbval ran each cell in a new kernel.
    scheduler = make_test_scheduler()
    assert scheduler is not None, "make test's --dist has no scheduler in conftest.py"
    unit = scheduler._split_scope
    assert unit("notebooks/00_start_here.ipynb::Cell 0") == unit("notebooks/04_security_architecture.ipynb::Cell 9")
    assert unit("notebooks/00_start_here.ipynb::Cell 0") == unit(
        f"{conftest.AFTER_NOTEBOOKS}::test_the_figures_index_is_fresh"
    )
    assert (
        unit("tests/test_grade.py::test_a")
        == unit("tests/test_grade.py::test_b[x::y]")
        != unit("tests/test_api.py::test_a")
    )
    assert unit("tests/test_api.py::test_a") != unit("notebooks/00_start_here.ipynb::Cell 0")


def test_a_worker_takes_the_longest_unit_left_first():
    # Broken once on purpose: in pytest-xdist's own order the live edition waited behind the
    # files with more tests.
    scheduler = make_test_scheduler()
    nodeids = ["tests/test_data.py::test_a", "tests/test_data.py::test_b", "tests/browser/test_live.py::test_a"]
    nodeids += ["tests/test_grade.py::test_a", "tests/test_api.py::test_a"]
    sent = []

    class Worker:
        def send_runtest_some(self, indexes):
            sent.append([nodeids[i] for i in indexes])

    node = Worker()
    scheduler.registered_collections = {node: nodeids}
    for nodeid in nodeids:
        scheduler.workqueue.setdefault(scheduler._split_scope(nodeid), {})[nodeid] = False
    while scheduler.workqueue:
        scheduler._assign_work_unit(node)
    assert [units[0].split("::")[0] for units in sent] == [
        "tests/browser/test_live.py",
        "tests/test_grade.py",
        "tests/test_data.py",
        "tests/test_api.py",
    ]


@pytest.mark.parametrize("unit", conftest.LONGEST_FIRST)
def test_each_long_unit_named_is_a_test_file(unit):
    assert (ROOT / unit).is_file(), f"conftest.LONGEST_FIRST names {unit}, which is not a file"


def test_under_workers_the_controller_checks_the_working_tree_after_all_of_them(tmp_path, monkeypatch):
    from tests import working_tree

    tracked = tmp_path / "tracked.txt"
    monkeypatch.setattr(working_tree, "fingerprint", lambda: {"tracked.txt": tracked.read_text()})
    tracked.write_text("before")
    lines = []
    config = SimpleNamespace(
        vientiane_tree=working_tree.fingerprint(),
        pluginmanager=SimpleNamespace(hasplugin=lambda name: name == "dsession"),
        get_terminal_writer=lambda: SimpleNamespace(line=lambda text, **markup: lines.append(text)),
    )
    session = SimpleNamespace(config=config, exitstatus=pytest.ExitCode.OK)
    conftest.tree_unchanged_after_every_worker(session)
    assert session.exitstatus == pytest.ExitCode.OK and not lines
    tracked.write_text("after")  # a test on another worker changed a tracked file
    conftest.tree_unchanged_after_every_worker(session)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED and "tracked.txt" in lines[0]
