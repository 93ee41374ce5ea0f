"""vientiane: the facts behind the lessons on Lavrov in Vientiane, July 2016.

>>> import vientiane
>>> facts = vientiane.load()
>>> facts.members("EAS", on="2016-07-26")[:4]
['AUS', 'BRN', 'CHN', 'IDN']

Modules, one job each: ``facts`` (load and validate), ``queries`` (questions),
``plots`` (figures), ``widgets`` (explorers for the notebooks), ``figures`` (saving
figures reproducibly), ``checks`` (self-checks of the exercises).
"""

from importlib import import_module

from .facts import Facts, FactsError, Fault, load
from .queries import UnknownId

__all__ = ["Facts", "FactsError", "Fault", "UnknownId", "check", "load"]
__version__ = "1.0.0"

_LAZY = {"plots", "widgets", "figures", "checks", "queries", "facts", "build"}


def check(exercise: str, answer) -> bool:
    """Check an exercise's answer: prints right, or a hint; returns True when right.

    >>> check("00.1", 3)
    ✘ Not yet. Hint: Count the rows of facts.paragraphs().
    False
    """
    from .checks import check as _check

    return _check(exercise, answer)


def __getattr__(name):
    # Plots and widgets pull in matplotlib and ipywidgets: import them only when used.
    if name in _LAZY:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'vientiane' has no attribute {name!r}")
