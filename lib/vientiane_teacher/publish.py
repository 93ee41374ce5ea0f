"""``make student``: the student edition as a commit on the branch ``student`` of this repository.

    python -m vientiane_teacher.publish            # or: make student (make figures calls it too)

The nbgitpuller and Binder links that the README gives teachers point at that branch. Its
tree holds what a student needs and nothing meant for the teacher:

* ``notebooks/``: the lessons from ``build/student/`` (no ``solution`` or ``teacher`` cells, no
  outputs; the self-checks work), and the glossary and reading list (``.md``) beside them, never
  the teacher guide;
* ``lib/vientiane/`` (the students' library, without the teacher's tools), ``data/``, ``seeds/``;
* ``pyproject.toml`` (installing ``vientiane`` only), ``setup.py``, ``MANIFEST.in``,
  ``environment.yml``, ``postBuild``, and a short README for students.

It is written with git plumbing and a temporary index: the working tree, the index and the
current branch are never touched. The same inputs give the same tree; when the tree has not
changed no commit is made. Each new commit has the previous ``student`` commit as its parent,
so nbgitpuller can merge it into a student's copy. The teacher then pushes the branch
(``git push origin student``). Outside a git repository (a downloaded zip) it says so; the
edition is still in ``build/student/``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .lessons import ROOT, files_below

BRANCH = "student"
COPIED = ("data", "seeds", "lib/vientiane", "environment.yml", "postBuild", "setup.py", "MANIFEST.in")
EXECUTABLE = {"postBuild"}
DOCUMENTS = ("glossary.md", "reading_list.md")  # from build/student/; the teacher guide is never one
LICENCES = ("LICENSE", "CITATION.cff", "notebooks/LICENSE.md")  # the terms travel with the lessons

README = """# Lavrov in Vientiane, July 2016: the lessons

Jupyter lessons on Russia's Foreign Minister Sergei Lavrov at the ASEAN meetings in Vientiane,
Laos, on 25-26 July 2016. Start with `notebooks/00_start_here.ipynb` and run the cells in order
(Shift-Enter). Each exercise ends with a self-check: replace the `...` with your answer and run
the cell again. The terms the lessons use are in `notebooks/glossary.md`, further reading in
`notebooks/reading_list.md`.

If a lesson says that the `vientiane` library is missing, install this folder once, in the
Python that your Jupyter uses, and restart the kernel:

    pip install .

This is the student edition, made from the teacher's repository ({source}).
"""


class NotARepository(Exception):
    """The collection's folder is not a git repository: the branch cannot be written."""


def student_tree(root: Path) -> dict[str, bytes]:
    """The files of the student edition, by path: what the ``student`` branch holds.

    Example (not run as a doctest: it reads every lesson)::

        sorted(p for p in student_tree(ROOT) if p.startswith("notebooks/"))[:1]
        # ['notebooks/00_start_here.ipynb']
    """
    root = Path(root)
    lessons = sorted((root / "build" / "student").glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"no student edition in {root / 'build' / 'student'}: run `make figures` first")
    files = {f"notebooks/{p.name}": p.read_bytes() for p in lessons}
    documents = [root / "build" / "student" / name for name in DOCUMENTS]
    files |= {f"notebooks/{p.name}": p.read_bytes() for p in documents if p.is_file()}
    for name in COPIED:
        path = root / name
        found = files_below(path) if path.is_dir() else [path]
        files |= {p.relative_to(root).as_posix(): p.read_bytes() for p in found}
    files |= {name: (root / name).read_bytes() for name in LICENCES if (root / name).is_file()}
    files["pyproject.toml"] = students_pyproject((root / "pyproject.toml").read_text(encoding="utf-8")).encode()
    files["README.md"] = README.format(source=_origin(root)).encode()
    files[".gitignore"] = b"__pycache__/\n*.egg-info/\nbuild/\nfigures/\n.ipynb_checkpoints/\n"
    return files


