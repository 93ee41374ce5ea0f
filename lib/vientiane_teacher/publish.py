"""``make student``: the student edition, published to a separate students' repository.

    python -m vientiane_teacher.publish --to <path or git URL>   # make student STUDENT_REPO=...
    python -m vientiane_teacher.publish                          # make student: the preview branch

Students must never see the teacher's repository: its lessons hold every worked solution. So
the student edition goes to a repository of its own (``--to``, branch ``main``; a local bare
repository works too), and the nbgitpuller and Binder links point there
(``python -m vientiane_teacher.links``). Without ``--to`` it is written as the branch
``student`` of this repository, a preview for the teacher: never share that one.

The edition is made from what git tracks at ``HEAD``, never from the working folder: an
untracked file (a draft answer key, an editor's swap file) cannot be published, and uncommitted
changes to the files the edition is made from stop it with their names (commit or stash them
first). The commit message names the exact source commit. Its tree:

* ``notebooks/``: the lessons without ``solution`` or ``teacher`` cells and without outputs (the
  self-checks work), the glossary and the reading list; never the teacher guide;
* ``lib/vientiane/`` (the students' library, without the teacher's tools), ``data/``, ``seeds/``;
* ``pyproject.toml`` (installing ``vientiane`` only), ``setup.py``, ``MANIFEST.in``,
  ``environment.yml``, ``postBuild``, and a short README for students.

No published file carries credentials or local paths: the user name and password (token) of
any URL in it are stripped (and the teacher is told which), and a file that names this
repository's folder, the teacher's home folder or a local students' repository stops the
publication. The teacher's own remote URL is never written anywhere.

It is written with git plumbing: the working tree, the index and the current branch are never
touched. The same tree gives no new commit. Each new commit has the previous ``main`` (or
``student``) as its parent, so nbgitpuller can merge it into a student's copy.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .lessons import ROOT

BRANCH = "student"  # the teacher's preview, in this repository
STUDENT_BRANCH = "main"  # in the students' repository
COPIED = ("data", "seeds", "lib/vientiane", "environment.yml", "postBuild", "setup.py", "MANIFEST.in")
DOCUMENTS = ("glossary.md", "reading_list.md")  # beside the lessons; the teacher guide is never one
LICENCES = ("LICENSE", "CITATION.cff", "notebooks/LICENSE.md")  # the terms travel with the lessons
LESSON = re.compile(r"notebooks/[0-9][0-9]_[^/]*\.ipynb")
SOURCES = (*COPIED, *LICENCES, "notebooks", "pyproject.toml")  # what the edition is made from (for "uncommitted")
IDENTITY = {"NAME": "vientiane make student", "EMAIL": "make-student@localhost"}
USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^\s/?#@\"'<>]+)@")

README = """# Lavrov in Vientiane, July 2016: the lessons

Jupyter lessons on Russia's Foreign Minister Sergei Lavrov at the ASEAN meetings in Vientiane,
Laos, on 25-26 July 2016. Start with `notebooks/00_start_here.ipynb` and run the cells in order
(Shift-Enter). Each exercise ends with a self-check: replace the `...` with your answer and run
the cell again. The terms the lessons use are in `notebooks/glossary.md`, further reading in
`notebooks/reading_list.md`.

If a lesson says that the `vientiane` library is missing, install this folder once, in the
Python that your Jupyter uses, and restart the kernel:

    pip install .

This is the student edition of the collection, made by your teacher.
"""


class PublishError(Exception):
    """The edition cannot be published; the message says why and what to do."""


class NotARepository(PublishError):
    """The collection's folder is not a git repository: the edition cannot be made from HEAD."""


