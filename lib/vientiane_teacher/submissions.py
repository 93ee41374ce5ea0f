"""Collecting the handed-in files: every notebook in a folder as a school's LMS gives it
(zips read in place), and whose it is (``student_id``). The README ("Collecting and grading")
is the manual; ``grade``'s docstring gives the rules in full.

>>> student_id(["alice", "02_membership_structures.ipynb"])
'alice'
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .steps import RIGHT

OK = "ok"  # a submission's status when it ran to the end without an error
MAX_BYTES = 200 * 1024 * 1024  # a notebook with many figures is tens of MB; a zip bomb is far more
ZIP_BUDGET = 2 * 1024**3  # what the notebooks of one zip may unpack to, all together
COPY_NUMBER = re.compile(r"(?:-\d+| ?\(\d+\))$")  # LMS resubmissions ("-1"), browser downloads (" (1)")
SEPARATORS = " _-."
MOODLE = re.compile(r"_assignsubmission_[a-z]+_?$")  # Moodle's folders: "Jane Doe_1234_assignsubmission_file_"


@dataclass
class Submission:
    """One handed-in file (or zip entry) and what became of it."""

    file: str  # the "file" column: path in the submissions folder, "batch.zip:alice/x.ipynb" in a zip
    student: str
    data: bytes | None = None
    status: str = ""  # "" until decided
    lesson: str = ""
    nb: object = None  # the parsed notebook (nbformat.NotebookNode)
    results: dict[str, str] = field(
        default_factory=dict
    )  # exercise id -> right / wrong / not attempted / not reached: …
    written: list[tuple[str, str]] = field(default_factory=list)  # (task, text)
    verdicts: dict = field(default_factory=dict)  # exercise id -> verdicts.Verdict (the text, the answer, the hint)
    sandbox: str = ""  # "bubblewrap", or "none (--unsandboxed)"

    @property
    def score(self) -> int:
        return sum(r == RIGHT for r in self.results.values())


def student_id(parts: Sequence[str], lesson_files: Iterable[str] = (), archive: str = "") -> str:
    """Whose submission a file is, from its path ``parts`` inside the submissions folder.

    A file in a subfolder: the first subfolder (without Moodle's ``_assignsubmission_file_``
    ending). A file directly in the folder: its name
    without ``.ipynb``, a copy number ("-1", " (2)") and the lesson's file name (one of
    ``lesson_files``) at its end or start; when nothing is left, the name of the ``archive``
    (a zip lying directly in the folder) it came from, else the file's name. A zip counts as
    if it were unpacked where it lies, so ``parts`` of an entry start with the zip's folders.

    >>> student_id(["alice", "homework", "02_membership_structures.ipynb"])
    'alice'
    >>> student_id(["Jane Doe_1234_assignsubmission_file_", "02.ipynb"])
    'Jane Doe_1234'
    >>> student_id(["Smith Jane_1234_02_membership_structures-1.ipynb"], ["02_membership_structures"])
    'Smith Jane_1234'
    >>> student_id(["02_membership_structures.ipynb"], ["02_membership_structures"], archive="bob.zip")
    'bob'
    """
    if len(parts) > 1:
        return MOODLE.sub("", parts[0]) or parts[0]
    stem = _stem(parts[-1])
    bare = COPY_NUMBER.sub("", stem)
    for name in sorted(lesson_files, key=len, reverse=True):  # "02_a_b" before a shorter "02_a"
        folded, lesson = bare.casefold(), name.casefold()
        if folded.endswith(lesson) or folded.startswith(lesson):
            rest = bare[: -len(name)] if folded.endswith(lesson) else bare[len(name) :]
            return rest.strip(SEPARATORS) or (_stem(archive) if archive else stem)
    return stem


def _stem(name: str) -> str:
    name = PurePosixPath(name).name
    return name[: -len(PurePosixPath(name).suffix)] if PurePosixPath(name).suffix else name


def _skipped(parts: Sequence[str]) -> bool:
    """Hidden files and folders (.ipynb_checkpoints, macOS's ._x) and __MACOSX are no submissions."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def unsafe_zip_path(name: str) -> bool:
    """True for a zip entry name that is absolute or climbs out with ``..``.

    Such an entry is reported and never read into a path: unpacking it would write outside
    the folder (the "zip slip"). Backslashes count as separators (zips made on Windows).

    >>> [unsafe_zip_path(n) for n in ["alice/x.ipynb", "../x.ipynb", "/etc/x", "C:\\\\x", "a/../../x"]]
    [False, True, True, True, True]
    """
    normal = name.replace("\\", "/")
    return normal.startswith("/") or bool(re.match(r"[A-Za-z]:", normal)) or ".." in normal.split("/")


def find_submissions(folder: Path, lesson_files: Iterable[str] = ()) -> Iterator[Submission]:
    """Every ``.ipynb`` below ``folder`` and inside its ``.zip`` files, one by one.

    Zip entries that are unsafe, zips inside zips, symbolic links and files that cannot be
    read come with their status set (one row each); the rest with ``data`` (the file's bytes)
    and an empty status. A file name that is not UTF-8 is read as Windows' Western encoding
    (cp1252), as old zip tools and USB sticks write it. A fault while reading one file becomes
    that file's status.

    Example (on a folder of handed-in notebooks)::

        list(find_submissions(Path("handed-in")))
        # [Submission(file='alice/02_membership_structures.ipynb', student='alice', ...), ...]
    """
    folder, lesson_files = Path(folder), list(lesson_files)
    for directory, folders, files in os.walk(folder):  # symbolic links to folders: not entered
        linked = [f for f in folders if Path(directory, f).is_symlink() and not _skipped([f])]
        folders[:] = sorted(f for f in folders if not _skipped([f]) and f not in linked)
        for name in sorted(files) + sorted(linked):
            path = Path(directory, name)
            parts = tuple(readable_name(part) for part in path.relative_to(folder).parts)
            suffix = path.suffix.lower()
            if _skipped(parts) or (suffix not in (".ipynb", ".zip") and name not in linked):
                continue
            file = PurePosixPath(*parts).as_posix()
            try:
                student = student_id(parts, lesson_files)
                if path.is_symlink():
                    yield Submission(file, student, status="symbolic link (not followed)")
                elif suffix == ".zip":
                    yield from _from_zip(path, parts, lesson_files)
                else:
                    yield _read(path, file, student)
            except Exception as error:  # one odd file never costs the class
                yield Submission(file, parts[0], status=f"could not read it: {type(error).__name__}: {error}"[:300])


def readable_name(name: str) -> str:
    """A file name as text that can be written anywhere: as it is when it is UTF-8, else its
    bytes read as cp1252 (Latin-1 where cp1252 has no character).

    >>> import os
    >>> readable_name(os.fsdecode(b"M\\xfcller.ipynb")), readable_name("Zoë.ipynb")
    ('Müller.ipynb', 'Zoë.ipynb')
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _read(path: Path, file: str, student: str) -> Submission:
    try:
        if path.stat().st_size > MAX_BYTES:
            return Submission(file, student, status="too large")
        return Submission(file, student, path.read_bytes())
    except OSError as error:
        return Submission(file, student, status=f"not a notebook (cannot read it: {error.strerror})")


def _from_zip(path: Path, parts: tuple[str, ...], lesson_files: list[str]) -> Iterator[Submission]:
    """The notebooks inside one zip, read in memory: nothing from a zip is ever written to disk."""
    where = PurePosixPath(*parts).as_posix()
    archive = parts[-1] if len(parts) == 1 else ""  # a zip directly in the folder may name its student
    owner = student_id(parts, lesson_files)
    unpacked = 0  # bytes the zip's notebooks unpack to, by their headers (zipfile reads no more than that)
    try:
        with zipfile.ZipFile(path) as bundle:
            for info in bundle.infolist():
                file = f"{where}:{info.filename}"
                if unsafe_zip_path(info.filename):
                    yield Submission(file, owner, status=f"unsafe path in zip: {info.filename}")
                    continue
                inner = tuple(p for p in info.filename.replace("\\", "/").split("/") if p not in ("", "."))
                if info.is_dir() or not inner or _skipped(inner):
                    continue
                student = student_id((*parts[:-1], *inner), lesson_files, archive)
                if inner[-1].lower().endswith(".zip"):
                    yield Submission(
                        file, student, status="a zip inside a zip (not opened): unpack it once and grade again"
                    )
                    continue
                if not inner[-1].lower().endswith(".ipynb"):
                    continue
                unpacked += info.file_size
                if info.file_size > MAX_BYTES or unpacked > ZIP_BUDGET:
                    yield Submission(file, student, status="too large")
                    continue
                try:
                    with bundle.open(info) as stream:  # read at most MAX_BYTES: the header's size may lie
                        data = stream.read(MAX_BYTES + 1)
                except (RuntimeError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                    # encrypted, damaged, or an unsupported compression
                    yield Submission(file, student, status=f"not a notebook (cannot read it in the zip: {error})")
                    continue
                too_large = len(data) > MAX_BYTES
                yield Submission(file, student, None if too_large else data, status="too large" if too_large else "")
    except (zipfile.BadZipFile, OSError) as error:
        yield Submission(where, owner, status=f"not a notebook (a damaged zip: {error})")
