"""Self-checks for the exercises: ``vientiane.check("02.1", answer)``.

Answers are stored only as SHA-256 hashes of their normalized form, so reading this
file does not give them away. Authors add an exercise with::

    python -m vientiane.checks 02.1 "the answer"

which prints the hash to paste into ``EXERCISES``.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Iterable

import pandas as pd


def normalize(answer) -> str:
    """The canonical text of an answer: case, spacing, order of a list and 12 vs 12.0 do not matter.

    >>> normalize([" rus", "CHN"])
    'chn|rus'
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


# exercise id -> (hashes of accepted answers, hint when wrong, explanation when right)
EXERCISES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "00.1": (
        ("d25679ba004b88a6243f8329069da85e453ab613201032957c67f9742c2cc57c",),
        "Count the numbered blocks that facts.paragraphs() returns.",
        "the article has 17 paragraphs.",
    ),
}


def check(exercise: str, answer) -> bool:
    """Print whether ``answer`` is right (or a hint), and return True when it is.

    >>> check("00.1", 17)
    ✔ Right: the article has 17 paragraphs.
    True
    >>> check("00.1", 3)
    ✘ Not yet. Hint: Count the numbered blocks that facts.paragraphs() returns.
    False
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(sorted(EXERCISES))}")
    accepted, hint, explanation = EXERCISES[exercise]
    if digest(exercise, answer) in accepted:
        print(f"✔ Right: {explanation}")
        return True
    print(f"✘ Not yet. Hint: {hint}")
    return False


if __name__ == "__main__":  # python -m vientiane.checks 02.1 "answer"
    print(digest(sys.argv[1], sys.argv[2]))
