"""Reading what a student typed: the canonical forms an answer may stand for.

``vientiane.checks`` compares the digests of these forms with the stored ones; this module
knows nothing of the answers. Strict readings are accepted outright (case, spacing, the order
of a list, 12 vs 12.0 and "12", "¶12", number words and "none", a name the data gives for its
id, a person's name that spells the person's id, a list given as one string, a date written in
a usual way, with or without its year); loose readings come with a note saying what to change
(a name the data does not give, a name in another script, a number with units, a full name
where the surname is asked). A negation or a comparison ("not 17", "more than 16") is never
read as the number in it. The full list of forms: ``vientiane.checks?``.

>>> canonical("Laos and Viet Nam"), canonical("twenty-one"), canonical("26 July 2016")
('lao|vnm', '21', '2016-07-26')
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator

import pandas as pd

from . import paths
from .facts import FactsError, load
from .queries import UnknownId, resolve


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


PLACEHOLDERS = ("...", "…", "")


def attempted(answer) -> bool:
    """False for the untouched placeholder of an exercise cell (``...``, ``"..."`` or ``[...]``).

    >>> attempted(...), attempted("..."), attempted([...]), attempted(["LAO"])
    (False, False, False, True)
    """
    if answer is Ellipsis or (isinstance(answer, str) and answer.strip() in PLACEHOLDERS):
        return False
    if isinstance(answer, (list, tuple, set)):
        return not any(item is Ellipsis or (isinstance(item, str) and item.strip() in PLACEHOLDERS) for item in answer)
    return True


# ---------------------------------------------------------------------------------------
# Readings: the canonical forms an answer may stand for, strict ones first.

# The spellings the checker reads loosely: names the data does not give ("Taiwan").
SPELLINGS = json.loads(paths.package_file("hints.json").read_text(encoding="utf-8")).get("spellings", {})

NOTE_ID = "give ids, not names, e.g. 'USA' for the United States"
NOTE_UNITS = "give just the number, e.g. 3 rather than '3 days'"
NOTE_TOKENS = "separate the items with commas, or give a list, e.g. ['USA', 'JPN']"
NOTE_DATE = "write the date so that it cannot be misread, e.g. '1967-08-08' or '8 August 1967'"
NOTE_SURNAME = "give the surname only"
NOTE_LATIN = "write the name in Latin letters, as the data does (e.g. 'lavrov' for 'Лавров')"
NOTE_EMPTY = "give an empty list, []"
NOTE_WEEKS = "give the number of days, e.g. 7 for one week"

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_MONTHS = "january february march april may june july august september october november december".split()
_WEEKDAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "[": "]", "(": ")", "{": "}"}
_NUMBER_PREFIX = re.compile(r"^(?:¶|§|#|no\.|paragraph|para\.?)\s*", re.IGNORECASE)
_QUOTE_WORDS = re.compile(r"[\s-]+(?:quotation marks|quotes?|quotations?)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|;|&|\n|\band\b)\s*", re.IGNORECASE)
_NEGATIONS = {"not", "no", "never", "nor", "or", "and"}
# Words that make a number in a sentence mean something else than the number: "not 17",
# "fewer than 17", "more than 16", "17 or more". Such an answer is never read as the number
# (it would praise a negation, and give the answer away to a guesser).
_NOT_THE_NUMBER = re.compile(
    r"\b(?:not|no|never|nor|neither|isn't|aren't|wasn't|weren't|fewer|less|more|greater|over|under|above|below|"
    r"least|most|than|except|besides|without|between|almost|nearly|or|to|up|excluding|beyond)\b|n't\b|[<>≤≥≠]",
    re.IGNORECASE,
)
# Zero in words: "none", "no", "nil", "no states", "not one", "not any".
_ZERO = re.compile(
    r"(?:none|nil|nought|naught|zero|no|nobody|no one|not (?:a single )?one|not any)(?:\s+\w+){0,2}", re.I
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}


def _clean(text: str) -> str:
    """``text`` without surrounding quotation marks or brackets, a final full stop or a leading article.

    >>> _clean(' "The umbrella structure." ')
    'umbrella structure'
    """
    text = " ".join(str(text).split())
    while True:
        before = text
        if len(text) >= 2 and _PAIRS.get(text[0]) == text[-1] and not {text[0], text[-1]} & set(text[1:-1]):
            text = text[1:-1].strip()
        text = text.rstrip(".!").strip()
        text = re.sub(r"^(?:the|a|an)\s+(?=\S)", "", text, flags=re.IGNORECASE)
        if text == before:
            return text


def _word_number(text: str) -> int | None:
    """ "three" -> 3, "twenty-one" -> 21 (0 to 99), "none" -> 0, "fifteenth" -> 15.

    >>> _word_number("none"), _word_number("Twenty-One"), _word_number("fifteenth"), _word_number("twenty-first")
    (0, 21, 15, 21)
    """
    words = text.casefold().replace("-", " ").split()
    if len(words) == 1:
        word = words[0]
        if word in ("none", "nil", "nought", "naught", "no"):
            return 0
        return _SMALL.index(word) if word in _SMALL else _TENS.get(word, _ORDINALS.get(word))
    if len(words) == 2 and words[0] in _TENS and words[1] in _SMALL[1:10]:
        return _TENS[words[0]] + _SMALL.index(words[1])
    if len(words) == 2 and words[0] in _TENS and _ORDINALS.get(words[1], 10) < 10:
        return _TENS[words[0]] + _ORDINALS[words[1]]
    return None


def _number(text: str) -> str | None:
    """The number ``text`` writes ("12", "¶12", "paragraph 12", "12.0", "twelve"), normalized."""
    bare = _NUMBER_PREFIX.sub("", text.strip()).strip()
    bare = re.sub(r"^(\d+)(?:st|nd|rd|th)$", r"\1", bare, flags=re.IGNORECASE)
    try:
        value = float(bare)
    except ValueError:
        value = _word_number(bare)
    if value is None or not math.isfinite(value):
        return None
    return normalize(value)


def _number_in(text: str) -> str | None:
    """The one number in a text with other words ("5 years", "about fourteen days"), if only one;
    None when a word makes it mean something else ("not 17", "fewer than 17", "17 or more").

    >>> _number_in("about fourteen days"), _number_in("not 17"), _number_in("more than 16"), _number_in("no states")
    ('14', None, None, '0')
    """
    if _ZERO.fullmatch(text.strip()) and not re.search(r"\d", text):
        return "0"
    if _NOT_THE_NUMBER.search(text):
        return None
    found = []
    for token in re.split(r"[\s,;:()]+", text):
        token = re.sub(r"^(\d+)(?:st|nd|rd|th)$", r"\1", token.strip(".").casefold())
        value = _number(token) if token else None
        if value is not None:
            found.append(value)
    return found[0] if len(found) == 1 else None


def _month(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    if len(word) >= 3:
        for number, name in enumerate(_MONTHS, start=1):
            if name.startswith(word):
                return number
    return None


def _day(year, month, day) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def _day_of_year(month, day) -> str | None:
    """ "--MM-DD" (ISO 8601's day without a year) for a day that exists in some year (29 February)."""
    return f"--{int(month):02d}-{int(day):02d}" if month and _day(2000, month, day) else None


def _dates(text: str) -> tuple[list[str], list[str]]:
    """(unambiguous readings, ambiguous readings) of a written date, as "YYYY-MM-DD", or as
    "--MM-DD" for a day without its year (the check matches it with any year).

    >>> _dates("Tuesday, July 26th, 2016"), _dates("26.07.2016"), _dates("05/07/2016")
    ((['2016-07-26'], []), (['2016-07-26'], []), ([], ['2016-07-05', '2016-05-07']))
    >>> _dates("25 July"), _dates("July 25th"), _dates("31 June")
    ((['--07-25'], []), (['--07-25'], []), ([], []))
    """
    t = re.sub(rf"^{_WEEKDAYS}\s*", "", text.strip().casefold())
    t = re.sub(r"(\d+)(?:st|nd|rd|th)\b", r"\1", t)
    t = " ".join(t.replace(",", " ").split())
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t):
        return [d for d in [_day(*m.groups())] if d], []
    if m := re.fullmatch(r"(\d{1,2}) (?:of )?([a-z]+\.?) (\d{4})", t):
        return [d for d in [_day(m[3], _month(m[2]), m[1])] if d], []
    if m := re.fullmatch(r"([a-z]+\.?) (\d{1,2}) (\d{4})", t):
        return [d for d in [_day(m[3], _month(m[1]), m[2])] if d], []
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t):  # day first, as in Europe and Russia
        return [d for d in [_day(m[3], m[2], m[1])] if d], []
    if m := re.fullmatch(r"(\d{1,2}) (?:of )?([a-z]+\.?)", t):  # a day without its year: ISO 8601's --MM-DD
        return [d for d in [_day_of_year(_month(m[2]), m[1])] if d], []
    if m := re.fullmatch(r"([a-z]+\.?) (\d{1,2})", t):
        return [d for d in [_day_of_year(_month(m[1]), m[2])] if d], []
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
        readings = list(dict.fromkeys(d for d in (_day(m[3], m[2], m[1]), _day(m[3], m[1], m[2])) if d))
        return (readings, []) if len(readings) == 1 else ([], readings)
    return [], []


