"""Self-checks for the exercises: ``vientiane.check("02.1", answer)``.

``check`` answers in one of four ways, and returns True only for the first:

- ``✔ Right: <why>`` when the answer is right in any natural form (below); the explanation
  is shown only then.
- ``✘ Right idea: <what to change>`` when the substance is right but the form is not what the
  exercise asks for (below). Returns False: the grader records "not yet", and the student
  fixes the form and runs the cell again.
- ``✘ Not yet. Hint: <prompt>`` otherwise: a targeted hint when the answer is a predictable
  wrong one (stored in ``hints.json``), else the exercise's own hint. Hints are questions
  about the content, never code.
- ``… Replace the ... with your answer`` for the untouched placeholder (``...``, ``"..."``,
  ``[...]``): no hint before a first attempt.

Accepted outright, as the same answer (the examples are not answers of the lessons): case,
spacing, the order of a list, 12 vs 12.0 and "12"; "¶12", "paragraph 12"; number words
("three", "twenty-one", "fifteenth", "15th"); "none", "no" and "zero" for 0; "full quotes" or
"full-quotes" for "full"; surrounding quotation marks, brackets or a leading "the"; a
country's or body's name, short name or an alias the data gives (``vientiane.queries.resolve``:
"Chinese Taipei" for TWN, "Viet Nam" for VNM, "East Asia Summit" or "East Asian Summit" for
EAS); a person's name that spells the person's id, in any case, spacing or hyphenation, alone
or in a description ("John Kerry", "john-kerry", "US Secretary of State John Kerry" for
kerry), or a word of the name the data gives as an alias ("Wang" for wang_yi); a list given
as one string ("LAO, VNM", "Laos and Viet Nam", "['LAO', 'VNM']"); a date as "2016-07-26", "26 July 2016", "July 26, 2016", "26.07.2016", a ``datetime.date`` or a
``pandas.Timestamp``, or without its year ("26 July", "July 26th") when the answer is that day.

Right idea (returns False, with a note): a name the data does not give, read loosely
("Vietnam", "US", "Taiwan": the data calls it Chinese Taipei); a number with units
("3 years"); weeks where days are asked ("two weeks", "a fortnight"); list items separated
only by spaces ("LAO VNM"); a slashed date that can be read two ways ("05/07/2016"); a full
name where the surname is asked; a person's name in its original script, whole, without the
patronymic or the surname alone ("Сергей Лавров" or "Лавров" for lavrov: write it in Latin
letters); "none" where a list is asked (give an empty list).

Never read as the number it contains: an answer with a negation or a comparison ("not 17",
"fewer than 17", "more than 16", "17 or more"). It gets the exercise's hint, as any wrong
answer does: praising it would be wrong, and would tell a guesser the answer.

What the hashing protects, and what it does not: answers are stored only as SHA-256 digests
of their normalized form, and the explanation shown after a right answer is sealed with the
answer, so reading this file or exercises.json gives no answer away at a glance, nor by a
search. It does not stop a determined guesser: the answers are short (a number, a few ids),
so anyone can hash candidates until one matches. This is a self-check for learning, not an
exam; graded work is the written answers and the teacher's reading of them.

How an answer is read (the forms above) is ``vientiane.answers``; this module holds the check.
Nothing here writes: authors add an exercise with the teacher's tools
(``python -m vientiane_teacher.authoring add …``, see its docstring), which write its complete
entry into ``exercises.json`` and its targeted hints into ``hints.json`` in a clone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator

from . import paths
from .answers import attempted, canonical, encode, normalize, readings  # noqa: F401 (public here too: checks.normalize, …)


def digest(exercise: str, answer) -> str:
    """The stored hash of ``answer`` to ``exercise`` (of its normalized form: case and order do not matter).

    >>> digest("9.9", ["b", "A"]) == digest("9.9", "a|b"), len(digest("9.9", "x"))
    (True, 64)
    """
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
    """The text ``seal`` hid, given the same exercise and answer (garbled with any other).

    >>> unseal("9.9", "x", seal("9.9", "x", "Right!"))
    'Right!'
    """
    return _xor(exercise, answer, base64.b64decode(sealed)).decode("utf-8", errors="replace")


# exercise id -> (hashes of accepted answers, hint when wrong, explanation sealed with the answer),
# kept in exercises.json in the package (written by vientiane_teacher.authoring), and the
# targeted hints (exercise -> digests of a predictable wrong answer and the prompt for it) in hints.json.
def _read_json(name: str) -> dict:
    """A JSON file shipped in the package (through importlib.resources); {} when absent."""
    resource = paths.package_file(name)
    return json.loads(resource.read_text(encoding="utf-8")) if resource.is_file() else {}


def _read_exercises(entries: dict | None = None) -> dict[str, tuple[tuple[str, ...], str, str]]:
    entries = _read_json("exercises.json") if entries is None else entries
    return {key: (tuple(e["accepted"]), e["hint"], e["explanation"]) for key, e in entries.items()}


def _read_also(entries: dict | None = None) -> dict[str, dict[str, str]]:
    """exercise -> {digest of a further accepted form: the explanation sealed with that form}."""
    entries = _read_json("exercises.json") if entries is None else entries
    return {key: e["also"] for key, e in entries.items() if e.get("also")}


def _read_wrong(hints: dict | None = None) -> dict[str, dict[str, str]]:
    """exercise -> {digest of a predictable wrong answer: its targeted hint}."""
    wrong = (_read_json("hints.json") if hints is None else hints).get("wrong", {})
    return {key: {d: item["hint"] for item in items for d in item["answers"]} for key, items in wrong.items()}


EXERCISES = _read_exercises()
_ALSO = _read_also()
WRONG = _read_wrong()


# The machine-readable result that ``check`` shows beside its text, for the grader
# (``vientiane_teacher.grade``): {"exercise": "02.1", "attempted": true, "right": false,
# "answer": <the answer, ``answers.encode``>}. The grader reads only the answer and decides
# right or wrong itself, with its own copy of the exercises: "right" here is for the student.
RESULT_MIME = "application/vnd.vientiane.check+json"

# ---------------------------------------------------------------------------------------
# The check


# A day without its year ("25 July", read "--07-25") matches an answer of any of these years.
YEARS = range(1900, 2101)


def _with_years(text: str) -> list[str]:
    """``text``, or for a day without its year ("--07-25") that day in each of ``YEARS``."""
    if len(text) == 7 and text.startswith("--"):
        return [f"{year}{text[1:]}" for year in YEARS]
    return [text]


def feedback(exercise: str, answer) -> tuple[str, bool]:
    """The text ``check`` shows for ``answer`` and whether it is right (see the module's docstring).

    >>> feedback("02.4", "...")
    ('… Replace the ... with your answer, then run the cell again.', False)
    >>> feedback("02.4", "eighteen")[0].startswith("✘ Not yet. Hint: 18 counts Russia and the US.")
    True
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(sorted(EXERCISES))}")
    accepted, hint, sealed = EXERCISES[exercise]
    if not attempted(answer):
        return "… Replace the ... with your answer, then run the cell again.", False
    found = [(dated, note) for text, note in readings(answer) for dated in _with_years(text)]
    for text, note in found:
        if digest(exercise, text) in accepted:
            if note is not None:
                return f"✘ Right idea: {note}.", False
            explanation = unseal(exercise, text, _ALSO.get(exercise, {}).get(digest(exercise, text), sealed))
            return f"✔ Right: {explanation}", True
    targeted = WRONG.get(exercise, {})
    for text, _ in found:
        if (prompt := targeted.get(digest(exercise, text))) is not None:
            return f"✘ Not yet. Hint: {prompt}", False
    return f"✘ Not yet. Hint: {hint}", False


