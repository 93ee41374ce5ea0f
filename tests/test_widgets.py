"""Explorers, kernel-side: each renders, each responds to its controls, nothing unescaped."""

import csv

import pytest

import vientiane
from vientiane import widgets

EXPLORERS = [
    widgets.article_explorer,
    widgets.timeline_explorer,
    widgets.membership_explorer,
    widgets.country_explorer,
    widgets.overlap_explorer,
    widgets.quote_explorer,
    widgets.coverage_explorer,
    widgets.claim_explorer,
    widgets.since_explorer,
]


def _another_value(control):
    """A different valid value for a control, whatever its kind."""
    if hasattr(control, "options") and isinstance(control.value, tuple):  # SelectMultiple
        return (control.options[-1],) if control.value != (control.options[-1],) else (control.options[0],)
    if hasattr(control, "options"):  # Dropdown: options may be (label, value) pairs
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next(v for v in values if v != control.value)
    if isinstance(control.value, tuple):  # IntRangeSlider
        low, high = control.value
        return (max(control.min, low - 20), high)
    if isinstance(control.value, str):  # Text
        return "Lavrov"
    return control.min if control.value != control.min else control.max  # IntSlider


@pytest.mark.parametrize("make", EXPLORERS, ids=lambda f: f.__name__)
def test_explorer_renders_and_responds(facts, make):
    explorer = make(facts)
    assert "vientiane-explorer" in explorer._dom_classes
    assert "vientiane-output" in explorer.output._dom_classes
    assert explorer.output.outputs, "nothing rendered"
    for index in range(len(explorer.controls)):
        fresh = make(facts)  # each control from the starting state, so filters do not pile up
        control = fresh.controls[index]
        before = fresh.output.outputs
        control.value = _another_value(control)
        assert fresh.output.outputs != before, f"{type(control).__name__} did not change the output"


def test_explorer_repr_is_short_and_stable(facts):
    assert repr(widgets.quote_explorer(facts)) == "Explorer('quotes')"


def test_membership_view_follows_the_year(facts):
    _, matrix_1990 = widgets.membership_view(facts, 1990)
    _, matrix_2016 = widgets.membership_view(facts, 2016)
    assert "EAS" not in matrix_1990.columns[matrix_1990.any()]
    assert matrix_2016["EAS"].sum() == 18


def test_quotes_view_filters(facts):
    markup, table = widgets.quotes_view(facts, text="umbrella")
    assert len(table) == 2 and markup.count("<mark>") == 2
    markup, table = widgets.quotes_view(facts, speaker="unattributed", topic="syria")
    assert table["id"].tolist() == ["q06_moderate_opposition"]


def test_left_out_view(facts):
    assert widgets.left_out_view(facts, "ARF", 2016)["id"].tolist() == ["CHL", "HKG", "MEX", "PER", "TWN"]


@pytest.fixture
def package_with_script(package):
    """A teacher's own package: a quotation containing <script>, from a source of their own."""
    data = package.parent
    sources = list(csv.DictReader(open(data / "sources.csv", encoding="utf-8", newline="")))
    notes = {key: "" for key in sources[0]} | {
        "id": "teacher_notes",
        "title": "Class notes",
        "publisher": "A teacher",
        "kind": "reference",
        "affiliation": "reference",
        "speaks_for": "2026",
        "location": "https://example.org/notes",
        "consulted": "2026-11-28",
    }
    with open(data / "sources.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(sources[0]), lineterminator="\n").writerow(notes)
    rows = list(csv.DictReader(open(data / "quotes.csv", encoding="utf-8", newline="")))
    evil = dict(
        rows[0],
        id="q99_evil",
        words="<script>alert('x')</script> & <b>bold</b>",
        source="teacher_notes",
        excerpt="",
        topics="",
    )
    with open(data / "quotes.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n").writerow(evil)
    return package


def test_html_from_the_data_is_escaped(package_with_script):
    facts = vientiane.load(package_with_script)
    markup, table = widgets.quotes_view(facts, text="alert")
    assert table["id"].tolist() == ["q99_evil"]
    explorer = widgets.quote_explorer(facts)
    explorer.controls[2].value = "alert"
    shown = explorer.output.outputs[0]["data"]["text/html"]
    for html in (markup, shown, widgets.table_html(table, ["words"])):
        assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in widgets.table_html(table, ["words"])


def test_claim_view_escapes(facts):
    altered = facts.copy()
    altered.claims.loc[0, "claim"] = "<img src=x onerror=alert(1)>"
    assert "<img" not in widgets.claim_view(altered, altered.claims.loc[0, "id"])
