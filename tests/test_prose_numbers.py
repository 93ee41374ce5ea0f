"""Every number the lessons' prose states about the data is computed here from the data.

Alt text needs no entry: the plot functions write it from the data they drew. A lesson's
prose is Markdown and cannot compute, so each number it states is listed below with the
computation it must agree with. When a statement's wording changes, its entry must change
too: a statement that is no longer found fails, so none is silently unchecked.
"""

import json
import re
from pathlib import Path

import pytest

from vientiane import queries
from vientiane_teacher import lessons

ROOT = Path(__file__).resolve().parents[1]
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


def trade(facts, period):
    rows = facts.figures[facts.figures["quantity"].str.contains("trade") & (facts.figures["period"] == period)]
    return rows


# (lesson, pattern with one group per number, computation giving those numbers as text)
STATEMENTS = [
    ("00", r"\(¶1-¶(\d+)\)", lambda f: [str(len(f.paragraphs()))]),
    (
        "02",
        r"ASEAN \| .*? \| (\d+) states in 2016, (\d+) since Timor-Leste joined in (\d{4})",
        lambda f: [
            str(count(f, "ASEAN", "2016-07-26")),
            str(count(f, "ASEAN")),
            str(
                f.memberships.query("member == 'TLS' and organization == 'ASEAN' and status == 'member'")[
                    "start"
                ].dt.year.iloc[0]
            ),
        ],
    ),
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
        r"the ARF, leaves out (\w+) members of APEC",
        lambda f: [word(len(queries.left_out(f, "ARF", on="2016-07-26")))],
    ),
    ("05", r"breaks the article into (\d+) claims", lambda f: [str(len(f.claims))]),
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