class Checked:
    """What ``check`` returns: true when the answer is right, and shown as nothing in a notebook
    (the check has said what it has to say; a bare ``False`` under it reads as an error).

    >>> bool(Checked(True)), bool(Checked(False)), Checked(False)
    (True, False, False)
    """

    __slots__ = ("right",)

    def __init__(self, right: bool):
        self.right = bool(right)

    def __bool__(self) -> bool:
        return self.right

    def __eq__(self, other) -> bool:
        return self.right == other

    def __hash__(self) -> int:
        return hash(self.right)

    def __repr__(self) -> str:  # plain Python and doctests: True or False
        return repr(self.right)

    def _ipython_display_(self) -> None:  # IPython and Jupyter: no output at all
        return None


def check(exercise: str, answer) -> Checked:
    """Say whether ``answer`` is right (or give a hint); the result is true when it is.

    Natural forms count (these are examples, not answers): ``"12"``, ``"¶12"`` and ``12``;
    ``"three"`` and ``3``; ``"none"`` and ``0``; a name for an id (``"Viet Nam"`` for ``"VNM"``,
    ``"John Kerry"`` for ``"kerry"``); ``"LAO, VNM"`` for ``["LAO", "VNM"]``; ``"26 July 2016"``
    or ``"26 July"`` for ``"2016-07-26"``. In a notebook the result shows nothing below the
    text; ``bool(check(...))`` is True or False. A right idea in the wrong form gets a note; a predictable wrong
    answer a hint of its own; the untouched ``...`` no hint at all.

    >>> check("00.1", ...)
    … Replace the ... with your answer, then run the cell again.
    False
    >>> check("00.3", "six")
    ✘ Not yet. Hint: Two quotations are easy to miss: did you count the one nested inside another (single marks inside double ones) and the quoted headline of the 'Also read' link?
    False
    """
    if isinstance(answer, Iterator):  # read once: the check and the grader's record see the same items
        answer = list(answer)
    text, right = feedback(exercise, answer)
    _show(text, {"exercise": exercise, "attempted": attempted(answer), "right": right, "answer": encode(answer)})
    return Checked(right)


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