_FACTS = None


def _facts():
    """The bundled facts, loaded on the first answer that needs a name resolved (None if there are none).

    Only a missing or faulty data package turns name resolution off: any other error is a bug
    or a transient failure, and is raised rather than silently making the checks stricter.
    """
    global _FACTS
    if _FACTS is None:
        try:
            _FACTS = load()
        except (FileNotFoundError, FactsError):  # a self-check must still work without the data
            _FACTS = False
    return _FACTS or None


def _resolve(text: str) -> str | None:
    """The id of the country (or economy) or body that ``text`` names in the data, if exactly one.

    "X (Y)" counts when its parts that name something all name the same one.
    """
    facts = _facts()
    if facts is None or not text:
        return None
    parts = [text]
    if m := re.fullmatch(r"(.+?)\s*\((.+)\)", text):
        parts = [m[1], m[2]]
    found = set()
    for part in parts:
        for table in ("countries", "organizations"):
            try:
                found.add(resolve(facts, table, _clean(part)))
                break
            except UnknownId:
                continue
    return found.pop() if len(found) == 1 else None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


_PEOPLE: list[tuple[str, list[str], list[str]]] | None = None
_NOT_THIS = re.compile(r"\b(?:not|no|never|nor|neither|except|without|besides|but|other than)\b|n't\b", re.I)


