"""vientiane: the facts behind the lessons on Lavrov in Vientiane, July 2016.

>>> import vientiane
>>> facts = vientiane.load()
>>> facts.members("EAS", on="2016-07-26")[:4]
['AUS', 'BRN', 'CHN', 'IDN']

Modules, one job each: ``facts`` (load and validate), ``queries`` (questions), ``dates``
(reading and writing dates), ``plots`` (figures), ``maps`` (membership maps), ``widgets``
(explorers for the notebooks), ``figures`` (saving figures reproducibly), ``answers``
(reading what a student typed), ``checks`` (self-checks of the exercises), ``paths`` (where
the data and the figures are), ``lessons`` (the list of lessons, read from the notebooks). The teacher's tools (build, editions, presenting, grading,
authoring exercises) are a package of their own, ``vientiane_teacher``, never imported from here.
"""

from importlib import import_module

__all__ = ["Facts", "FactsError", "Fault", "UnknownId", "check", "load"]
__version__ = "1.1.0"

_MODULES = {"plots", "maps", "widgets", "figures", "answers", "checks", "queries", "dates", "facts", "paths", "lessons"}
# Names imported on first use: pandas, matplotlib and ipywidgets take time to import.
_NAMES = {"Facts": "facts", "FactsError": "facts", "Fault": "facts", "load": "facts", "UnknownId": "queries"}


def check(exercise: str, answer) -> bool:
    """Check an exercise's answer: says right, or gives a hint; returns True when right.
    The forms it accepts and the feedback it gives: ``vientiane.checks.check?``.

    >>> check("00.1", ...)
    … Replace the ... with your answer, then run the cell again.
    False
    """
    from .checks import check as _check

    return _check(exercise, answer)


def __getattr__(name):
    if name in _MODULES:
        return import_module(f".{name}", __name__)
    if name in _NAMES:
        return getattr(import_module(f".{_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'vientiane' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _MODULES | set(_NAMES))
