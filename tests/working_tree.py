"""A fingerprint of the repository's working tree: every tracked file's bytes, and the
untracked files that git does not ignore. ``make test`` must leave it as it found it."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.repo import ROOT


def fingerprint(root: Path = ROOT) -> dict[str, str] | None:
    """{path: sha256} of the tracked and the untracked-not-ignored files; None outside git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    prints = {}
    for name in sorted(set(filter(None, listed.decode().split("\0")))):
        path = root / name
        prints[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(missing)"
    return prints


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The paths added, removed or changed between two fingerprints.

    >>> changes({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"})
    ['b (changed)', 'c (added)']
    """
    names = sorted(set(before) | set(after))
    return [
        f"{n} ({'added' if n not in before else 'removed' if n not in after else 'changed'})"
        for n in names
        if before.get(n) != after.get(n)
    ]