def student_tree(root: Path = ROOT, commit: str = "HEAD") -> dict[str, tuple[str, bytes]]:
    """The files of the student edition made from ``commit``: path -> (git mode, bytes).

    Only what git tracks at ``commit`` is read, never the working folder.

    Example (not run as a doctest: it reads every lesson)::

        sorted(p for p in student_tree() if p.startswith("notebooks/"))[:1]
        # ['notebooks/00_start_here.ipynb']
    """
    import nbformat

    from .editions import student_notebook

    root = Path(root)
    tracked = _tracked(root, commit)
    lessons = sorted(p for p in tracked if LESSON.fullmatch(p))
    if not lessons:
        raise PublishError(f"no lessons (notebooks/NN_*.ipynb) in commit {commit} of {root}")
    files = {}
    for path in lessons:
        nb = student_notebook(nbformat.reads(tracked[path][1].decode("utf-8"), as_version=4))
        text = nbformat.writes(nb)
        files[path] = ("100644", (text if text.endswith("\n") else text + "\n").encode())
    files |= {f"notebooks/{name}": tracked[f"notebooks/{name}"] for name in DOCUMENTS if f"notebooks/{name}" in tracked}
    for path, entry in tracked.items():
        if any(path == name or path.startswith(name + "/") for name in COPIED) or path in LICENCES:
            files[path] = entry
    pyproject = tracked["pyproject.toml"][1].decode("utf-8")
    files["pyproject.toml"] = ("100644", students_pyproject(pyproject).encode())
    files["README.md"] = ("100644", README.encode())
    files[".gitignore"] = ("100644", b"__pycache__/\n*.egg-info/\nbuild/\nfigures/\n.ipynb_checkpoints/\n")
    return dict(sorted(files.items()))


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


def strip_userinfo(text: str) -> tuple[str, list[str]]:
    """``text`` with the user name and password removed from every URL in it, and what was removed
    (the user names; a password or token is only said to be there, never repeated).

    >>> strip_userinfo("see https://ada:ghp_secret@github.com/o/r.git and https://example.org/x")
    ('see https://github.com/o/r.git and https://example.org/x', ['user name "ada" and a password or token'])
    """
    removed = []

    def strip(match: re.Match) -> str:
        user, colon, _ = match[2].partition(":")
        removed.append(f'user name "{user}"' + (" and a password or token" if colon else ""))
        return match[1]

    return USERINFO.sub(strip, text), removed


def public_url(repository: str) -> str:
    """A repository's address without user name or password (what may be shown to anyone).

    >>> public_url("https://ada:ghp_x@github.com/o/students.git")
    'https://github.com/o/students.git'
    """
    return strip_userinfo(repository)[0]


def clean(files: dict[str, tuple[str, bytes]], private: list[str]) -> tuple[dict, list[str]]:
    """The ``files`` with userinfo stripped from their URLs, and a note per file changed.

    Raises ``PublishError`` naming the file and line when one names a ``private`` folder (this
    repository, the teacher's home, a local students' repository): no guess could fix that.
    """
    cleaned, notes = {}, []
    paths = [p.rstrip("/") for p in private if p and p.rstrip("/")]
    local = re.compile("|".join(rf"{re.escape(p)}(?![\w.-])" for p in paths)) if paths else None
    for name, (mode, data) in files.items():
        text = data.decode("utf-8", errors="surrogateescape")
        if local is not None and (found := local.search(text)):
            line = text.count("\n", 0, found.start()) + 1
            raise PublishError(
                f"{name}, line {line}, names the local folder {found.group()}: remove it and commit, then publish again"
            )
        stripped, removed = strip_userinfo(text)
        if removed:
            notes.append(f"{name}: removed the {', '.join(dict.fromkeys(removed))} from its URLs")
            data = stripped.encode("utf-8", errors="surrogateescape")
        cleaned[name] = (mode, data)
    return cleaned, notes


def uncommitted(root: Path) -> list[str]:
    """The files the edition is made from that differ from HEAD (staged or not), or are deleted."""
    status = _git(root, "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=no", "--", *SOURCES)
    entries = status.split("\0")
    changed = []
    for entry in entries:
        if len(entry) > 3:
            changed.append(entry[3:])
    return sorted(set(changed))


