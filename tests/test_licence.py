"""The open-licence basics: LICENSE names the terms of every part and points at files that
exist; CITATION.cff is valid Citation File Format 1.2.0 (the schema's required keys and types;
``cffconvert --validate`` passed on it when it was written) and invents no author."""

import re
import tomllib
from pathlib import Path

import yaml

from vientiane_teacher import publish

ROOT = Path(__file__).resolve().parents[1]
LICENSE = (ROOT / "LICENSE").read_text(encoding="utf-8")
PARTS = {  # part: (words the LICENSE must say of it, the files that hold its terms)
    "code": ("MIT License", ["LICENSE"]),
    "lessons and prose": ("CC BY 4.0", ["notebooks/LICENSE.md"]),
    "data": ("CC BY 4.0", ["data/LICENSE.md"]),
    "the article under study": ("publisher's copyright, quoted for teaching", ["seeds/LICENSE.md"]),
    "the map geometry": ("Natural Earth (public domain)", ["lib/vientiane/geo/LICENSE", "lib/vientiane/geo/README.md"]),
    "vendored JavaScript": (
        "their own licences",
        ["lib/vientiane_teacher/static/LICENSE-requirejs.txt", "lib/vientiane_teacher/static/LICENSE-html-manager.txt"],
    ),
}


def test_the_licence_names_every_part_and_its_terms():
    for part, (terms, files) in PARTS.items():
        row = next((line for line in LICENSE.splitlines() if line.startswith(f"| {part} |")), None)
        assert row, f"LICENSE has no row for {part!r}"
        assert terms in row or terms in LICENSE, f"LICENSE does not say {terms!r} of {part}"
        for name in files:
            assert (ROOT / name).is_file(), f"{name} (the terms of {part}) is missing"
    assert "the Vientiane collection contributors" in LICENSE


def test_the_licence_files_name_their_licence():
    assert "CC BY 4.0" in (ROOT / "notebooks" / "LICENSE.md").read_text(encoding="utf-8")
    data = (ROOT / "data" / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data and "rather than ODbL" in data, "the data licence says which and why"
    assert "not** covered" in (ROOT / "seeds" / "LICENSE.md").read_text(encoding="utf-8")
    geo = (ROOT / "lib" / "vientiane" / "geo" / "LICENSE").read_text(encoding="utf-8")
    assert geo.startswith("The MIT License") and "Tétreault-Pinard" in geo
    assert "MIT" in LICENSE.split("| the map geometry |")[1].splitlines()[0]


def test_every_vendored_file_has_its_licence():
    static = ROOT / "lib" / "vientiane_teacher" / "static"
    readme = (static / "README.md").read_text(encoding="utf-8")
    for script in sorted(static.glob("*.js")):
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{script.name}` |"))
        named = re.findall(r"`(LICENSE-[\w.-]+)`", row)
        assert named and all((static / n).is_file() for n in named), f"{script.name}: no licence file named"


def test_the_code_licence_is_the_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"


def test_the_student_branch_carries_the_terms():
    assert {"LICENSE", "CITATION.cff", "notebooks/LICENSE.md"} <= set(publish.LICENCES)
    assert all((ROOT / name).is_file() for name in publish.LICENCES)
    assert "data" in publish.COPIED and "seeds" in publish.COPIED  # with their LICENSE.md


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_citation_file_is_valid_cff():
    cff = citation()
    for key in ("cff-version", "message", "title", "authors"):  # required by the 1.2.0 schema
        assert key in cff, f"CITATION.cff has no {key!r}"
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["authors"], list) and cff["authors"]
    for author in cff["authors"]:  # a person (family-names) or an entity (name)
        assert isinstance(author, dict) and ({"name", "family-names"} & set(author)), author
    assert cff.get("type", "software") in ("software", "dataset")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", str(cff["date-released"]))
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    assert set(licences) <= {"MIT", "CC-BY-4.0"}, "SPDX ids of the collection's own terms"


def test_the_citation_invents_no_author_and_matches_the_package():
    cff = citation()
    assert cff["authors"] == [{"name": "the Vientiane collection contributors"}]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(cff["version"]) == project["version"]