def _weeks(text: str) -> str | None:
    """The number of days in "two weeks", "2 weeks", "a fortnight" (nothing else in the text).

    >>> _weeks("two weeks"), _weeks("a fortnight"), _weeks("not two weeks")
    ('14', '14', None)
    """
    text = " ".join(text.casefold().split())
    if re.fullmatch(r"(?:a |one )?fortnight", text):
        return "14"
    found = re.fullmatch(r"(?:(a|one)|(\S+)) weeks?", text)
    if found is None:
        return None
    weeks = 1 if found[1] else _number(found[2])
    return None if weeks is None else normalize(7 * float(weeks))


def _people() -> list[tuple[str, list[str], list[str]]]:
    """(id, names that spell the id, names in another script) of each person in the data.

    A name "spells the id" when it contains the id's letters: "John Kerry" and "KERRY" for
    kerry, "Murray McCully" for mccully, but not an alias that is another transliteration of the
    name (the article's misspelling of a scholar's name): a question about spelling must tell
    them apart, and such an alias resolves only through ``vientiane.queries.resolve``.
    """
    global _PEOPLE
    if _PEOPLE is None:
        facts = _facts()
        people = []
        for row in facts.tables["people"].itertuples() if facts is not None else ():
            aliases = row.aliases.split("|") if isinstance(row.aliases, str) else []
            names = [n for n in [row.id, row.name, *aliases] if isinstance(n, str)]
            # An alias that is one word of the person's name ("Wang" of "Wang Yi") is not
            # another transliteration: it names the person too.
            words = {_squash(w) for w in str(row.name).split()}
            latin = [n for n in names if _squash(row.id) in _squash(n) or _squash(n) in words]
            other = [n for n in names if not re.search(r"[A-Za-z]", n)]
            people.append((row.id, latin, other))
        _PEOPLE = people
    return _PEOPLE


