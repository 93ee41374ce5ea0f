"""Root conftest: applies to the doctests in lib/ as well as to tests/."""

import pytest

import vientiane


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    # The docstrings' examples say vientiane.load() as a student would type it.
    doctest_namespace["vientiane"] = vientiane


def pytest_configure(config):
    # Notebook runs under nbval save their figures; keep them out of the working tree.
    # (Kernels started by nbval inherit this environment.)
    import os
    import tempfile

    os.environ.setdefault("VIENTIANE_FIGURES", tempfile.mkdtemp(prefix="vientiane-test-figures-"))
