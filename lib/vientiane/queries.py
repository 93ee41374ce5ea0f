"""Questions asked of the facts: who belonged to what and when, who said what.

Every function takes the ``Facts`` from ``vientiane.load()`` first. Ids and aliases are
accepted in any case; dates as strings ("2016-07-26"), ``date`` or ``datetime``.
"""

from __future__ import annotations

import pandas as pd

from .dates import as_date, format_date  # noqa: F401 (format_date: the short way, queries.format_date)

# The Asia-Pacific forums of the lessons, and the Eurasian bodies that Russia co-founded.
ASIA_PACIFIC_FORUMS = ("ASEAN", "EAS", "ARF", "APEC")
EURASIAN_BODIES = ("SCO", "EAEU")


class UnknownId(LookupError):
    """An id or alias that is not in the table; the message lists the known ids."""


def resolve(facts, table: str, key: str) -> str:
    """The id of the row of ``table`` that ``key`` names: its id, name or an alias, any case.

    >>> facts = vientiane.load()
    >>> resolve(facts, "organizations", "eeu")
    'EAEU'
    >>> resolve(facts, "people", "Sergey Lavrov")
    'lavrov'
    """
    frame = facts.tables[table]
    wanted = str(key).strip().casefold()
    for row in frame.itertuples():
        names = [row.id]
        for column in ("name", "short_name"):
            value = getattr(row, column, None)
            if isinstance(value, str):
                names.append(value)
        aliases = getattr(row, "aliases", None)
        if isinstance(aliases, str):
            names += aliases.split("|")
        if wanted in {name.strip().casefold() for name in names}:
            return row.id
    known = ", ".join(sorted(frame["id"]))
    raise UnknownId(f"no {table} row is called {key!r}; known ids: {known}")


def _holding(facts, on, statuses, alternatives=False) -> pd.DataFrame:
    """Membership rows in force on the date ``on`` with one of ``statuses``.

    Rows with ``reading == "alternative"`` (a date a source gives against the main
    reading, see the ``conflicts`` table) count only when ``alternatives`` is True.
    """
    day = as_date(on, facts.as_of)
    rows = facts.memberships
    if not alternatives:
        rows = rows[rows["reading"] == "main"]
    in_force = (rows["start"] <= day) & (rows["end"].isna() | (rows["end"] > day))
    return rows[in_force & rows["status"].isin(list(statuses))]


def first_year(facts, organizations=None) -> int:
    """The year the first of ``organizations`` (default: all) was founded.

    >>> first_year(vientiane.load(), ["EAS", "SCO"])
    2001
    """
    founded = facts.organizations.set_index("id")["founded"]
    if organizations is not None:
        founded = founded[[resolve(facts, "organizations", o) for o in organizations]]
    return int(founded.min().year)


def members(facts, organization: str, on=None, statuses=("member",), alternatives=False) -> list[str]:
    """Sorted ids of the members of ``organization`` on the date ``on`` (default: the data's date).

    ``alternatives=True`` also counts the dates some sources give against the main
    reading: Russia "joined" the EAS in 2010 by the Russian reading, in 2011 by ASEAN's.

    >>> members(vientiane.load(), "eeu", on="2015-06-01")
    ['ARM', 'BLR', 'KAZ', 'RUS']
    >>> "RUS" in members(vientiane.load(), "EAS", on="2011-01-01", alternatives=True)
    True
    """
    org = resolve(facts, "organizations", organization)
    founded = facts.organizations.set_index("id").loc[org, "founded"]
    if as_date(on, facts.as_of) < founded:
        return []
    rows = _holding(facts, on, statuses, alternatives)
    return sorted(set(rows.loc[rows["organization"] == org, "member"]))


def organizations_of(facts, country: str, on=None, statuses=("member",), alternatives=False) -> list[str]:
    """Sorted ids of the organizations ``country`` belonged to on the date ``on``.

    >>> organizations_of(vientiane.load(), "China", on="2016-07-26")
    ['ADMMPLUS', 'APEC', 'ARF', 'CICA', 'EAS', 'SCO']
    """
    member = resolve(facts, "countries", country)
    rows = _holding(facts, on, statuses, alternatives)
    return sorted(set(rows.loc[rows["member"] == member, "organization"]))


def status_on(facts, country: str, organization: str, on=None) -> str | None:
    """The status ``country`` held in ``organization`` on ``on``, or None.

    >>> status_on(vientiane.load(), "RUS", "ASEAN", on="2016-07-26")
    'dialogue_partner'
    """
    member = resolve(facts, "countries", country)
    org = resolve(facts, "organizations", organization)
    statuses = facts.memberships["status"].unique()
    rows = _holding(facts, on, statuses)
    rows = rows[(rows["member"] == member) & (rows["organization"] == org)]
    return rows.sort_values("start")["status"].iloc[-1] if len(rows) else None