def _words(text: str) -> str:
    """ " wang yi " for "Wang-Yi": lower-case words between single spaces, to find a name in a text."""
    return " " + " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split()) + " "


def _person(text: str) -> str | None:
    """The id of the one person ``text`` names in the data by a name that spells the id
    ("John Kerry", "john-kerry", "John Kerry (USA)", "the US Secretary of State John Kerry");
    None when it names none or several, or says "not".

    >>> _person("the US Secretary of State John Kerry"), _person("Stephane-Dion"), _person("not John Kerry")
    ('kerry', 'dion', None)
    """
    if not text or _NOT_THIS.search(text):
        return None
    squashed = _squash(text)
    exact = {pid for pid, latin, _ in _people() if squashed in {_squash(n) for n in latin}}
    if exact:
        return exact.pop() if len(exact) == 1 else None
    found = {
        pid for pid, latin, _ in _people() for name in latin if " " in name.strip() and _words(name) in _words(text)
    }
    return found.pop() if len(found) == 1 else None


def _person_in_another_script(text: str) -> str | None:
    """The id of the person whose name in another script ``text`` is: the whole name ("Сергей
    Викторович Лавров"), without the patronymic ("Сергей Лавров") or the surname ("Лавров").

    >>> _person_in_another_script("Лавров"), _person_in_another_script("Сергей Лавров")
    ('lavrov', 'lavrov')
    """
    squashed = _squash(text)

    def forms(name: str) -> set[str]:
        words = name.split()
        return {_squash(name), _squash(words[-1]), _squash(f"{words[0]} {words[-1]}")} if words else set()

    found = {pid for pid, _, other in _people() for n in other if squashed and squashed in forms(n)}
    return found.pop() if len(found) == 1 else None


_LOOSE_NAMES: dict[str, tuple[str, str]] | None = None


def _loose_names() -> dict[str, tuple[str, str]]:
    """squashed name -> (id, note): every name in the data without spaces or punctuation
    ("Vietnam"), and the spellings of hints.json that the data does not give ("Taiwan")."""
    global _LOOSE_NAMES
    if _LOOSE_NAMES is None:
        names: dict[str, tuple[str, str]] = {}
        facts = _facts()
        for table in ("countries", "organizations") if facts is not None else ():
            for row in facts.tables[table].itertuples():
                aliases = getattr(row, "aliases", None)
                spelled = [row.id, getattr(row, "name", None), getattr(row, "short_name", None)]
                spelled += aliases.split("|") if isinstance(aliases, str) else []
                for name in spelled:
                    if isinstance(name, str):
                        names.setdefault(_squash(name), (row.id, NOTE_ID))
        for spelling, entry in SPELLINGS.items():
            names.setdefault(_squash(spelling), (entry["id"], entry.get("note", NOTE_ID)))
        _LOOSE_NAMES = names
    return _LOOSE_NAMES


def _resolve_loosely(text: str) -> tuple[str, str] | None:
    """(id, note) for a name the data gives only loosely, or not at all but hints.json knows."""
    if not re.search(r"[A-Za-z]", text):
        return None
    parts = [text]
    if m := re.fullmatch(r"(.+?)\s*\((.+)\)", text):
        parts += [m[1], m[2]]
    for part in parts:
        if found := _loose_names().get(_squash(_clean(part))):
            return found
    return None


def _surname(text: str) -> str | None:
    """The surname, when ``text`` is exactly the full name of a person in the data."""
    facts = _facts()
    words = text.split()
    if facts is None or len(words) < 2 or _NEGATIONS & {w.casefold() for w in words}:
        return None
    names = {name.casefold() for name in facts.tables["people"]["name"].dropna()}
    return words[-1] if text.casefold() in names else None


