"""Root conftest: applies to the doctests in lib/ as well as to tests/."""

import pytest

import vientiane


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    # The docstrings' examples say vientiane.load() as a student would type it.
    doctest_namespace["vientiane"] = vientiane
