"""The lessons and what their outputs depend on (the freshness stamp).

>>> [path.name for path in lessons()][:1]
['00_start_here.ipynb']
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from vientiane import paths

ROOT = paths.checkout()  # the teacher's tools work in a clone of the collection
LESSONS = "[0-9][0-9]_*.ipynb"


def lessons(root: Path | None = None) -> list[Path]:
    """The lesson notebooks, in order.

    >>> [path.name for path in lessons()][:1]
    ['00_start_here.ipynb']
    """
    return sorted((Path(root or ROOT) / "notebooks").glob(LESSONS))


def input_hashes(root: Path | None = None) -> dict[str, str]:
    """A content hash per lesson of everything that decides its outputs.

    That is the lesson's cells (sources and tags, not outputs: the build writes those) and
    what every lesson depends on: the students' library (``lib/vientiane``, the modules the
    lessons import), the data package, the seeds, the pinned versions
    (``requirements/constraints.txt``) and the Python version. Not the teacher's tools: a
    change to the build or the editions does not change what a lesson computes.

    >>> hashes = input_hashes()
    >>> sorted(hashes)[0], len(hashes["00_start_here"])
    ('00_start_here', 64)
    """
    root = Path(root or ROOT)
    shared = hashlib.sha256(f"python {sys.version_info.major}.{sys.version_info.minor}\0".encode())
    inputs = [*files_below(root / "lib" / "vientiane"), *files_below(root / "data"), *files_below(root / "seeds")]
    inputs += [p for p in [root / "requirements" / "constraints.txt"] if p.is_file()]
    for path in sorted(inputs):
        shared.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
        shared.update(path.read_bytes())
    hashes = {}
    for path in lessons(root):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = [(c["cell_type"], text(c["source"]), c.get("metadata", {}).get("tags", [])) for c in cells]
        lesson = hashlib.sha256(shared.digest())
        lesson.update(json.dumps(sources, ensure_ascii=False).encode())
        hashes[path.stem] = lesson.hexdigest()
    return hashes


def files_hash(*folders: Path) -> str:
    """One hash of every file below ``folders`` (names and bytes)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(files_below(folder)):
            digest.update(f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def files_below(folder: Path) -> list[Path]:
    """Every file below ``folder``, without Python's caches."""
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def text(source) -> str:
    """A cell's source as one string (nbformat stores it as a string or a list of lines)."""
    return "".join(source) if isinstance(source, list) else source
