"""Figures whose bytes do not depend on how often they were drawn: a constrained layout that ran
again on a second drawing moved things by a pixel, so a figure saved, then shown, then saved
again gave other bytes (issue 15)."""

import pytest

from vientiane import figures, maps, plots

# Every figure function of the library, with the arguments of a lesson where it needs some.
FIGURE_CALLS = [
    (plots.article_map_figure, {}),
    (plots.timeline_figure, {}),
    (plots.membership_matrix_figure, {}),
    (plots.overlap_figure, {}),
    (plots.membership_counts_figure, {}),
    (plots.country_history_figure, {"country": "RUS"}),
    (plots.coverage_figure, {}),
    (plots.region_coverage_figure, {}),
    (plots.ten_years_figure, {}),
    (plots.quotes_figure, {}),
    (plots.claims_figure, {}),
    (plots.figures_comparison_figure, {}),
    (maps.membership_map_figure, {"organization": "ASEAN", "width": 6.0}),
    (maps.membership_maps_figure, {}),
]


def test_every_figure_function_is_here():
    public = {
        name
        for module in (plots, maps)
        for name in dir(module)
        if name.endswith("_figure") and not name.startswith("_") and callable(getattr(module, name))
    }
    assert public == {function.__name__ for function, _ in FIGURE_CALLS}


def _figure(made):
    return made[0] if isinstance(made, tuple) else made


@pytest.mark.parametrize(("function", "kwargs"), FIGURE_CALLS, ids=[f.__name__ for f, _ in FIGURE_CALLS])
def test_a_second_drawing_gives_the_same_bytes(facts, function, kwargs):
    fig = _figure(function(facts, **kwargs))
    first = figures.png_bytes(fig, figures.SCREEN_DPI)
    svg = figures.svg_text(fig)
    assert figures.png_bytes(fig, figures.SCREEN_DPI) == first, "the PNG changed on a second drawing"
    assert figures.svg_text(fig) == svg, "the SVG changed on a second drawing"


def test_saving_twice_gives_the_same_files(facts, tmp_path):
    fig = _figure(plots.quotes_figure(facts))
    figures.save(fig, "99_quotes", alt="Quotes.", folder=tmp_path / "a")
    figures.save(fig, "99_quotes", alt="Quotes.", folder=tmp_path / "b")
    for suffix in ("png", "svg"):
        assert (tmp_path / "a" / f"99_quotes.{suffix}").read_bytes() == (
            tmp_path / "b" / f"99_quotes.{suffix}"
        ).read_bytes()
