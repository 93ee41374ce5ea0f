"""The one model of a lesson: its file, number, title, cells by role, the exercises its checks
name; the cell roles (``ROLES``, the one table of them); and what a lesson's outputs depend on
(the freshness stamp). The README is the manual; this is the model the teacher's tools share.

>>> [path.name for path in lessons()][:1]
['00_start_here.ipynb']
>>> Lesson.from_path(lessons()[2]).number
'02'
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vientiane import paths

ROOT = paths.checkout()  # the teacher's tools work in a clone of the collection
LESSONS = "[0-9][0-9]_*.ipynb"
# vientiane.check("02.1", ...) or check('02.1', ...): the exercises a lesson's checks name.
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""")


# ------------------------------------------------------------------------------ the cell roles


@dataclass(frozen=True)
class Role:
    """What a cell tag means to the teacher's tools.

    ``teacher_only``: never in a student edition (the editions drop it, the grader never
    needs it).
    """

    tag: str
    teacher_only: bool
    meaning: str


SOLUTION, TEACHER, WRITTEN, PRESENT = "solution", "teacher", "written", "present"
MODEL_ANSWER = "model_answer"
# The one table of cell roles. A new role (a hidden check, a model answer) is one row here;
# the editions, the grader and ``make present`` read it from this table.
ROLES = {
    role.tag: role
    for role in (
        Role(SOLUTION, True, "a worked solution, with its right output"),
        Role(TEACHER, True, "a note for the teacher"),
        Role(WRITTEN, False, "a free-text answer the grader collects into written.csv"),
        Role(PRESENT, False, "an explorer that `make present` shows on the projector"),
        Role(MODEL_ANSWER, False, "a folded model answer from the teacher guide: the self-study edition adds it"),
    )
}
TEACHER_ONLY = tuple(tag for tag, role in ROLES.items() if role.teacher_only)


def roles(cell) -> set[str]:
    """The roles (``ROLES``) of a notebook cell, from its tags; other tags are not roles.

    >>> from nbformat.v4 import new_code_cell
    >>> sorted(roles(new_code_cell("1", metadata={"tags": ["solution", "nbval-ignore-output"]})))
    ['solution']
    """
    tags = cell.get("metadata", {}).get("tags", [])
    return {tag for tag in tags if tag in ROLES} if isinstance(tags, list) else set()


def has_role(cell, role: str) -> bool:
    """True when ``cell`` is tagged with ``role`` (one of ``ROLES``; another name is a bug).

    >>> from nbformat.v4 import new_markdown_cell
    >>> has_role(new_markdown_cell("*Your answer:*", metadata={"tags": [WRITTEN]}), WRITTEN)
    True
    """
    if role not in ROLES:
        raise KeyError(f"{role!r} is not a cell role; the roles are {sorted(ROLES)}")
    return role in roles(cell)


# ------------------------------------------------------------------------------ a lesson


