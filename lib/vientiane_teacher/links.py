"""The links a teacher sends students, made from the students' repository's address.

    python -m vientiane_teacher.links --hub https://hub.example.edu --repo https://github.com/o/vientiane-students
    make links HUB=https://hub.example.edu STUDENT_REPO=https://github.com/o/vientiane-students

prints, per lesson, the nbgitpuller link for the school's JupyterHub and the Binder link, both
for branch ``main`` of the students' repository (``make student STUDENT_REPO=...`` publishes it).
A user name or token in the address is left out of every link. A local repository (a path)
gets an nbgitpuller link with a ``file://`` address, which works only for a hub on the same
machine, and no Binder link (Binder needs a public repository).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

from .lessons import ROOT, lessons
from .publish import STUDENT_BRANCH, _is_local, _local_path, public_url

START = "00_start_here.ipynb"
SCP = re.compile(r"(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)")  # git@github.com:owner/name.git


def repository_url(repository: str) -> str:
    """The address nbgitpuller and Binder fetch from: userinfo stripped, ``git@host:owner/name``
    written as ``https://host/owner/name``, a local path as ``file://``.

    >>> repository_url("git@github.com:o/vientiane-students.git")
    'https://github.com/o/vientiane-students.git'
    >>> repository_url("https://ada:tok@github.com/o/vientiane-students")
    'https://github.com/o/vientiane-students'
    """
    if _is_local(repository):
        return _local_path(repository).as_uri()
    if (m := SCP.fullmatch(repository)) and "://" not in repository:
        return f"https://{m['host']}/{m['path']}"
    url = public_url(repository)
    if url.startswith("ssh://"):
        parts = urlsplit(url)
        return f"https://{parts.hostname}{parts.path}"
    return url


def nbgitpuller_link(hub: str, repository: str, lesson: str = START, branch: str = STUDENT_BRANCH) -> str:
    """The link that copies the students' repository into a student's home on ``hub`` and opens ``lesson``.

    The folder nbgitpuller makes is the address's last part (as nbgitpuller names it).

    >>> nbgitpuller_link("https://hub.example.edu", "https://github.com/o/vientiane-students")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fvientiane-students&branch=main&urlpath=lab/tree/vientiane-students/notebooks/00_start_here.ipynb'
    """
    url = repository_url(repository)
    folder = url.rstrip("/").split("/")[-1]
    return (
        f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(url, safe='')}"
        f"&branch={quote(branch, safe='')}&urlpath=lab/tree/{quote(folder)}/notebooks/{quote(lesson)}"
    )


def binder_link(repository: str, lesson: str = START, branch: str = STUDENT_BRANCH) -> str | None:
    """The mybinder.org link that opens ``lesson``; None for a local repository.

    >>> binder_link("https://github.com/o/vientiane-students.git")
    'https://mybinder.org/v2/gh/o/vientiane-students/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
    """
    url = repository_url(repository)
    if url.startswith("file://"):
        return None
    parts = urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git")
    where = f"gh/{path}" if parts.hostname == "github.com" else f"git/{quote(url, safe='')}"
    return f"https://mybinder.org/v2/{where}/{quote(branch, safe='')}?urlpath=lab/tree/notebooks/{quote(lesson)}"


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.links --hub URL --repo URL``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.links", description=__doc__.splitlines()[0])
    parser.add_argument("--hub", help="your school's JupyterHub, e.g. https://hub.example.edu")
    parser.add_argument(
        "--repo", required=True, help="the students' repository (what `make student STUDENT_REPO=` got)"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the collection's folder (for the lessons' names)")
    args = parser.parse_args(argv)
    if args.hub and not re.match(r"https?://[^/\s]+", args.hub):
        parser.error(f"--hub {args.hub!r}: give the hub's address, e.g. https://hub.example.edu")
    names = [p.name for p in lessons(args.root)] if args.root else [START]
    print(f"The students' repository: {repository_url(args.repo)} (branch {STUDENT_BRANCH})")
    for name in names or [START]:
        print(f"\n{name}")
        if args.hub:
            print(f"  JupyterHub: {nbgitpuller_link(args.hub, args.repo, name)}")
        binder = binder_link(args.repo, name)
        print(f"  Binder:     {binder}" if binder else "  Binder:     none (Binder needs a public repository)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
