"""Self-checks for the exercises: ``vientiane.check("02.1", answer)``.

Answers are stored only as SHA-256 hashes of their normalized form, and the explanation
shown after a right answer is sealed with that answer, so reading this file gives
neither away at a glance. Authors add an exercise with::

    python -m vientiane.checks add 02.5 --answer '["RUS", "CHN"]' --hint "…" --explanation "…"

which writes its complete entry into ``exercises.json``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd


def normalize(answer) -> str:
    """The canonical text of an answer: case, spacing, order of a list and 12 vs 12.0 do not matter.

    >>> normalize([" b", "A"])
    'a|b'
    >>> normalize(18.0)
    '18'
    """
    if isinstance(answer, bool):
        return str(answer).lower()
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if isinstance(answer, float) and math.isfinite(answer) and answer.is_integer():
            return str(int(answer))
        return f"{answer:g}"
    if isinstance(answer, pd.Timestamp):
        return answer.strftime("%Y-%m-%d")
    if isinstance(answer, str):
        return " ".join(answer.split()).casefold()
    if isinstance(answer, dict):
        return normalize([f"{normalize(k)}={normalize(v)}" for k, v in answer.items()])
    if isinstance(answer, Iterable):
        return "|".join(sorted(normalize(item) for item in answer))
    return normalize(str(answer))


def digest(exercise: str, answer) -> str:
    """The stored hash of ``answer`` to ``exercise``."""
    return hashlib.sha256(f"vientiane:{exercise}:{normalize(answer)}".encode()).hexdigest()


def _xor(exercise: str, answer, data: bytes) -> bytes:
    """``data`` XOR a SHA-256 stream keyed by the exercise and the normalized answer."""
    stream = b""
    while len(stream) < len(data):
        stream += hashlib.sha256(f"seal:{exercise}:{normalize(answer)}:{len(stream)}".encode()).digest()
    return bytes(a ^ b for a, b in zip(data, stream[: len(data)], strict=True))


def seal(exercise: str, answer, text: str) -> str:
    """``text`` readable only with the right ``answer`` (base64 of the XOR).

    >>> unseal("9.9", "x", seal("9.9", "x", "Right!"))
    'Right!'
    """
    return base64.b64encode(_xor(exercise, answer, text.encode("utf-8"))).decode()


def unseal(exercise: str, answer, sealed: str) -> str:
    """The text ``seal`` hid, given the same exercise and answer."""
    return _xor(exercise, answer, base64.b64decode(sealed)).decode("utf-8")


# exercise id -> (hashes of accepted answers, hint when wrong, explanation sealed with the answer),
# kept in exercises.json beside this file (written by the authoring command below).
EXERCISES_FILE = Path(__file__).resolve().parent / "exercises.json"


def _read_exercises() -> dict[str, tuple[tuple[str, ...], str, str]]:
    entries = json.loads(EXERCISES_FILE.read_text(encoding="utf-8"))
    return {key: (tuple(e["accepted"]), e["hint"], e["explanation"]) for key, e in entries.items()}


EXERCISES = _read_exercises()


# The machine-readable result that ``check`` shows beside its text, for the grader
# (``vientiane_teacher.grade``): {"exercise": "02.1", "attempted": true, "right": false}.
RESULT_MIME = "application/vnd.vientiane.check+json"


def attempted(answer) -> bool:
    """False for the untouched placeholder of an exercise cell (``...`` or ``[...]``).

    >>> attempted(...), attempted([...]), attempted(["RUS"])
    (False, False, True)
    """
    if answer is Ellipsis:
        return False
    return not (isinstance(answer, (list, tuple, set)) and Ellipsis in answer)


def check(exercise: str, answer) -> bool:
    """Say whether ``answer`` is right (or give a hint), and return True when it is.

    >>> check("00.1", 3)
    ✘ Not yet. Hint: Count the rows of facts.paragraphs().
    False
    >>> check("00.1", ...)
    … Replace the ... with your answer, then run the cell again.
    False
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(sorted(EXERCISES))}")
    accepted, hint, sealed = EXERCISES[exercise]
    tried = attempted(answer)
    right = tried and digest(exercise, answer) in accepted
    if right:
        text = f"✔ Right: {unseal(exercise, answer, sealed)}"
    elif not tried:
        text = "… Replace the ... with your answer, then run the cell again."
    else:
        text = f"✘ Not yet. Hint: {hint}"
    _show(text, {"exercise": exercise, "attempted": tried, "right": right})
    return right


def _show(text: str, result: dict) -> None:
    """In a notebook: the text and, for the grader, the result as JSON; elsewhere: the text."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None or not hasattr(shell, "kernel"):
        print(text)
        return
    display({"text/plain": text, RESULT_MIME: result}, raw=True)


def author(exercise: str, answers: list, hint: str, explanation: str) -> dict:
    """Write (or replace) the complete entry of ``exercise`` in exercises.json: the hashes of
    every accepted ``answers``, the hint, and the explanation sealed with the first answer
    (the form the lessons' solutions give). Returns the entry.
    """
    entries = json.loads(EXERCISES_FILE.read_text(encoding="utf-8"))
    entry = {
        "accepted": sorted({digest(exercise, answer) for answer in answers}),
        "hint": hint,
        "explanation": seal(exercise, answers[0], explanation),
    }
    entries[exercise] = entry
    EXERCISES_FILE.write_text(json.dumps(dict(sorted(entries.items())), indent=1, ensure_ascii=False) + "\n")
    return entry


def main(argv: list[str] | None = None) -> int:
    """``python -m vientiane.checks add 02.5 --answer '["RUS", "CHN"]' --hint … --explanation …``

    Each ``--answer`` is read as JSON when it parses (a number, a list), else as text; give
    several for several accepted answers.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m vientiane.checks")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="write an exercise's complete entry into exercises.json")
    add.add_argument("exercise")
    add.add_argument("--answer", action="append", required=True)
    add.add_argument("--hint", required=True)
    add.add_argument("--explanation", required=True)
    args = parser.parse_args(argv)
    answers = []
    for text in args.answer:
        try:
            answers.append(json.loads(text))
        except ValueError:
            answers.append(text)
    author(args.exercise, answers, args.hint, args.explanation)
    print(f"exercises.json: {args.exercise} written ({len(answers)} accepted answer(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
