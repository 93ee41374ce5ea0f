"""Root conftest: applies to the doctests in lib/ as well as to tests/.

It also keeps ``make test`` from writing into the working tree: every figure the notebooks
save goes to a temporary folder (checked against figures/ at the end, see
tests/test_after_notebooks.py), and the tracked files are fingerprinted before the first
test so that the last test can prove that nothing changed them.
"""

import os
import tempfile

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
    from tests.working_tree import fingerprint

    config.vientiane_tree = fingerprint()


def pytest_collection_modifyitems(session, config, items):
    # Checks of what the notebooks wrote run after the notebooks, whatever the folder order.
    later = [item for item in items if item.get_closest_marker("after_notebooks")]
    items[:] = [item for item in items if item not in later] + later
    config.vientiane_ran_notebooks = any(str(item.fspath).endswith(".ipynb") for item in items)
