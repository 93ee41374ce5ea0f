"""The facts themselves: every excerpt is in the article, every quotation is recorded."""

import re

import pandas as pd
import pytest

from tests.repo import ROOT
from vientiane.facts import fold_space, split_paragraphs

ARTICLE = (ROOT / "seeds" / "000_6c3e8eb290f461cb.txt").read_text(encoding="utf-8")


def test_every_excerpt_is_verbatim_in_the_article(facts):
    table = facts.excerpts()
    article = fold_space(ARTICLE)
    assert len(table) > 40
    for row in table.itertuples():
        assert row.source == "rd2016"
        assert fold_space(row.excerpt) in article, f"{row.table}:{row.id}"


def test_rows_citing_the_article_all_carry_an_excerpt(facts):
    for name, table in facts.tables.items():
        if "excerpt" in table:
            missing = table[(table["source"] == "rd2016") & table["excerpt"].isna()]
            assert missing.empty, f"{name}: {missing['id'].tolist()}"


def test_every_row_names_a_known_source(facts):
    known = set(facts.sources["id"])
    for name, table in facts.tables.items():
        if "source" in table:
            assert table["source"].notna().all(), name
            assert set(table["source"]) <= known, name


def _quotations(text):
    """Every passage in quotation marks: curly doubles, curly singles, straight doubles."""
    found = re.findall(r"“(.+?)”", text) + re.findall(r'"(.+?)"', text)
    found += re.findall(r"(?<![A-Za-z])‘(.+?)’(?![A-Za-z])", text)  # not the apostrophe in Moscow’s
    return found


def test_every_quotation_of_the_article_is_in_the_quotes_table(facts):
    words = set(facts.quotes["words"])
    quotations = _quotations(ARTICLE)
    assert len(quotations) == 8
    for quoted in quotations:
        assert quoted in words, quoted


def test_quotes_keep_exact_characters(facts):
    for row in facts.quotes.itertuples():
        assert row.words in ARTICLE, row.id
    umbrella = facts.quotes.set_index("id").loc["q07_umbrella_statement", "words"]
    assert "‘umbrella structure’" in umbrella  # curly single quotes, as the article has them


def test_quote_paragraphs_match_the_article(facts):
    paragraphs = split_paragraphs(ARTICLE)
    for row in facts.quotes.itertuples():
        assert row.words in paragraphs[row.paragraph - 1], row.id


def test_every_paragraph_with_a_statement_has_a_claim(facts):
    # ¶10 is a subheading; every other paragraph states something.
    covered = set(facts.claims["paragraph"])
    assert covered == set(range(1, 18)) - {10}


def test_claim_cross_references_exist(facts):
    for row in facts.claims.dropna(subset=["checked_in"]).itertuples():
        for ref in row.checked_in.split("|"):
            table, key = ref.split(":", 1)
            assert key in set(facts.tables[table]["id"]), f"{row.id}: {ref}"


def test_each_conflict_is_used_and_each_side_has_a_source(facts):
    used = set()
    for table in facts.tables.values():
        if "conflict" in table:
            used |= set(table["conflict"].dropna())
    assert set(facts.conflicts["id"]) == used


def test_eas_entry_is_recorded_both_ways(facts):
    rows = facts.memberships[(facts.memberships["organization"] == "EAS") & (facts.memberships["member"] == "RUS")]
    assert sorted(rows["start"].dt.year) == [2010, 2011]
    assert set(rows["reading"]) == {"main", "alternative"}
    assert set(rows["conflict"]) == {"eas_entry"}
    assert len(set(rows["source"])) == 2


def test_the_three_vientiane_forums(facts):
    events = facts.events.set_index("id")
    for event in ("vte2016_asean_russia_fmm", "vte2016_eas_fmm", "vte2016_arf23"):
        assert events.loc[event, "place"] == "Vientiane"
    assert events.loc["vte2016_asean_russia_fmm", "start"] == pd.Timestamp("2016-07-25")
    assert events.loc["vte2016_eas_fmm", "start"] == pd.Timestamp("2016-07-26")
    assert events.loc["vte2016_arf23", "organization"] == "ARF"


def test_trade_figures_keep_both_sources(facts):
    rows = facts.figures[(facts.figures["period"] == "2015") & facts.figures["quantity"].str.contains("trade")]
    assert sorted(rows["value"]) == [13.4, 13.7]


def test_timor_leste_joined_asean_in_2025(facts):
    assert "TLS" not in facts.members("ASEAN", on="2025-10-25")
    assert "TLS" in facts.members("ASEAN", on="2025-10-26")


@pytest.mark.parametrize("table", ["memberships", "events", "people"])
def test_uncertain_rows_say_why(facts, table):
    rows = facts.tables[table]
    unexplained = rows[(rows["certainty"] == "uncertain") & rows["note"].isna()]
    assert unexplained.empty, unexplained["id"].tolist()


def test_ids_named_in_notes_exist(facts):
    # Notes point at other rows ("see mid_presser_20160726"): each pointer must resolve.
    known = set().union(*(set(table["id"]) for table in facts.tables.values()))
    for name, table in facts.tables.items():
        for column in ("note", "positions", "teaching_point"):
            if column not in table:
                continue
            for text in table[column].dropna():
                for token in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}\b", text):
                    assert token in known, f"{name}.{column} names unknown id {token}"