@dataclass
class Lesson:
    """One lesson: a lesson file of the collection, or a notebook a student handed in.

    >>> lesson = Lesson.from_path(lessons()[2])
    >>> lesson.name, lesson.exercises[:2], len(lesson.cells(SOLUTION)) > 0
    ('02_membership_structures', ['02.1', '02.2'], True)
    """

    number: str  # "02"; "" when a handed-in notebook is none of this collection's lessons
    name: str  # the file name without .ipynb ("02_membership_structures"); a handed-in file's own
    title: str  # the first "# " heading of a markdown cell, else the name
    notebook: object = field(repr=False)  # nbformat.NotebookNode
    path: Path | None = None

    @classmethod
    def from_path(cls, path: Path) -> Lesson:
        """The lesson in the notebook file ``path`` (``notebooks/NN_topic.ipynb``)."""
        import nbformat

        path = Path(path)
        notebook = nbformat.read(path, as_version=4)
        return cls(path.name[:2], path.stem, title_of(notebook, path.stem), notebook, path)

    @classmethod
    def from_notebook(cls, notebook, known: Iterable[str], name: str = "") -> Lesson:
        """A handed-in ``notebook``: which of the ``known`` lesson numbers it is a copy of.

        ``metadata.vientiane.lesson`` (every edition carries it) first, else the lesson most
        of its ``check("NN.x", ...)`` calls name; ``number`` is "" when neither says.

        >>> from nbformat.v4 import new_code_cell, new_notebook
        >>> Lesson.from_notebook(new_notebook(cells=[new_code_cell('vientiane.check("03.1", a)')]), ["02", "03"]).number
        '03'
        """
        return cls(lesson_number(notebook, known), name, title_of(notebook, name), notebook)

    @property
    def by_role(self) -> dict[str, list[int]]:
        """Cell indexes (from 0) per role, for every role in ``ROLES``."""
        found = {role: [] for role in ROLES}
        for i, cell in enumerate(self.notebook.cells):
            for role in roles(cell):
                found[role].append(i)
        return found

    def cells(self, role: str) -> list:
        """The cells with ``role``, in order."""
        return [cell for cell in self.notebook.cells if has_role(cell, role)]

    @property
    def exercises(self) -> list[str]:
        """The exercise ids its ``check("NN.x", ...)`` calls name, in order (02.10 after 02.9)."""
        return sorted(set(checked_exercises(self.notebook)), key=exercise_order)


def title_of(notebook, fallback: str = "") -> str:
    """The first "# " heading of a markdown cell of ``notebook``, else ``fallback``.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> title_of(new_notebook(cells=[new_markdown_cell("Intro\\n# 02 · Membership")]))
    '02 · Membership'
    """
    for cell in notebook.cells:
        for line in text(cell.source).splitlines() if cell.cell_type == "markdown" else []:
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


def checked_exercises(notebook) -> list[str]:
    """Every exercise id a ``check("NN.x", ...)`` call in a code cell names, as often as named."""
    return [m.group(1) for c in notebook.cells if c.cell_type == "code" for m in CHECK_CALL.finditer(text(c.source))]


def lesson_number(notebook, known: Iterable[str]) -> str:
    """Which of the ``known`` lesson numbers ``notebook`` is a copy of; "" when none.

    >>> from nbformat.v4 import new_notebook
    >>> lesson_number(new_notebook(metadata={"vientiane": {"lesson": "02"}}), ["02", "03"])
    '02'
    """
    known = set(known)
    meta = notebook.metadata.get("vientiane")
    number = meta.get("lesson") if isinstance(meta, dict) else None
    if isinstance(number, str) and number in known:
        return number
    named = Counter(e.split(".")[0] for e in checked_exercises(notebook) if e.split(".")[0] in known)
    return named.most_common(1)[0][0] if named else ""


def exercise_order(exercise: str) -> tuple[str, int]:
    """The sort key of an exercise id: 02.10 after 02.9.

    >>> sorted(["02.10", "02.9"], key=exercise_order)
    ['02.9', '02.10']
    """
    lesson, number = exercise.split(".")
    return lesson, int(number)


def lesson_file(number: str, root: Path | None = None) -> Path | None:
    """The lesson file of lesson ``number`` ("02") in the clone, or None.

    >>> lesson_file("02").name
    '02_membership_structures.ipynb'
    """
    found = [path for path in lessons(root) if path.name[:2] == number] if (root or ROOT) else []
    return found[0] if found else None


def require_clone(root: Path | None) -> Path:
    """``root`` (default: the clone this library is in); a clear error outside a clone.

    The teacher's tools work in a clone of the collection, not on an installed library.
    """
    if root is None:
        raise NotAClone(
            "the teacher's tools work in a clone of the collection (git clone ..., then make figures); "
            "this library was not loaded from one: give the clone's folder with --root"
        )
    return Path(root)


class NotAClone(Exception):
    """The teacher's tools were started outside a clone of the collection."""


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