def _prepare(root: Path, repository: str | None = None, out=None) -> tuple[str, dict]:
    """(source commit, cleaned files): checks the repository and its state first."""
    root = Path(root)
    if _git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() != "true":
        raise NotARepository(f"{root} is not a git repository: the student edition is made from a commit")
    source = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
    if not source:
        raise PublishError(f"{root} has no commit yet: commit the lessons first")
    changed = uncommitted(root)
    if changed:
        listed = "\n  ".join(changed)
        raise PublishError(
            f"uncommitted changes in files the edition is made from:\n  {listed}\n"
            "The edition is made from the last commit only: commit (or stash) them, then publish again."
        )
    private = [str(root.resolve()), str(Path.home()) if Path.home() != Path("/") else ""]
    if repository and _is_local(repository):
        private.append(str(_local_path(repository)))
    files, notes = clean(student_tree(root, source), private)
    for note in notes:
        print(f"stripped: {note}", file=out or sys.stdout)
    return source, files


def publish(root: Path = ROOT, branch: str = BRANCH, out=None) -> str | None:
    """Write the student edition of HEAD as a commit on ``branch`` of this repository (the
    teacher's preview); return its id (None: unchanged). Never share this branch with students.

    Raises ``NotARepository`` outside a git repository and ``PublishError`` with uncommitted changes.
    """
    root, out = Path(root), out or sys.stdout
    source, files = _prepare(root, out=out)
    tree = _write_tree(root, files)
    parent = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}", check=False).strip()
    if parent and _git(root, "rev-parse", f"{parent}^{{tree}}").strip() == tree:
        print(f"branch {branch}: unchanged ({parent[:10]})", file=out)
        return None
    commit = _commit(root, tree, parent, source)
    _git(root, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))
    print(
        f"branch {branch}: {commit[:10]} ({len(files)} files), a preview for you. Publish to students with "
        "`make student STUDENT_REPO=<students' repository>`",
        file=out,
    )
    return commit


def publish_to(repository: str, root: Path = ROOT, out=None) -> str | None:
    """Publish the student edition of HEAD as branch ``main`` of the students' ``repository``
    (a path or a git URL); return the new commit's id (None: unchanged).

    Example (not run as a doctest: it pushes)::

        publish_to("/srv/git/vientiane-students.git")
        # 'b1946ac92492d2347c6235b4d2611184a1f3c5e7'
    """
    root, out = Path(root), out or sys.stdout
    shown = public_url(repository)
    if _is_local(repository) and not _is_repository(_local_path(repository)):
        path = _local_path(repository)
        raise PublishError(f"{path} is not a git repository: create it once with `git init --bare {path}`")
    if _same_repository(root, repository):
        raise PublishError(f"{shown} is this repository: the students' repository must be a separate one")
    source, files = _prepare(root, repository, out)
    with tempfile.TemporaryDirectory(prefix="vientiane-publish-") as folder:
        work = Path(folder) / "edition.git"
        _git(Path(folder), "init", "-q", "--bare", str(work))
        target = _remote(repository)
        heads = _git(work, "ls-remote", "--heads", target, f"refs/heads/{STUDENT_BRANCH}", network=True)
        parent = ""
        if heads.strip():
            _git(work, "fetch", "-q", "--no-tags", target, f"refs/heads/{STUDENT_BRANCH}", network=True)
            parent = _git(work, "rev-parse", "FETCH_HEAD^{commit}").strip()
        tree = _write_tree(work, files)
        if parent and _git(work, "rev-parse", f"{parent}^{{tree}}").strip() == tree:
            print(f"{shown} {STUDENT_BRANCH}: unchanged ({parent[:10]})", file=out)
            return None
        commit = _commit(work, tree, parent, source)
        _git(work, "push", "-q", target, f"{commit}:refs/heads/{STUDENT_BRANCH}", network=True)
    print(f"{shown} {STUDENT_BRANCH}: {commit[:10]} ({len(files)} files), made from {source[:10]}", file=out)
    return commit