def history(facts, country: str, organization: str | None = None) -> pd.DataFrame:
    """Every membership row of ``country`` (optionally in one organization), oldest first.

    >>> history(vientiane.load(), "RUS", "ASEAN")["status"].tolist()[:2]
    ['consultative_partner', 'dialogue_partner']
    """
    member = resolve(facts, "countries", country)
    rows = facts.memberships[facts.memberships["member"] == member]
    if organization is not None:
        rows = rows[rows["organization"] == resolve(facts, "organizations", organization)]
    columns = ["organization", "status", "start", "start_precision", "end", "end_precision", "reading", "certainty"]
    columns = [c for c in columns if c in rows] + ["conflict", "source", "note"]
    return rows.sort_values(["start", "organization"])[columns].reset_index(drop=True)


def membership_matrix(facts, on=None, organizations=None, countries=None) -> pd.DataFrame:
    """Country x organization table of True/False membership on ``on``.

    Rows are every country that was a member of any of the organizations that day
    (or ``countries``), sorted by name; columns follow ``organizations``.

    >>> m = membership_matrix(vientiane.load(), on="2016-07-26")
    >>> bool(m.loc["RUS", "EAS"]), bool(m.loc["RUS", "ASEAN"])
    (True, False)
    """
    orgs = [resolve(facts, "organizations", o) for o in (organizations or facts.organizations["id"])]
    rows = _holding(facts, on, ("member",))
    rows = rows[rows["organization"].isin(orgs)]
    ids = sorted(set(rows["member"])) if countries is None else [resolve(facts, "countries", c) for c in countries]
    index = pd.Index(ids, name="country")
    # One column at a time (a cell at a time was most of an explorer's redraw).
    matrix = pd.DataFrame(
        {j: index.isin(rows.loc[rows["organization"] == org, "member"]) for j, org in enumerate(orgs)}, index=index
    )
    matrix.columns = orgs
    names = facts.countries.set_index("id")["short_name"]
    order = sorted(matrix.index, key=lambda c: names.get(c, c))
    return matrix.loc[order]


def overlap(facts, organizations, on=None) -> dict[str, list[str]]:
    """Members of all (``intersection``), of any (``union``) of ``organizations`` on ``on``.

    >>> overlap(vientiane.load(), ["ASEAN", "APEC"], on="2016-07-26")["intersection"]
    ['BRN', 'IDN', 'MYS', 'PHL', 'SGP', 'THA', 'VNM']
    """
    sets = [set(members(facts, org, on=on)) for org in organizations]
    if not sets:
        return {"intersection": [], "union": []}
    return {"intersection": sorted(set.intersection(*sets)), "union": sorted(set.union(*sets))}


def membership_counts(facts, organizations=None, years=None) -> pd.DataFrame:
    """Number of members of each organization on 31 December of each year.

    >>> counts = membership_counts(vientiane.load(), ["ASEAN"], years=[1967, 1999])
    >>> counts.loc[1999, "ASEAN"]
    np.int64(10)
    """
    orgs = [resolve(facts, "organizations", o) for o in (organizations or facts.organizations["id"])]
    years = list(years or range(first_year(facts), facts.as_of.year + 1))
    data = {org: [len(members(facts, org, on=f"{year}-12-31")) for year in years] for org in orgs}
    return pd.DataFrame(data, index=pd.Index(years, name="year"))


# What "all the Asia-Pacific states" can mean: lesson 04 asks students to compare these.
REGIONS = {
    "security forums": "every state in ASEAN, the EAS or the ARF",
    "+ APEC": "every state or economy in ASEAN, the EAS, the ARF or APEC",
    "states only": "every state in ASEAN, the EAS, the ARF or APEC (APEC's economies not counted)",
    "+ Central Asia": (
        "every state or economy in ASEAN, the EAS, the ARF or APEC, and the SCO's founding members"
        " outside them that are also in the CICA"
    ),
    "geographic": (
        "every UN member state in the UN M49 sub-regions Eastern Asia, South-eastern Asia and Oceania's"
        " four (today's list, whatever the date): no body's membership decides it"
    ),
}
SECURITY_FORUMS = ("ASEAN", "EAS", "ARF")
# The UN M49 sub-regions of the "geographic" definition (the countries' column m49_subregion).
GEOGRAPHIC_SUBREGIONS = (
    "Eastern Asia",
    "South-eastern Asia",
    "Australia and New Zealand",
    "Melanesia",
    "Micronesia",
    "Polynesia",
)


