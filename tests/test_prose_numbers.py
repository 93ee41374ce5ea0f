"""Every number the lessons' prose states about the data is computed here from the data.

Alt text needs no entry: the plot functions write it from the data they drew. A lesson's
prose is Markdown and cannot compute, so each number it states is listed below with the
computation it must agree with. When a statement's wording changes, its entry must change
too: a statement that is no longer found fails, so none is silently unchecked.
"""

import json
import re

import pytest

from tests.repo import ROOT
from vientiane import queries
from vientiane_teacher import lessons

WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def prose(number: str) -> str:
    """The Markdown of lesson ``number`` ("02"), as one string with lines joined."""
    path = next(p for p in lessons.lessons(ROOT) if p.name.startswith(number))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").replace("\n", " ")


def word(n: int) -> str:
    return WORDS[n] if n < len(WORDS) else str(n)


def count(facts, body, on=None):
    return len(facts.members(body, on=on))


def kinds(facts, kind):
    return int((facts.quotes["kind"] == kind).sum())


def upset_combo(facts, bar: int) -> tuple:
    from vientiane import plots

    return tuple(plots.overlap_figure(facts, on="2016-07-26")[1].loc[bar, "combination"])


def upset(facts, bar: int) -> list[str]:
    """The count and (for a single body) the body of bar ``bar`` of lesson 02's UpSet chart."""
    from vientiane import plots

    row = plots.overlap_figure(facts, on="2016-07-26")[1].loc[bar]
    return [str(row["count"]), row["combination"][0]]


def confirmed_meetings(facts):
    """Countries whose minister met Lavrov in Vientiane by a source other than the article."""
    events = facts.events
    in_2016 = events["place"].fillna("").str.contains("Vientiane") & (events["start"].dt.year == 2016)
    vientiane_events = set(events.loc[in_2016, "id"])
    others = facts.encounters[
        (facts.encounters["source"] != facts.article_id) & facts.encounters["event"].isin(vientiane_events)
    ]
    return set(others["counterpart_country"])


def event_day(facts, event_id, precision="day"):
    """The start of an event as the lessons write it ("12 July 2016", "October 2022")."""
    return queries.format_date(facts.events.set_index("id").loc[event_id, "start"], precision)


def says(facts, table, row_id, column, text):
    """``[text]`` if the data's cell contains ``text`` (a number the lesson quotes from a note)."""
    return [text] if text in str(getattr(facts, table).set_index("id").loc[row_id, column]) else ["?"]


def trade(facts, period):
    rows = facts.figures[facts.figures["quantity"].str.contains("trade") & (facts.figures["period"] == period)]
    return rows


def founders(facts, body):
    """The members of ``body`` on the day it was founded (main reading)."""
    founded = facts.organizations.set_index("id").loc[body, "founded"]
    return set(facts.members(body, on=founded))


def eas_start(facts, reading):
    """The day Russia's EAS membership starts, by the ``reading`` (main or alternative)."""
    rows = facts.memberships.query("member == 'RUS' and organization == 'EAS' and reading == @reading")
    return rows["start"].iloc[0]


