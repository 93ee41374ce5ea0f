"""Authoring the self-checks: ``python -m vientiane_teacher.authoring add …``.

One command writes an exercise's complete entry (accepted digests, hint, sealed explanation)
into ``lib/vientiane/exercises.json`` and its targeted hints into ``lib/vientiane/hints.json``
of the clone it runs in; the students' library (``vientiane.checks``) only reads them::

    python -m vientiane_teacher.authoring add 02.5 --answer '["LAO", "VNM"]' --hint "Which …?" \\
        --explanation "…" --wrong '["LAO"]=Which other state …?'

Give answers in the form the solution cell computes (ids, numbers, "YYYY-MM-DD" dates). What
the hashing protects and what it does not: ``vientiane.checks?``. The README is the manual.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vientiane import paths
from vientiane.answers import canonical, normalize
from vientiane.checks import digest, seal

# The files edited: the clone's own copies (never an installed package's); None outside a clone.
_LIBRARY = paths.checkout() / "lib" / "vientiane" if paths.checkout() is not None else None
EXERCISES_FILE = _LIBRARY / "exercises.json" if _LIBRARY is not None else None
HINTS_FILE = _LIBRARY / "hints.json" if _LIBRARY is not None else None


def _forms(answer) -> list[str]:
    """The texts stored for an answer: as given, and its strict canonical reading."""
    return list(dict.fromkeys([normalize(answer), canonical(answer)]))


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _files() -> tuple[Path, Path]:
    """exercises.json and hints.json of the clone's students' library, the files this command edits."""
    if EXERCISES_FILE is None or HINTS_FILE is None:
        raise SystemExit(
            "python -m vientiane_teacher.authoring edits lib/vientiane/exercises.json and hints.json of a clone "
            "of the collection; run it in a clone (an editable install), not on an installed copy"
        )
    return EXERCISES_FILE, HINTS_FILE


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def author(exercise: str, answers: list, hint: str, explanation: str, wrong: dict | None = None) -> dict:
    """Write (or replace) the complete entry of ``exercise``: in exercises.json the hashes of
    every accepted ``answers`` (as given and in canonical form), the hint, and the explanation
    sealed with the first answer (the form the lessons' solutions give), plus the explanation
    sealed with each other accepted form ("also"); in hints.json, when ``wrong`` is given
    ({wrong answer: targeted hint}), the digests of the wrong answers with their hints.
    Returns the exercises.json entry.
    """
    exercises_file, hints_file = _files()
    forms = [form for answer in answers for form in _forms(answer)]
    first = normalize(answers[0])
    entry = {
        "accepted": sorted({digest(exercise, form) for form in forms}),
        "hint": hint,
        "explanation": seal(exercise, first, explanation),
    }
    also = {digest(exercise, f): seal(exercise, f, explanation) for f in dict.fromkeys(forms) if f != first}
    if also:
        entry["also"] = also
    if wrong is not None:
        items = []
        for answer, prompt in wrong.items():
            digests = sorted({digest(exercise, form) for form in _forms(answer)})
            if set(digests) & set(entry["accepted"]):
                raise ValueError(f"{exercise}: the wrong answer {answer!r} is an accepted one")
            items.append({"answers": digests, "hint": prompt})
        hints = _read_json(hints_file)
        hints.setdefault("wrong", {})[exercise] = items
        hints["wrong"] = dict(sorted(hints["wrong"].items()))
        _write(hints_file, hints)
    entries = _read_json(exercises_file)  # read just before writing: other authors write too
    entries[exercise] = entry
    _write(exercises_file, dict(sorted(entries.items())))
    return entry


def _json_or_text(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane_teacher.authoring add 02.5 --answer '["LAO", "VNM"]' --hint … --explanation …``

    Each ``--answer`` is read as JSON when it parses (a number, a list), else as text; give
    several for several accepted answers. Each ``--wrong 'ANSWER=HINT'`` (repeatable) adds a
    targeted hint for a predictable wrong answer (ANSWER read like ``--answer``, up to the first
    "=").
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.authoring")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="write an exercise's complete entry into exercises.json (and hints.json)")
    add.add_argument("exercise")
    add.add_argument("--answer", action="append", required=True)
    add.add_argument("--hint", required=True)
    add.add_argument("--explanation", required=True)
    add.add_argument("--wrong", action="append", default=None, metavar="ANSWER=HINT")
    args = parser.parse_args(argv)
    answers = [_json_or_text(text) for text in args.answer]
    wrong = None
    if args.wrong is not None:
        wrong = {}
        for item in args.wrong:
            answer, sep, prompt = item.partition("=")
            if not sep or not prompt.strip():
                parser.error(f"--wrong {item!r}: give ANSWER=HINT")
            value = _json_or_text(answer)
            wrong[tuple(value) if isinstance(value, list) else value] = prompt.strip()
    author(args.exercise, answers, args.hint, args.explanation, wrong)
    extra = f", {len(wrong)} targeted hint(s)" if wrong else ""
    print(f"exercises.json: {args.exercise} written ({len(answers)} accepted answer(s){extra})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