def _write_tree(repo: Path, files: dict[str, tuple[str, bytes]]) -> str:
    """A tree of ``files`` in ``repo``'s object store, through a private index (the teacher's is untouched)."""
    with tempfile.TemporaryDirectory(prefix="vientiane-index-") as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        entries = []
        for path, (mode, data) in files.items():
            blob = _git(repo, "hash-object", "-w", "--stdin", data=data).strip()
            entries.append(f"{mode} {blob}\t{path}")
        _git(repo, "update-index", "--add", "--index-info", data="\n".join(entries).encode() + b"\n", env=env)
        return _git(repo, "write-tree", env=env).strip()


def _commit(repo: Path, tree: str, parent: str, source: str) -> str:
    message = f"Student edition, made from commit {source} by `make student`"
    who = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in IDENTITY.items()}
    return _git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, env=who).strip()


def _tracked(root: Path, commit: str) -> dict[str, tuple[str, bytes]]:
    """Every file git tracks at ``commit`` below the edition's sources: path -> (mode, bytes)."""
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *SOURCES)
    entries = []
    for line in filter(None, listing.split("\0")):
        meta, path = line.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob":
            entries.append((path, mode, blob))
    result = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        input="".join(f"{blob}\n" for _, _, blob in entries).encode(),
        capture_output=True,
        timeout=300,
    )
    if result.returncode:
        raise PublishError(f"git cat-file failed: {result.stderr.decode(errors='replace').strip()}")
    out, files, at = result.stdout, {}, 0
    for path, mode, _ in entries:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files[path] = (mode, out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return files


def _is_local(repository: str) -> bool:
    return repository.startswith("file://") or "://" not in repository and not re.match(r"[\w.-]+@[\w.-]+:", repository)


def _local_path(repository: str) -> Path:
    return Path(urlsplit(repository).path if repository.startswith("file://") else repository).expanduser().resolve()


def _remote(repository: str) -> str:
    return str(_local_path(repository)) if _is_local(repository) else repository


def _is_repository(path: Path) -> bool:
    return path.is_dir() and _git(path, "rev-parse", "--git-dir", check=False).strip() != ""


def _same_repository(root: Path, repository: str) -> bool:
    if not _is_local(repository):
        return False
    mine = Path(_git(root, "rev-parse", "--absolute-git-dir").strip()).resolve()
    theirs = _git(_local_path(repository), "rev-parse", "--absolute-git-dir", check=False).strip()
    return bool(theirs) and Path(theirs).resolve() == mine


def _git(root: Path, *args: str, data: bytes | None = None, env=None, check: bool = True, network=False) -> str:
    extra = {"GIT_TERMINAL_PROMPT": "0"}  # a missing credential fails with a message, never waits for a typed one
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        input=data,
        capture_output=True,
        env={**os.environ, **extra, **(env or {})},
        timeout=600 if network else 120,
    )
    if check and result.returncode:
        error = strip_userinfo(result.stderr.decode(errors="replace").strip())[0]  # git repeats the URL
        raise PublishError(f"git {args[0]} failed: {error}")
    return result.stdout.decode(errors="surrogateescape")


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.publish [--to REPOSITORY] [--root DIR]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.publish", description=__doc__.splitlines()[0])
    parser.add_argument("--to", metavar="REPOSITORY", help="the students' repository (a path or a git URL)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the collection's folder")
    parser.add_argument("--branch", default=BRANCH, help="without --to: the preview branch (default: student)")
    parser.add_argument(
        "--if-clean", action="store_true", help="without --to: say so and succeed when there are uncommitted changes"
    )
    args = parser.parse_args(argv)
    try:
        if args.to:
            publish_to(args.to, args.root)
        else:
            publish(args.root, args.branch)
    except NotARepository as error:
        print(f"{error}", file=sys.stderr)
        return 1 if args.to else 0  # a downloaded copy has no branch to write; publishing needs one
    except PublishError as error:
        if args.if_clean and not args.to and error.args[0].startswith("uncommitted"):
            print(f"branch {args.branch} not written: {error}", file=sys.stderr)
            return 0
        print(f"publish: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