def students_pyproject(text: str) -> str:
    """The collection's pyproject.toml, installing the students' library only (``vientiane``
    and its data folders, not ``vientiane_teacher``).

    >>> print(students_pyproject('packages = ["vientiane", "vientiane.geo", "vientiane_teacher", "vientiane_teacher.static"]\\n'
    ...                          '[tool.setuptools.package-data]\\n"vientiane.geo" = ["*"]\\n'
    ...                          '"vientiane_teacher.static" = ["*"]\\nvientiane_teacher = ["x"]\\n'))
    packages = ["vientiane", "vientiane.geo"]
    [tool.setuptools.package-data]
    "vientiane.geo" = ["*"]
    <BLANKLINE>
    """

    def students_only(listed: re.Match) -> str:
        names = re.findall(r'"([^"]+)"', listed.group(1))
        kept = [n for n in names if n.split(".")[0] != "vientiane_teacher"]
        return "packages = [" + ", ".join(f'"{n}"' for n in kept) + "]"

    text = re.sub(r"packages = \[([^\]]*)\]", students_only, text)
    return re.sub(r'(?m)^"?vientiane_teacher[."= ].*\n', "", text)


def publish(root: Path = ROOT, branch: str = BRANCH, out=None) -> str | None:
    """Write the student edition as a commit on ``branch``; return its id (None: unchanged).

    Raises ``NotARepository`` outside a git repository.
    """
    root, out = Path(root), out or sys.stdout
    if _git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() != "true":
        raise NotARepository(f"{root} is not a git repository: the student edition is in build/student/ only")
    files = student_tree(root)
    with tempfile.TemporaryDirectory(prefix="vientiane-publish-") as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}  # a private index: the teacher's is untouched
        entries = []
        for path in sorted(files):
            blob = _git(root, "hash-object", "-w", "--stdin", data=files[path]).strip()
            mode = "100755" if path in EXECUTABLE else "100644"
            entries.append(f"{mode} {blob}\t{path}")
        _git(root, "update-index", "--add", "--index-info", data="\n".join(entries).encode() + b"\n", env=env)
        tree = _git(root, "write-tree", env=env).strip()
    parent = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}", check=False).strip()
    if parent and _git(root, "rev-parse", f"{parent}^{{tree}}").strip() == tree:
        print(f"branch {branch}: unchanged ({parent[:10]})", file=out)
        return None
    head = _git(root, "rev-parse", "--short", "HEAD", check=False).strip() or "no commit yet"
    message = f"Student edition, made from {head} by `make student`"
    commit = _git(root, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, env=_identity(root))
    commit = commit.strip()
    _git(root, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))
    print(f"branch {branch}: {commit[:10]} ({len(files)} files); publish it with `git push origin {branch}`", file=out)
    return commit


def _identity(root: Path) -> dict[str, str]:
    """A committer for machines without a git identity (CI, a fresh laptop)."""
    if _git(root, "config", "user.email", check=False).strip():
        return {}
    who = {"NAME": "vientiane make student", "EMAIL": "make-student@localhost"}
    return {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in who.items()}


def _origin(root: Path) -> str:
    url = _git(root, "config", "--get", "remote.origin.url", check=False).strip()
    return url or "the teacher's copy"


def _git(root: Path, *args: str, data: bytes | None = None, env: dict | None = None, check: bool = True) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        input=data,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    if check and result.returncode:
        raise RuntimeError(f"git {' '.join(args[:2])} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode()


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.publish [--root DIR] [--branch student]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.publish", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the collection's folder")
    parser.add_argument("--branch", default=BRANCH, help="the branch to write (default: student)")
    args = parser.parse_args(argv)
    try:
        publish(args.root, args.branch)
    except NotARepository as error:
        print(f"{error}", file=sys.stderr)
        return 0  # not a failure: a downloaded copy has no branches to write
    except FileNotFoundError as error:
        print(f"{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
