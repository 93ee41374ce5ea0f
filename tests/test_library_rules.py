"""The library's rules on small packages written here (tests/synthetic.py), not on the real
data: interval semantics, alternatives, founding cut-offs, precision, aliases, the data's date."""

import pandas as pd
import pytest

import vientiane
from tests.synthetic import membership, write_package
from vientiane import queries


@pytest.fixture
def facts(tmp_path, monkeypatch):
    monkeypatch.setenv("VIENTIANE_CACHE", str(tmp_path / "cache"))
    rows = [
        membership("ALPHA", "AAA", "2000-03-01", end="2005-03-01"),
        membership("ALPHA", "BBB", "2001-01-01", precision="year"),
        membership("ALPHA", "BBB", "2000-06-10", reading="alternative"),
        membership("ALPHA", "CCC", "2003-07-01", precision="month", status="observer"),
        membership("BETA", "AAA", "2008-01-01"),  # before Beta's founding in the data
    ]
    return vientiane.load(write_package(tmp_path, memberships=rows))


def test_a_row_holds_from_its_start_to_the_day_before_its_end(facts):
    assert "AAA" not in facts.members("ALPHA", on="2000-02-29")
    assert "AAA" in facts.members("ALPHA", on="2000-03-01")
    assert "AAA" in facts.members("ALPHA", on="2005-02-28")
    assert "AAA" not in facts.members("ALPHA", on="2005-03-01")


def test_alternatives_count_only_when_asked(facts):
    assert facts.members("ALPHA", on="2000-12-31") == ["AAA"]
    assert facts.members("ALPHA", on="2000-12-31", alternatives=True) == ["AAA", "BBB"]


def test_nobody_belongs_before_the_founding(facts):
    assert facts.members("BETA", on="2009-01-01") == []
    assert facts.members("BETA", on="2010-06-15") == ["AAA"]


def test_statuses_are_kept_apart(facts):
    assert "CCC" not in facts.members("ALPHA", on="2004-01-01")
    assert facts.members("ALPHA", on="2004-01-01", statuses=("observer",)) == ["CCC"]


def test_a_coarse_start_counts_from_its_first_day_and_says_so(facts):
    rows = queries.holding(facts, "ALPHA", on="2001-05-05").set_index("member")
    assert bool(rows.loc["BBB", "uncertain"]) and not bool(rows.loc["AAA", "uncertain"])
    rows = queries.holding(facts, "ALPHA", on="2002-01-01").set_index("member")
    assert not bool(rows.loc["BBB", "uncertain"])
    observer = queries.holding(facts, "ALPHA", on="2003-07-20", statuses=("observer",))
    assert observer["uncertain"].tolist() == [True]


def test_dates_print_as_precisely_as_the_sources_give_them(facts):
    rows = queries.history(facts, "CCC")
    assert queries.format_date(rows["start"].iloc[0], rows["start_precision"].iloc[0]) == "July 2003"
    assert queries.format_date(pd.Timestamp("2001-01-01"), "year") == "2001"


def test_names_and_aliases_in_any_case(facts):
    for name in ("alpha", "ALPHA FORUM", "the alphas", "af"):
        assert queries.resolve(facts, "organizations", name) == "ALPHA"
    assert queries.resolve(facts, "countries", "chinese taipei") == "TWN"


def test_today_is_the_data_date_not_the_clock(facts):
    assert facts.as_of == pd.Timestamp("2026-11-28")
    assert facts.members("ALPHA") == facts.members("ALPHA", on="2026-11-28")
    assert queries.membership_counts(facts, ["ALPHA"]).index[-1] == 2026


def test_only_iso_dates_are_dates(facts):
    for text in ("20010101", "2001-1-1", "1 January 2001", "2001-W01"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            facts.members("ALPHA", on=text)
