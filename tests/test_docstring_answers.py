"""Students read the library's docstrings with ``?``: no example in them may show the answer to an
exercise (issue 19: the saved views and the examples gave away 02.1 and 02.2)."""

from __future__ import annotations

import ast
import doctest
import functools
import importlib
import pkgutil

import pytest

import vientiane
from vientiane import checks

MODULES = ["vientiane"] + [f"vientiane.{m.name}" for m in pkgutil.iter_modules(vientiane.__path__)]


@functools.cache
def examples() -> list[tuple[str, str, object]]:
    """(where, source, value) of every docstring example whose printed result is a Python literal."""
    return list(_examples())


def _examples():
    for name in MODULES:
        for test in doctest.DocTestFinder().find(importlib.import_module(name)):
            for example in test.examples:
                try:
                    value = ast.literal_eval(example.want.strip())
                except (SyntaxError, ValueError):
                    continue
                yield test.name, example.source.strip(), value


def test_the_examples_are_found():
    assert len(examples()) > 40


@pytest.mark.parametrize("exercise", sorted(checks.EXERCISES))
def test_no_docstring_example_answers_an_exercise(exercise):
    shown = [
        (where, source) for where, source, value in examples() if checks.feedback(exercise, value)[0].startswith("✔")
    ]
    assert not shown, f"the docstring examples {shown} give the answer to {exercise}"


def test_the_overlap_explorer_opens_on_no_exercises_answer():
    """Its saved view is in the students' HTML: opened on the SCO and the EAS in 2016, it showed 02.1's answer."""
    from vientiane import widgets

    facts = vientiane.load()
    opening = widgets.overlap_explorer(facts).result
    names = facts.countries.set_index("short_name")["id"]
    for key in ("all", "any"):
        states = opening.loc[key, "states"].split(", ")
        for exercise in checks.EXERCISES:
            for value in (states, [names.get(s, s) for s in states]):
                assert not checks.feedback(exercise, value)[0].startswith("✔"), f"it opens on {exercise}'s answer"