def _strict_reading(item) -> tuple[str, bool]:
    """(canonical text, whether a reading applied) of one item, read strictly: an id for a name
    the data gives, a number, an ISO date, a quotation kind without "quotes"; else the item."""
    if isinstance(item, (dt.date, dt.datetime)) and not isinstance(item, pd.Timestamp):
        return item.strftime("%Y-%m-%d"), True
    if not isinstance(item, str):
        return normalize(item), False
    text = _clean(item)
    for reading in (_number(text), *_dates(text)[0], _person(text), _resolve(text)):
        if reading is not None:
            return normalize(reading), True
    return normalize(_QUOTE_WORDS.sub("", text)), False


def _strict(item) -> str:
    return _strict_reading(item)[0]


def _loose(item) -> tuple[str, str | None]:
    """(canonical text, note) of one item read loosely, when no strict reading applied."""
    strict, applied = _strict_reading(item)
    if applied or not isinstance(item, str):
        return strict, None
    text = _clean(item)
    if found := _resolve_loosely(text):
        return normalize(found[0]), found[1]
    if person := _person_in_another_script(text):
        return normalize(person), NOTE_LATIN
    if (days := _weeks(text)) is not None:
        return days, NOTE_WEEKS
    if (number := _number_in(text)) is not None:
        return number, NOTE_UNITS
    if surname := _surname(text):
        return normalize(surname), NOTE_SURNAME
    return strict, None


def _list_readings(items: list, note: str | None = None) -> Iterator[tuple[str, str | None]]:
    strict = [_strict(item) for item in items]
    yield normalize(strict), note
    loose = [_loose(item) for item in items]
    notes = list(dict.fromkeys([n for _, n in loose if n] + ([note] if note else [])))
    if notes:
        yield normalize([text for text, _ in loose]), "; ".join(notes)


def _protect_commas(text: str) -> str:
    """Names with a comma ("Hong Kong, China") replaced by their ids, before a list is split."""
    facts = _facts()
    if facts is None or "," not in text:
        return text
    for table in ("countries", "organizations"):
        for row in facts.tables[table].itertuples():
            for name in (getattr(row, "name", None), getattr(row, "short_name", None)):
                if isinstance(name, str) and "," in name:
                    text = re.sub(re.escape(name), row.id, text, flags=re.IGNORECASE)
    return text


def _readings(answer) -> Iterator[tuple[str, str | None]]:
    yield normalize(answer), None
    if isinstance(answer, str):
        text = _clean(answer)
        strict, applied = _strict_reading(text)
        yield strict, None
        if applied:  # a number, a date or a name: not a list
            return
        items = (
            [i for i in _SEPARATORS.split(_protect_commas(text)) if i.strip()]
            if re.search(r"[,;&\n]|\band\b", text, re.I)
            else []
        )
        if len(items) > 1:
            yield from _list_readings(items)
        loose, note = _loose(text)
        if note:
            yield loose, note
        for reading in _dates(text)[1]:
            yield reading, NOTE_DATE
        if _ZERO.fullmatch(text):  # "none" where a list is asked
            yield "", NOTE_EMPTY
        tokens = text.split()
        negated = _NEGATIONS & {t.casefold() for t in tokens} or _NOT_THE_NUMBER.search(text)
        if len(items) <= 1 and len(tokens) > 1 and not negated:
            yield from _list_readings(tokens, NOTE_TOKENS)
    elif isinstance(answer, (dt.date, dt.datetime)) and not isinstance(answer, pd.Timestamp):
        yield _strict(answer), None
    elif isinstance(answer, Iterable) and not isinstance(answer, dict):
        yield from _list_readings(list(answer))


