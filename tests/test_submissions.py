"""Awkward inputs, each exactly one row with a status (vientiane_teacher.submissions), without
running any notebook: a name that is not UTF-8, a zip inside a zip, a linked folder, a zip bomb,
a damaged zip, the same entry twice, and a fault while reading one file."""

import os
import zipfile
from pathlib import Path

import pytest

from vientiane_teacher import submissions
from vientiane_teacher.submissions import MAX_BYTES, find_submissions

LESSON = "02_membership_structures"
NOTEBOOK = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'


def rows(folder: Path) -> dict[str, str]:
    return {s.file: s.status for s in find_submissions(folder, [LESSON])}


def test_a_name_that_is_not_utf8_stays_recognisable_and_can_be_written(tmp_path):
    name = os.fsdecode(f"M\xfcller_{LESSON}.ipynb".encode("latin-1"))
    (tmp_path / name).write_bytes(NOTEBOOK)
    (found,) = find_submissions(tmp_path, [LESSON])
    assert (found.file, found.student, found.status) == (f"Müller_{LESSON}.ipynb", "Müller", "")
    found.file.encode("utf-8")  # a grades.csv row can hold it


def test_a_zip_inside_a_zip_is_reported_not_ignored(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as bundle:
        bundle.writestr(f"{LESSON}.ipynb", NOTEBOOK)
    (tmp_path / "in").mkdir()
    with zipfile.ZipFile(tmp_path / "in" / "outer.zip", "w") as bundle:
        bundle.write(inner, "carol/inner.zip")
    assert rows(tmp_path / "in") == {
        "outer.zip:carol/inner.zip": "a zip inside a zip (not opened): unpack it once and grade again"
    }


def test_linked_files_and_folders_are_reported_not_followed(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / f"{LESSON}.ipynb").write_bytes(NOTEBOOK)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bob").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "in" / f"eve_{LESSON}.ipynb").symlink_to(tmp_path / "elsewhere" / f"{LESSON}.ipynb")
    assert rows(tmp_path / "in") == {
        "bob": "symbolic link (not followed)",
        f"eve_{LESSON}.ipynb": "symbolic link (not followed)",
    }


def test_a_zip_bomb_is_too_large_without_being_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_BYTES", 1024 * 1024)  # the real limit is 200 MB: the same code, smaller
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"a/{LESSON}.ipynb", b"0" * (2 * 1024 * 1024))
        bundle.writestr(f"b/{LESSON}.ipynb", NOTEBOOK)
    assert rows(tmp_path) == {f"bomb.zip:a/{LESSON}.ipynb": "too large", f"bomb.zip:b/{LESSON}.ipynb": ""}
    assert MAX_BYTES == 200 * 1024 * 1024


def test_the_notebooks_of_one_zip_together_have_a_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "ZIP_BUDGET", len(NOTEBOOK) * 2)
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as bundle:
        for student in "abc":
            bundle.writestr(f"{student}/{LESSON}.ipynb", NOTEBOOK)
    assert list(rows(tmp_path).values()) == ["", "", "too large"]


def test_a_damaged_zip_and_the_same_entry_twice(tmp_path):
    (tmp_path / "damaged.zip").write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.warns(UserWarning), zipfile.ZipFile(tmp_path / "dup.zip", "w") as bundle:
        for _ in range(2):
            bundle.writestr(f"dave/{LESSON}.ipynb", NOTEBOOK)
    found = [(s.file, s.status) for s in find_submissions(tmp_path, [LESSON])]
    assert found[0][0] == "damaged.zip" and found[0][1].startswith("not a notebook (a damaged zip")
    assert found[1:] == [(f"dup.zip:dave/{LESSON}.ipynb", "")] * 2


def test_a_fault_while_reading_one_file_becomes_its_row(tmp_path, monkeypatch):
    for student in ("ann", "ben"):
        (tmp_path / f"{student}_{LESSON}.ipynb").write_bytes(NOTEBOOK)
    real = submissions._read

    def flaky(path, file, student):
        if student == "ann":
            raise RuntimeError("a bug of ours")
        return real(path, file, student)

    monkeypatch.setattr(submissions, "_read", flaky)
    assert rows(tmp_path) == {
        f"ann_{LESSON}.ipynb": "could not read it: RuntimeError: a bug of ours",
        f"ben_{LESSON}.ipynb": "",
    }
