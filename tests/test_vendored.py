"""The vendored JavaScript (lib/vientiane_teacher/static) is the one its README names, and the
widget renderer fits the ipywidgets we pin: a page built from the lessons renders their widgets."""

import hashlib
import re
import tomllib

import ipywidgets._version

from tests.repo import ROOT

STATIC = ROOT / "lib" / "vientiane_teacher" / "static"
README = (STATIC / "README.md").read_text(encoding="utf-8")
# | `embed-amd.js` | `@jupyter-widgets/html-manager@1.0.15`, ... | `<sha256>` | license |
ROWS = re.findall(r"^\| `([\w.-]+\.js)` \| `(@?[\w/.-]+)@(\d+\.\d+\.\d+)`.*?\| `([0-9a-f]{64})` \|", README, re.M)


def satisfies(version: str, npm_range: str) -> bool:
    """npm's caret and tilde ranges (``^1.0.1``, ``~1.0.1``) and exact versions."""
    have = tuple(int(n) for n in version.split("."))
    low = tuple(int(n) for n in npm_range.lstrip("^~").split("."))
    if npm_range.startswith("^"):
        major = next((i for i, n in enumerate(low) if n), len(low) - 1)  # ^0.2.3 stays below 0.3
        return have >= low and have[: major + 1] == low[: major + 1]
    if npm_range.startswith("~"):
        return have >= low and have[:2] == low[:2]
    return have == low


def pinned(name: str) -> str:
    lines = (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
    return next(line.split("==")[1].strip() for line in lines if line.split("==")[0].strip().lower() == name)


def test_every_vendored_file_is_in_the_readme_with_its_sha256():
    assert sorted(name for name, *_ in ROWS) == sorted(p.name for p in STATIC.glob("*.js"))
    for name, _package, _version, sha256 in ROWS:
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == sha256, (
            f"{name} is not the file the README names"
        )


def test_the_renderer_fits_the_pinned_ipywidgets():
    ((package, version),) = [(p, v) for name, p, v, _ in ROWS if name == "embed-amd.js"]
    assert package == "@jupyter-widgets/html-manager"
    assert f'rE:"{version}"' in (STATIC / "embed-amd.js").read_text(encoding="utf-8"), "the file is another version"
    # The range comes from the installed ipywidgets: it must be the pinned one.
    assert ipywidgets._version.__version__ == pinned("ipywidgets")
    wanted = ipywidgets._version.__html_manager_version__
    assert satisfies(version, wanted), f"html-manager {version} does not satisfy ipywidgets' {wanted}"


def test_ipywidgets_is_capped_below_the_next_major_version():
    """A new major ipywidgets needs a new renderer: the ranges stop before it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (spec,) = [s for s in project["dependencies"] if s.startswith("ipywidgets")]
    assert "<9" in spec.replace(" ", "")
    assert pinned("ipywidgets").startswith("8.")


def test_satisfies():
    assert satisfies("1.0.15", "^1.0.1") and not satisfies("2.0.0", "^1.0.1") and not satisfies("1.0.0", "^1.0.1")
    assert satisfies("0.2.9", "^0.2.3") and not satisfies("0.3.0", "^0.2.3")
    assert satisfies("1.0.9", "~1.0.1") and not satisfies("1.1.0", "~1.0.1") and satisfies("1.2.3", "1.2.3")
