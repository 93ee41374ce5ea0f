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