def region(facts, definition: str = "+ APEC", on=None) -> list[str]:
    """Sorted ids of "all the Asia-Pacific states" on ``on`` by one of the ``REGIONS`` definitions.

    The EU (kind "union") is never counted; "states only" also drops the economies (kind
    "economy": Hong Kong, China and Chinese Taipei); "+ Central Asia" adds the SCO's founding
    members that are outside the four forums and in the CICA on ``on``, derived from the data.
    "geographic" reads no membership: the states whose UN M49 sub-region (the countries' column
    ``m49_subregion``) is one of ``GEOGRAPHIC_SUBREGIONS``, so a body can fall short of it or
    reach beyond it.

    >>> f = vientiane.load()
    >>> len(region(f, "security forums", on="2016-07-26")) < len(region(f, "+ APEC", on="2016-07-26"))
    True
    >>> sorted(set(region(f, "+ Central Asia", on="2016-07-26")) - set(region(f, "+ APEC", on="2016-07-26")))
    ['KAZ', 'KGZ', 'TJK', 'UZB']
    """
    if definition not in REGIONS:
        raise UnknownId(f"no region {definition!r}: the definitions are {', '.join(REGIONS)}")
    countries = facts.countries
    if definition == "geographic":
        inside = (countries["kind"] == "state") & countries["m49_subregion"].isin(GEOGRAPHIC_SUBREGIONS)
        return sorted(countries.loc[inside, "id"])
    forums = SECURITY_FORUMS if definition == "security forums" else ASIA_PACIFIC_FORUMS
    everyone = set(overlap(facts, forums, on=on)["union"])
    if definition == "+ Central Asia":
        founders = set(members(facts, "SCO", on=facts.organizations.set_index("id").loc["SCO", "founded"]))
        everyone |= (founders - everyone) & set(members(facts, "CICA", on=on))
    kinds = countries.set_index("id")["kind"]
    dropped = {"union", "economy"} if definition == "states only" else {"union"}
    return sorted(c for c in everyone if kinds.get(c) not in dropped)


def left_out(
    facts, organization: str, on=None, universe=ASIA_PACIFIC_FORUMS, definition: str | None = None
) -> list[str]:
    """States and economies of the region on ``on`` that ``organization`` leaves out.

    By default the region is everyone in ASEAN, the EAS, the ARF or APEC that day (the
    ``universe`` forums; EUU, the EU, is not a state and is left out of it). ``definition``,
    one of ``REGIONS``, picks another definition (see ``region``): the answer depends on it.

    >>> "USA" in left_out(vientiane.load(), "SCO", on="2016-07-26")
    True
    >>> left_out(vientiane.load(), "ARF", on="2016-07-26", definition="security forums")
    []
    """
    org = resolve(facts, "organizations", organization)
    if definition is not None:
        everyone = set(region(facts, definition, on=on))
    else:
        everyone = set(overlap(facts, universe, on=on)["union"])
        kinds = facts.countries.set_index("id")["kind"]
        everyone = {c for c in everyone if kinds.get(c) != "union"}
    return sorted(everyone - set(members(facts, org, on=on)))


def timeline(facts, start=None, end=None, organizations=None) -> pd.DataFrame:
    """Events between ``start`` and ``end`` (inclusive), optionally of some organizations.

    >>> timeline(vientiane.load(), "2016-07-25", "2016-07-26")["start"].min()
    Timestamp('2016-07-25 00:00:00')
    """
    events = facts.events
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["start"] >= as_date(start, facts.as_of)
    if end is not None:
        keep &= events["start"] <= as_date(end, facts.as_of)
    if organizations:
        orgs = [resolve(facts, "organizations", o) for o in organizations]
        keep &= events["organization"].isin(orgs)
    return events[keep].sort_values(["start", "id"]).reset_index(drop=True)


def quotes_of(facts, speaker: str | None = None, topic: str | None = None, text: str = "") -> pd.DataFrame:
    """The article's quotations, filtered by speaker, topic and words (any case).

    ``speaker`` may be a person's id, name or alias; "" or None means anyone, and
    "unattributed" the quotes whose speaker the article does not name.

    >>> quotes_of(vientiane.load(), speaker="Lavrov")["paragraph"].tolist()
    [4, 15, 15]
    """
    quotes = facts.quotes
    keep = pd.Series(True, index=quotes.index)
    if speaker == "unattributed":
        keep &= quotes["speaker"].isna()
    elif speaker:
        keep &= quotes["speaker"] == resolve(facts, "people", speaker)
    if topic:
        topic_id = resolve(facts, "topics", topic)
        keep &= quotes["topics"].fillna("").str.split("|").apply(lambda ids: topic_id in ids)
    if text.strip():
        keep &= quotes["words"].str.casefold().str.contains(text.strip().casefold(), regex=False)
    return quotes[keep].sort_values(["paragraph", "id"]).reset_index(drop=True)


