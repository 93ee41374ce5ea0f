"""The live edition's build, without a browser: verified Pyodide files, the library's wheel and
its frictionless stamp, and a failed build that leaves the previous site alone."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.repo import ROOT
from vientiane import facts
from vientiane_teacher import live


def _package_copy(tmp_path: Path) -> Path:
    for folder in ("data", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path / "data" / "datapackage.json"


def test_without_frictionless_the_build_stamp_vouches_for_exactly_these_bytes(tmp_path, monkeypatch):
    stamp = facts.build_stamp(ROOT / "data" / "datapackage.json")  # here, with frictionless
    # Then as in the browser: no frictionless, and no validation remembered in the cache.
    monkeypatch.setattr(facts, "_has_frictionless", lambda: False)
    monkeypatch.setenv("VIENTIANE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(facts, "_MEMO", {})
    package = _package_copy(tmp_path / "copy")
    with pytest.raises(facts.FactsError, match="validation stamp is missing"):
        facts.load(package)
    (package.parent / facts.BUILD_STAMP).write_text(stamp + "\n")
    assert f"{facts.load(package).as_of:%Y-%m-%d}" == json.loads(package.read_text(encoding="utf-8"))["as_of"]
    facts._MEMO.clear()
    events = package.parent / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Vientiane", "Vientiane ", 1), encoding="utf-8")
    with pytest.raises(facts.FactsError, match="does not match these files"):
        facts.load(package)


def _lock(files: dict[str, bytes]) -> dict:
    return {
        "packages": {
            name.split("-")[0]: {"file_name": name, "sha256": hashlib.sha256(data).hexdigest(), "depends": []}
            for name, data in files.items()
        }
    }


def test_a_file_that_does_not_match_the_official_lock_stops_the_build_naming_it(tmp_path):
    good, bad = b"official bytes", b"official bytes, changed"
    lock = _lock({"numpy-2.0.2-x.whl": good, "pandas-2.2.3-x.whl": good})
    (tmp_path / "numpy-2.0.2-x.whl").write_bytes(good)
    (tmp_path / "pandas-2.2.3-x.whl").write_bytes(bad)
    assert live.verified_package_files(lock, ["numpy"], tmp_path, tmp_path) == {"numpy-2.0.2-x.whl": good}
    with pytest.raises(live.LiveBuildError, match=r"pandas-2\.2\.3-x\.whl: SHA-256 .* is not the official lock's"):
        live.verified_package_files(lock, ["numpy", "pandas"], tmp_path, tmp_path)
    (tmp_path / "pandas-2.2.3-x.whl").unlink()
    with pytest.raises(live.LiveBuildError, match=r"pandas-2\.2\.3-x\.whl: not in"):
        live.verified_package_files(lock, ["pandas"], tmp_path, tmp_path)


def test_a_failed_build_leaves_the_previous_site_as_it_was(tmp_path):
    site = tmp_path / "live"
    site.mkdir()
    (site / "index.html").write_text("the good site")
    empty_distribution = tmp_path / "dist"
    empty_distribution.mkdir()
    with pytest.raises(live.LiveBuildError, match="cannot be verified"):
        live.build(site, dist=empty_distribution)
    assert (site / "index.html").read_text() == "the good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "live"], "a half-built folder was left behind"


def test_the_library_wheel_holds_the_students_library_its_data_and_the_stamp_and_imports(tmp_path):
    wheel = live.library_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if "vientiane_teacher" in n or "__pycache__" in n]
    assert f"vientiane/collection/data/{facts.BUILD_STAMP}" in names
    assert live.library_wheel(tmp_path).read_bytes() == wheel.read_bytes(), "same inputs, other bytes"
    unpacked = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = (
        "import vientiane, vientiane.facts as f; f._has_frictionless = lambda: False; "
        "print(vientiane.__file__); print(len(vientiane.load().members('EAS', on='2016-07-26')))"
    )
    env = {**os.environ, "PYTHONPATH": str(unpacked), "VIENTIANE_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, members = done.stdout.split()
    assert where.startswith(str(unpacked)), f"imported {where}, not the wheel's copy"
    assert int(members) == len(facts.load().members("EAS", on="2016-07-26"))


def test_the_pruned_lock_is_what_the_lessons_need(tmp_path):
    core = live.pyodide_core(live.cache_dir())
    official = json.loads((core / "pyodide-lock.json").read_text(encoding="utf-8"))
    needed = live.needed_packages(official)
    assert {"pandas", "matplotlib", "numpy", "micropip", "ipython"} <= set(needed)
    assert not {"scipy", "pyarrow", "scikit-learn", "openblas"} & set(needed)


def test_each_live_lesson_is_the_self_study_edition_with_the_live_note(tmp_path):
    """The live site's lessons carry the guide's folded model answers, as the self-study edition
    does (one function makes both), and nothing for teachers."""
    import nbformat

    from vientiane_teacher import editions, lessons

    names = live.write_contents(tmp_path / "files", ROOT)
    tmp_path = tmp_path / "files"
    guide = (ROOT / "notebooks" / "teacher_guide.md").read_text(encoding="utf-8")
    assert names == [p.name for p in lessons.lessons(ROOT)]
    for path in lessons.lessons(ROOT):
        shipped = nbformat.read(tmp_path / path.name, as_version=4)
        self_study = editions.self_study_notebook(nbformat.read(path, as_version=4), path.name[:2], guide)
        assert shipped.cells.pop(1).id == "live-edition-note"
        assert [c.source for c in shipped.cells] == [c.source for c in self_study.cells], path.name
        folded = [c for c in shipped.cells if lessons.has_role(c, lessons.MODEL_ANSWER)]
        assert len(folded) == 2 and all("write yours first, then open" in c.source for c in folded), path.name
        assert not [c for c in shipped.cells if lessons.roles(c) & set(lessons.TEACHER_ONLY)], path.name
