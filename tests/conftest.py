"""Shared fixtures: the bundled facts, and a scratch copy of the data package to break."""

import shutil

import pytest

import vientiane
from tests.repo import ROOT


@pytest.fixture(scope="session")
def facts():
    return vientiane.load()


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of data/ and seeds/ in a temporary project folder; returns its datapackage.json.

    Validation is never cached for it (each test gets an empty cache folder).
    """
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("VIENTIANE_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "datapackage.json"