# (lesson, pattern with one group per number, computation giving those numbers as text)
STATEMENTS = [
    ("00", r"cited by paragraph, ¶1 to ¶(\d+)\.", lambda f: [str(len(f.paragraphs()))]),
    (
        "02",
        r"ASEAN \| .*? \| (\d+) states in 2016 \(on the data's date",
        lambda f: [str(count(f, "ASEAN", "2016-07-26"))],
    ),
    ("02", r"ASEAN had (\d+) members in 2016\.", lambda f: [str(count(f, "ASEAN", "2016-07-26"))]),
    (
        "02",
        r"Timor-Leste joined ASEAN in (\d{4})",
        lambda f: [
            str(
                f.memberships.query("member == 'TLS' and organization == 'ASEAN' and status == 'member'")[
                    "start"
                ].dt.year.iloc[0]
            )
        ],
    ),
    (
        "02",
        r"the SCO with China and (\w+) Central Asian states, the EAEU with Belarus and Kazakhstan",
        lambda f: (
            [word(len(founders(f, "SCO") - {"RUS", "CHN"}))] if founders(f, "EAEU") == {"RUS", "BLR", "KAZ"} else ["?"]
        ),
    ),
    (
        "02",
        r"and (\d+) of its (\d+) member states in 2016 belong to no other body of the eight",
        lambda f: [upset(f, 0)[0], str(count(f, "CICA", "2016-07-26"))] if upset(f, 0)[1] == "CICA" else ["?"],
    ),
    (
        "02",
        r"decided to invite it \((\d+ \w+ \d{4})\).*?formally included it \((\w+ \d{4})\)",
        lambda f: [
            queries.format_date(eas_start(f, "alternative")),
            queries.format_date(eas_start(f, "main")).split(" ", 1)[1],
        ],
    ),
    (
        "01",
        r"from \$(\d+\.\d)-(\d+\.\d) billion to \$(\d+\.\d)-(\d+\.\d) billion",
        lambda f: [
            f"{v:.1f}" for p in ("2014", "2015") for v in (trade(f, p)["value"].min(), trade(f, p)["value"].max())
        ],
    ),
    (
        "01",
        r"trade fell by more than (a third) from 2014 to 2015",
        lambda f: ["a third"] if trade(f, "2015")["value"].max() < trade(f, "2014")["value"].min() * 2 / 3 else ["?"],
    ),
    (
        "01",
        r"an unsourced figure that is (\d+)% off",
        lambda f: [str(round((trade(f, "2015")["value"].max() / trade(f, "2015")["value"].min() - 1) * 100))],
    ),
    ("03", r"Russia with ASEAN as a group of (\w+),", lambda f: [word(count(f, "ASEAN", "2016-07-25"))]),
    ("02", r"EAS \| .*? \| (\d+) states \|", lambda f: [str(count(f, "EAS", "2016-07-26"))]),
    ("02", r"ARF \| .*? \| (\d+) participants, the EU among them", lambda f: [str(count(f, "ARF", "2016-07-26"))]),
    ("02", r"APEC \| .*? \| (\d+) \"member economies\"", lambda f: [str(count(f, "APEC", "2016-07-26"))]),
    (
        "02",
        r"SCO \| .*? \| (\d+) states in 2016, (\d+) on the data's date",
        lambda f: [str(count(f, "SCO", "2016-07-26")), str(count(f, "SCO"))],
    ),
    ("02", r"EAEU \| .*? \| (\d+) states \|", lambda f: [str(count(f, "EAEU", "2016-07-26"))]),
    ("02", r"ADMMPLUS \| .*? \| (\d+) states in 2016", lambda f: [str(count(f, "ADMMPLUS", "2016-07-26"))]),
    ("02", r"CICA \| .*? \| (\d+) states in 2016", lambda f: [str(count(f, "CICA", "2016-07-26"))]),
    ("01", r"the article reports, (\w+) are confirmed by other sources", lambda f: [word(len(confirmed_meetings(f)))]),
    ("02", r"## (\w+) bodies", lambda f: [word(len(f.organizations)).capitalize()]),
    ("02", r"Of which of the (\w+) bodies", lambda f: [word(len(f.organizations))]),
    ("02", r"every body of the (\w+) except ASEAN", lambda f: [word(len(f.organizations))]),
    ("02", r"Take the first bar: (\d+) states belong to one body only, the (\w+)\.", lambda f: upset(f, 0)),
    (
        "02",
        r"(\d+) states belong to ASEAN, the EAS, the ARF, APEC and the\s+ADMM-Plus at once",
        lambda f: [upset(f, 2)[0]] if upset_combo(f, 2) == ("ASEAN", "EAS", "ARF", "APEC", "ADMMPLUS") else ["?"],
    ),
    ("03", r"The article puts (\w+) passages in quotation marks", lambda f: [word(len(f.quotes))]),
    (
        "03",
        r"The article has (\d+) quotations: (\d+) full, (\d+) fragments, (\d+) scare-quoted terms, (\d+) title",
        lambda f: [str(len(f.quotes))] + [str(kinds(f, k)) for k in ("full", "fragment", "scare", "title")],
    ),
    ("03", r"(\w+) quotations have no speaker", lambda f: [word(int(f.quotes["speaker"].isna().sum())).capitalize()]),
    ("03", r"(\w+) have no named speaker", lambda f: [word(int(f.quotes["speaker"].isna().sum())).capitalize()]),
    (
        "04",
        r"Count APEC's members and the ARF leaves out (\w+) of them; leave out\s+the (\w+) economies and it leaves out (\w+); add Central Asia and it leaves out (\w+)",
        lambda f: (
            [word(len(queries.left_out(f, "ARF", on="2016-07-26", definition=d))) for d in ("+ APEC",)]
            + [word(int((f.countries["kind"] == "economy").sum()))]
            + [
                word(len(queries.left_out(f, "ARF", on="2016-07-26", definition=d)))
                for d in ("states only", "+ Central Asia")
            ]
        ),
    ),
    (
        "04",
        r"With the security forums alone, the ARF leaves out (nobody)",
        lambda f: (
            ["nobody"] if not queries.left_out(f, "ARF", on="2016-07-26", definition="security forums") else ["?"]
        ),
    ),
    ("04", r"The library offers (\w+) definitions", lambda f: [word(len(queries.REGIONS))]),
    (
        "04",
        r"Under it the ARF leaves out\s+(\w+) states",
        lambda f: [word(len(queries.left_out(f, "ARF", on="2016-07-26", definition="geographic")))],
    ),
    (
        "04",
        # "Every state the ARF leaves out here is a Pacific island state": each is in M49's Oceania.
        r"Every state the ARF leaves out here is a (Pacific island) state; (Russia) and the (United States)",
        lambda f: (
            (
                ["Pacific island"]
                if set(
                    f.countries.set_index("id").loc[
                        queries.left_out(f, "ARF", on="2016-07-26", definition="geographic"), "m49_subregion"
                    ]
                )
                <= {"Melanesia", "Micronesia", "Polynesia"}
                else ["?"]
            )
            + [
                f.countries.set_index("id").loc[c, "short_name"]
                for c in ("RUS", "USA")
                if c in set(queries.members(f, "ARF", on="2016-07-26"))
                and c not in queries.region(f, "geographic", on="2016-07-26")
            ]
        ),
    ),
    ("04", r"among them (\w+) \*economies\*", lambda f: [word(int((f.countries["kind"] == "economy").sum()))]),
    (
        "06",
        r"Laos chaired ASEAN again in (\d{4}), its third time",
        lambda f: [str(f.events.set_index("id").loc["vte2024_amm57", "start"].year)],
    ),
    (
        "06",
        r"the (\d+)th EAS ministers' meeting and the (\d+)st ARF",
        lambda f: (
            ["14", "31"]
            if "14th" in f.events.set_index("id").loc["vte2024_eas_fmm", "name"]
            and "31st" in f.events.set_index("id").loc["vte2024_arf31", "name"]
            else ["?"]
        ),
    ),
    (
        "06",
        r"on the (\d+)th anniversary of Russia's accession",
        lambda f: ["20"] if "20th" in f.events.set_index("id").loc["vte2024_tac20_statement", "name"] else ["?"],
    ),
    (
        "06",
        r"at the (\d{4}) summit in Singapore",
        lambda f: [
            str(f.partnership_levels.query("partner == 'RUS' and level == 'strategic'")["start"].dt.year.iloc[0])
        ],
    ),
    ("05", r"breaks the article into (\d+) claims", lambda f: [str(len(f.claims))]),
    (
        "04",
        r"Vientiane \(¶(\d+)\) Lavrov said",
        lambda f: [str(f.quotes.set_index("id").loc["q07_umbrella_statement", "paragraph"])],
    ),
    ("05", r"the \"tensions\" of ¶(\d+)", lambda f: [str(f.claims.set_index("id").loc["c27_tensions", "paragraph"])]),
    (
        "06",
        r"\"move on to the level of a strategic partnership\" \(¶(\d+)\)",
        lambda f: [str(f.quotes.set_index("id").loc["q02_powerful_impetus", "paragraph"])],
    ),
    ("04", r"first convened in Ha Noi on (\d+ \w+ \d{4})", lambda f: [event_day(f, "admmplus_1_2010")]),
    ("04", r"at the UN on (\d+ \w+ \d{4})", lambda f: [event_day(f, "cica_idea_1992")]),
    ("04", r"in Almaty on (\d+ \w+ \d{4})", lambda f: [event_day(f, "cica_mm1_1999")]),
    ("04", r"in (\w+ \d{4}) its\s+summit launched", lambda f: [event_day(f, "cica_summit6_2022", "month")]),
    (
        "04",
        r"the Vientiane meetings of (\d+ July) 2016",
        lambda f: says(f, "sources", "rusemb_uk_yakovenko", "note", "25 July"),
    ),
    ("05", r"arbitration award\*\* of (\d+ \w+ \d{4})", lambda f: [event_day(f, "pca2016_award")]),
    (
        "05",
        r"ended its\s+financial support in (\w+ \d{4})",
        lambda f: says(f, "sources", "rd_stops_2017", "owner", "January 2017"),
    ),
    (
        "06",
        r"in (\d{4}) the Russian Foreign\s+Ministry .*? in (\d{4}) Lavrov called .*? meeting of (\d+ July \d{4})",
        lambda f: (
            [str(f.sources.set_index("id").loc[i, "speaks_for"])[:4] for i in ("mid_comment_20170804", "tass_20210707")]
            + [event_day(f, "vte2024_eas_fmm")]
        ),
    ),
    (
        "06",
        r"its third time after (\d{4})-(\d{4}) and (\d{4})",
        lambda f: (
            says(f, "events", "vte2024_amm57", "note", "2004-2005")[0].split("-")
            + [str(f.events.set_index("id").loc["vte2016_amm49", "start"].year)]
        ),
    ),
    (
        "06",
        r"the Thai foreign ministry gives (\d+-\d+ July)",
        lambda f: says(f, "events", "vte2024_amm57", "note", "24-27 July"),
    ),
    (
        "06",
        r"On (\d+)\s+July the ASEAN-Russia ministers .*? on (\d+) July Lavrov took part .*? held there on (\d+) July",
        lambda f: [
            str(f.events.set_index("id").loc[i, "start"].day)
            for i in ("vte2024_tac20_statement", "vte2024_eas_fmm", "vte2024_cn_ru_la_trilateral")
        ],
    ),
    ("06", r"opening of the (\d+)th ASEAN Summit", lambda f: says(f, "events", "tls_asean_2025", "name", "47")),
    (
        "06",
        r"at Tianjin in (\d{4}) merged",
        lambda f: [str(f.events.set_index("id").loc["sco_summit_2025_tianjin", "start"].year)],
    ),
    (
        "06",
        r"observer status in (\d{4})",
        lambda f: [str(f.events.set_index("id").loc["seec_2018_sochi", "start"].year)],
    ),
    (
        "06",
        r"\"will continue to pursue this goal\" \(¶(\d+)\)",
        lambda f: [str(f.claims.set_index("id").loc["c29_will_continue", "paragraph"])],
    ),
    (
        "06",
        r"\"systemic\" cooperation of ASEAN\s+with the EAEU and the SCO \(¶(\d+)\)",
        lambda f: [str(f.claims.set_index("id").loc["c13b_plans_eaeu", "paragraph"])],
    ),
]


@pytest.mark.parametrize("lesson, pattern, compute", STATEMENTS, ids=[f"{s[0]}:{s[1][:40]}" for s in STATEMENTS])
def test_number_in_prose_agrees_with_the_data(facts, lesson, pattern, compute):
    match = re.search(pattern, prose(lesson))
    assert match, f"lesson {lesson} no longer says {pattern!r}: update this statement's entry"
    assert list(match.groups()) == compute(facts)


def test_the_data_date_is_the_one_the_lessons_give(facts):
    """Lessons name the data's date ("on the data's date (28 November 2026 …)"): it is ``facts.as_of``."""
    shown = queries.format_date(facts.as_of)
    for path in lessons.lessons(ROOT):
        text = prose(path.name[:2])
        assert "today" not in text.casefold().replace("today's", ""), f"{path.name} says 'today': say the data's date"
        for stated in re.findall(r"data's date \((\d{1,2} \w+ \d{4})", text):
            assert stated == shown, f"{path.name} gives the data's date as {stated}, the data says {shown}"