def readings(answer) -> list[tuple[str, str | None]]:
    """The canonical texts ``answer`` may stand for, each once, with a note for the loose ones
    (None: accepted outright). Right answers are stored as digests of such texts.

    >>> readings("¶12")
    [('¶12', None), ('12', None)]
    >>> readings("three years")[:2]
    [('three years', None), ('3', "give just the number, e.g. 3 rather than '3 days'")]
    """
    seen: dict[str, str | None] = {}
    for text, note in _readings(answer):
        if text not in seen:
            seen[text] = note
    strict = [(t, n) for t, n in seen.items() if n is None]
    return strict + [(t, n) for t, n in seen.items() if n is not None]


def canonical(answer) -> str:
    """The strict canonical text of an answer: ids for the names the data gives, numbers, ISO dates.

    >>> canonical("Laos and Viet Nam"), canonical("26 July 2016"), canonical("full quotes")
    ('lao|vnm', '2016-07-26', 'full')
    """
    strict = [text for text, note in readings(answer) if note is None]
    return strict[-1]


# ---------------------------------------------------------------------------------------
# The answer as the grader receives it: ``check`` shows it beside its result, as JSON, and the
# grader reads the verdict off the value itself (never off what the notebook said).

ANSWER_LIMIT = 20_000  # characters of an encoded answer: far above any answer, far below a flood


class Shown:
    """An answer of a type that JSON cannot carry, as the check reads it: by its ``str()``.

    >>> normalize(Shown("Lavrov")) == normalize("Lavrov")
    True
    """

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Shown({self.text!r})"


def encode(answer):
    """``answer`` as JSON-ready data that ``decode`` turns back into a value the check reads the
    same way: lists, tuples, sets, dicts, dates and numbers keep their kind; anything else is
    kept by its text. An answer longer than ``ANSWER_LIMIT`` characters is recorded as too long.

    >>> encode(["LAO", 3, dt.date(2016, 7, 26)])
    ['LAO', 3, {'$date': '2016-07-26'}]
    >>> decode(encode(("a", {"b": 1.5}))) == ("a", {"b": 1.5})
    True
    """
    try:
        data = _encode(answer, 0)
        size = len(json.dumps(data, ensure_ascii=False))
    except (ValueError, TypeError, RecursionError):
        return {"$too_long": True}
    return data if size <= ANSWER_LIMIT else {"$too_long": True}


def _encode(value, depth: int):
    if depth > 20:
        raise ValueError("nested too deep")
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if value is Ellipsis:
        return {"$ellipsis": True}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # a numpy scalar
        return _encode(value.item(), depth + 1)
    if isinstance(value, dict):
        return {"$dict": [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, Iterable):
        items = []
        for item in value:
            items.append(_encode(item, depth + 1))
            if len(items) > ANSWER_LIMIT:
                raise ValueError("too many items")
        kind = "$tuple" if isinstance(value, tuple) else "$set" if isinstance(value, (set, frozenset)) else None
        return {kind: items} if kind else items
    return {"$str": str(value)[: ANSWER_LIMIT + 1]}


def decode(data):
    """The value ``encode`` recorded (raises ValueError for data it cannot have written).

    >>> decode({"$set": ["a", "b"]}) == {"a", "b"}, decode({"$str": "x"})
    (True, Shown('x'))
    """
    if data is None or isinstance(data, (bool, str, int, float)):
        return data
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict) and len(data) == 1:
        ((kind, value),) = data.items()
        simple = {
            "$float": lambda v: float(v),
            "$ellipsis": lambda v: ...,
            "$timestamp": lambda v: pd.Timestamp(v),
            "$datetime": lambda v: dt.datetime.fromisoformat(v),
            "$date": lambda v: dt.date.fromisoformat(v),
            "$str": lambda v: Shown(str(v)),
        }
        if kind in simple and isinstance(value, (str, bool)):
            return simple[kind](value)
        if kind == "$tuple" and isinstance(value, list):
            return tuple(decode(item) for item in value)
        if kind == "$set" and isinstance(value, list):
            return {_hashable(decode(item)) for item in value}
        if kind == "$dict" and isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value):
            return {_hashable(decode(k)): decode(v) for k, v in value}
    raise ValueError(f"not an encoded answer: {str(data)[:80]}")


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, (dict, set)):
        raise ValueError("an unhashable key")
    return value
