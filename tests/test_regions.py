"""Lesson 04's geographic definition of "the region": the one no body's membership decides.

The other definitions are unions of forums, so a forum can pass them by construction (the ARF
leaves nobody out of "security forums"). The geographic one reads only the countries' UN M49
sub-region (column ``m49_subregion``, from ``iso3166_list``), so any body can fail it.
"""

import vientiane
from tests.synthetic import COUNTRIES, membership, write_package
from vientiane import queries

DAY = "2016-07-26"
OCEANIA = {"Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"}


def test_the_geographic_definition_reads_no_membership(tmp_path):
    countries = [
        {**COUNTRIES[0], "m49_subregion": "Eastern Asia"},  # a state in the region
        {**COUNTRIES[1], "m49_subregion": "Polynesia"},  # a state in the region, in no body
        {**COUNTRIES[2], "m49_subregion": "Eastern Europe"},  # a member, outside the region
        {**COUNTRIES[3], "m49_subregion": "Eastern Asia"},  # an economy: not a state
    ]
    rows = [membership("ALPHA", "AAA", "2000-01-01"), membership("ALPHA", "CCC", "2000-01-01")]
    facts = vientiane.load(write_package(tmp_path, memberships=rows, countries=countries))
    assert queries.region(facts, "geographic", on=DAY) == ["AAA", "BBB"]
    assert queries.left_out(facts, "ALPHA", on=DAY, definition="geographic") == ["BBB"]


def test_every_body_falls_short_of_the_geographic_region(facts):
    for body in facts.organizations["id"]:
        assert queries.left_out(facts, body, on=DAY, definition="geographic"), f"{body} leaves nobody out"


def test_the_arf_leaves_out_only_pacific_island_states_and_reaches_beyond(facts):
    m49 = facts.countries.set_index("id")["m49_subregion"]
    left_out = queries.left_out(facts, "ARF", on=DAY, definition="geographic")
    assert set(m49[left_out]) <= OCEANIA - {"Australia and New Zealand"}
    outside = set(queries.members(facts, "ARF", on=DAY)) - set(queries.region(facts, "geographic", on=DAY))
    assert {"RUS", "USA"} <= outside


def test_every_country_but_the_eu_and_chinese_taipei_has_an_m49_subregion(facts):
    missing = sorted(facts.countries.loc[facts.countries["m49_subregion"].isna(), "id"])
    assert missing == ["EUU", "TWN"]


def test_the_states_that_only_the_geographic_definition_counts_belong_to_no_body(facts):
    """The rows added for it (their note says so) are states of Oceania in no body of the data."""
    in_some_body = set(facts.memberships["member"]) | set(facts.partnership_levels["partner"])
    added = facts.countries[facts.countries["note"].fillna("").str.contains("geographic definition")]
    assert len(added) > 0
    for row in added.itertuples():
        assert row.m49_subregion in OCEANIA and row.kind == "state" and row.id not in in_some_body, row.id
    region = set(queries.region(facts, "geographic", on=DAY))
    assert region - in_some_body == set(added["id"]), "a state in the region but in no body says nothing of why"
