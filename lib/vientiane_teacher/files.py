"""Writing results so that nothing is half-written: the one atomic-write helper of the
teacher's tools, and forgiving readers of their own records. The README is the manual.

>>> import tempfile
>>> folder = tempfile.TemporaryDirectory()
>>> atomic_write(Path(folder.name) / "a" / "grades.csv", "student_id\\n")
>>> read_text(Path(folder.name) / "a" / "grades.csv"), read_json(Path(folder.name) / "missing.json")
('student_id\\n', {})
>>> folder.cleanup()
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` all at once: a reader sees the old file
    or the new one, never part of one, and a failure leaves no temporary file behind.

    The folder is made when missing. The temporary file is in the same folder (a rename is
    atomic only on one disk) with a unique name, so two writers never share it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a results file is like any other
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_text(path: Path) -> str:
    """The text of ``path``, or "" when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def read_json(path: Path) -> dict:
    """The JSON object in ``path``, or {} when it is missing or damaged."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
