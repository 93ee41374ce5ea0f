"""environment.yml (conda, Binder) and pyproject.toml (pip) must list the same packages."""

import re
import tomllib

from tests.repo import ROOT


def _normalize(spec: str) -> tuple[str, str]:
    name, version = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), version.replace(" ", "")


def pyproject_requirements() -> set[tuple[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_normalize(s) for s in specs}


def environment_requirements() -> set[tuple[str, str]]:
    specs, in_dependencies = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"\w", line):  # a top-level key starts a new section
            in_dependencies = line.startswith("dependencies:")
            continue
        match = re.match(r"\s+-\s+([^#\s][^#]*)$", line)
        if match and in_dependencies:
            specs.append(match.group(1).strip())
    return {_normalize(s) for s in specs if not s.startswith(("python", "pip"))}


def test_environment_yml_matches_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_every_requirement_is_pinned_in_constraints():
    pinned = {
        _normalize(line.split("==")[0])[0]
        for line in (ROOT / "requirements/constraints.txt").read_text().splitlines()
        if "==" in line
    }
    missing = {name for name, _ in pyproject_requirements()} - pinned
    assert not missing, f"not pinned in requirements/constraints.txt: {missing}"


def test_every_folder_of_the_packages_is_listed_as_a_package():
    """setuptools installs a data folder (vientiane/geo) only as a package, and otherwise warns
    "Package would be ignored" during the first run's install: each folder is listed."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        p.relative_to(ROOT / "lib").as_posix().replace("/", ".")
        for top in ("vientiane", "vientiane_teacher")
        for p in [ROOT / "lib" / top, *(ROOT / "lib" / top).rglob("*")]
        if p.is_dir() and p.name != "__pycache__" and not p.name.endswith(".egg-info")
    }
    assert folders == listed