def speaker_name(facts, person_id) -> str:
    """The display name of a person id, or "(not named)" for an empty speaker.

    >>> facts = vientiane.load()
    >>> speaker_name(facts, "lavrov"), speaker_name(facts, "")
    ('Sergei Lavrov', '(not named)')
    """
    if pd.isna(person_id) or not person_id:
        return "(not named)"
    return facts.people.set_index("id").loc[person_id, "name"]


# ------------------------------------------------------------------ precise about dates


def _period_end(day: pd.Timestamp, precision) -> pd.Timestamp:
    """The first day after the month or year that a date of ``precision`` stands for."""
    return day + (pd.DateOffset(years=1) if precision == "year" else pd.DateOffset(months=1))


def holding(facts, organization: str, on=None, statuses=("member",), alternatives=False) -> pd.DataFrame:
    """The rows behind ``members``: who held which status in ``organization`` on ``on``, and
    ``uncertain`` where the answer for that day is not sure: the row is marked uncertain, or
    ``on`` falls in the month or year of a start that the sources give only to the month or
    year (such a start is counted from the first day of its month or year).

    >>> rows = holding(vientiane.load(), "ASEAN", on="2016-07-26")
    >>> len(rows), rows.columns[-1]
    (10, 'uncertain')
    """
    org = resolve(facts, "organizations", organization)
    day = as_date(on, facts.as_of)
    columns = ["member", "status", "start", "start_precision", "end", "end_precision", "certainty", "source"]
    if day < facts.organizations.set_index("id").loc[org, "founded"]:
        return pd.DataFrame(columns=[*columns, "uncertain"])
    rows = _holding(facts, day, statuses, alternatives)
    rows = rows[rows["organization"] == org].copy()
    for column in ("start_precision", "end_precision"):
        if column not in rows:
            rows[column] = "day"
    in_start = [
        p != "day" and day < _period_end(s, p) for s, p in zip(rows["start"], rows["start_precision"], strict=True)
    ]
    rows["uncertain"] = (rows["certainty"] == "uncertain").to_numpy() | pd.Series(in_start, dtype=bool).to_numpy()
    return rows.sort_values(["member", "start"])[[*columns, "uncertain"]].reset_index(drop=True)


# ------------------------------------------------------------- levels of a partnership


def partnership_level(facts, partner: str, organization: str = "ASEAN", on=None) -> str | None:
    """The level of ``partner``'s dialogue relationship with ``organization`` on ``on``
    ("dialogue", "strategic", "comprehensive_strategic"), or None. The level is not the status:
    a strategic partner of ASEAN is still one of its dialogue partners.

    >>> partnership_level(vientiane.load(), "RUS", on="2026-11-28")
    'strategic'
    """
    if "partnership_levels" not in facts.tables:
        return None
    member = resolve(facts, "countries", partner)
    org = resolve(facts, "organizations", organization)
    day = as_date(on, facts.as_of)
    rows = facts.partnership_levels
    rows = rows[(rows["partner"] == member) & (rows["organization"] == org) & (rows["start"] <= day)]
    rows = rows[rows["end"].isna() | (rows["end"] > day)]
    if "reading" in rows:
        rows = rows[rows["reading"] == "main"]
    return rows.sort_values("start")["level"].iloc[-1] if len(rows) else None


# ------------------------------------------------------------- offices held, as periods


def offices_on(facts, on=None, person: str | None = None, country: str | None = None) -> pd.DataFrame:
    """The rows of ``offices`` in force on ``on`` (default: the data's date): who held which office.

    A person can hold an office more than once (one row per period). A period's ``end`` is the
    day the office passed to the next holder, so on that day the next holder is in office.
    ``person`` (id, name or alias) and ``country`` (id or name) narrow the answer.

    >>> offices_on(vientiane.load(), on="2023-03-01", country="CHN")["person"].tolist()
    ['qin_gang']
    """
    rows = facts.tables.get("offices")
    if rows is None:
        return pd.DataFrame(columns=["id", "person", "office", "country", "start", "end", "certainty", "source"])
    day = as_date(on, facts.as_of)
    keep = (rows["start"] <= day) & (rows["end"].isna() | (rows["end"] > day))
    if person is not None:
        keep &= rows["person"] == resolve(facts, "people", person)
    if country is not None:
        keep &= rows["country"] == resolve(facts, "countries", country)
    return rows[keep].sort_values(["country", "office", "start"]).reset_index(drop=True)


def office_of(facts, person: str, on=None) -> str | None:
    """The office ``person`` held on ``on`` (default: the data's date), or None if none is recorded.

    >>> facts = vientiane.load()
    >>> office_of(facts, "Wang Yi", on="2016-07-26")
    "Minister of Foreign Affairs of the People's Republic of China"
    >>> office_of(facts, "Wang Yi", on="2023-03-01") is None   # Qin Gang's months
    True
    """
    rows = offices_on(facts, on=on, person=person)
    return rows["office"].iloc[0] if len(rows) else None


# Whose state a state-affiliated source speaks for, read from its publisher and owner columns.
STATE_AFFILIATIONS = ("government", "state_owned_media", "government_funded_media")
_GOVERNMENTS = {
    "China": r"\bPRC\b|People's Republic of China|Xinhua|CGTN|China Media Group|People's Daily",
    "Russia": r"Russia(?!n[- ](?:edition|language))|Rossi|\bTASS\b|\bRIA\b|Sputnik|\bRT\b|Kremlin",
    "United States": r"U\.S\.|United States|Global Media",
    "Viet Nam": r"Viet ?nam",
    "Laos": r"\bLao\b|Laos",
    "Kazakhstan": r"Kazakh",
    "Japan": r"Japan",
    "India": r"India",
    "Australia": r"Australia",
    "Canada": r"Canada|CBC",
    "New Zealand": r"New Zealand|\bNZ\b",
}


def source_profiles(facts) -> pd.DataFrame:
    """Every source with the questions asked of each: who publishes, owns (and funds) it, and,
    for a government or state-owned or state-funded source, which state (``state``: the name of
    the country whose ISO code the source's ``state`` column gives, or the code itself for a
    state the countries table lacks; "" when the source is not state-affiliated). A package
    without that column falls back to reading the owner, publisher and original publisher
    ("another state" when they name none of the states listed here).

    >>> p = source_profiles(vientiane.load()).set_index("id")
    >>> p.loc["rd2016", "state"], p.loc["rferl_2005", "state"]
    ('Russia', 'United States')
    """
    sources = facts.sources
    columns = ["id", "publisher", "affiliation", "owner", "original_publisher"]
    if "state" in sources:
        names = facts.countries.set_index("id")["short_name"]
        codes = sources["state"].fillna("")
        state = [names.get(code, code) if code else "" for code in codes]
        return sources[columns].assign(state=state).reset_index(drop=True)
    state = pd.Series("", index=sources.index)
    # the owner decides first, then the publisher, then the original publisher
    for column in ("original_publisher", "publisher", "owner"):
        text = sources[column].fillna("")
        for name, pattern in reversed(list(_GOVERNMENTS.items())):  # the first listed wins
            state[text.str.contains(pattern, case=False, regex=True)] = name
    affiliated = sources["affiliation"].isin(STATE_AFFILIATIONS)
    state[affiliated & (state == "")] = "another state"
    state[~affiliated] = ""
    return sources[columns].assign(state=state.to_numpy()).reset_index(drop=True)


def corroboration(facts) -> pd.DataFrame:
    """For each claim, the sources it was checked in (a row of another table counts as that
    row's source), with their affiliations and states: corroboration from outlets of one owner
    or one government counts for less than independent corroboration.

    >>> c = corroboration(vientiane.load()).set_index("claim")
    >>> c.loc["c01_push_umbrella", "sources"][:1]
    ['mid_presser_20160726']
    """
    profiles = source_profiles(facts).set_index("id")
    rows = []
    for claim in facts.claims.itertuples():
        ids = []
        for ref in ("" if pd.isna(claim.checked_in) else claim.checked_in).split("|"):
            if ":" not in ref:
                continue
            table, key = ref.split(":", 1)
            if table == "sources":
                found = key
            else:
                frame = getattr(facts, table, None)
                found = None
                if frame is not None and "source" in frame and key in set(frame["id"]):
                    found = frame.set_index("id").loc[key, "source"]
            if isinstance(found, str) and found not in ids:
                ids.append(found)
        others = [i for i in ids if i != facts.article_id]
        states = sorted({profiles.loc[i, "state"] for i in others if i in profiles.index})
        rows.append(
            {
                "claim": claim.id,
                "verdict": claim.verdict,
                "sources": others,
                "affiliations": sorted({profiles.loc[i, "affiliation"] for i in others if i in profiles.index}),
                "states": states,
            }
        )
    return pd.DataFrame(rows)
