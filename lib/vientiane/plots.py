"""The collection's figures. Each function returns ``(figure, data)``: the data is what
was drawn, so a test (or a curious student) can check what the figure shows.

One palette for everything: the Okabe-Ito colours, safe for colour-blind readers, and
each organization keeps its colour, hatch and marker in every figure, so the figures
still read in greyscale print. The collection's style (``STYLE``) is applied around each
of these figures only: a student's own ``plt`` chart keeps matplotlib's defaults.
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib
import matplotlib.dates
import matplotlib.patches
import matplotlib.path
import matplotlib.ticker
import matplotlib.transforms
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import queries

# Okabe & Ito (2008), "Color Universal Design". Hatches and markers carry the same
# distinction for greyscale print.
ORGANIZATION_STYLE = {
    "ASEAN": {"color": "#0072B2", "hatch": "", "marker": "o", "linestyle": "-"},
    "EAS": {"color": "#E69F00", "hatch": "//", "marker": "s", "linestyle": "--"},
    "ARF": {"color": "#009E73", "hatch": "\\\\", "marker": "^", "linestyle": ":"},
    "APEC": {"color": "#CC79A7", "hatch": "..", "marker": "D", "linestyle": "-."},
    "SCO": {"color": "#D55E00", "hatch": "xx", "marker": "v", "linestyle": (0, (5, 1, 1, 1, 1, 1))},
    "EAEU": {"color": "#56B4E9", "hatch": "--", "marker": "P", "linestyle": (0, (1, 3))},
    "ADMMPLUS": {"color": "#000000", "hatch": "++", "marker": "*", "linestyle": (0, (3, 1))},
    "CICA": {"color": "#F0E442", "hatch": "oo", "marker": "h", "linestyle": (0, (1, 1))},
}
NEUTRAL = "#4D4D4D"
OTHER = {"color": "#999999", "hatch": "", "marker": "X", "linestyle": "-"}
VERDICT_COLORS = {
    "confirmed": "#009E73",
    "loose": "#F0E442",
    "disputed": "#E69F00",
    "unconfirmed": "#D55E00",
    "not_checkable": "#BBBBBB",
}

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    # Opaque white, whatever the backend (Jupyter's inline one makes figures transparent).
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": "vientiane-2016",
    "hatch.linewidth": 0.8,
}


def styled(function):
    """Draw ``function``'s figure in the collection's style, leaving matplotlib's settings alone.

    >>> @styled
    ... def empty_figure():
    ...     return _figure(2, 1)
    >>> float(empty_figure().get_figwidth())
    2.0
    """

    @functools.wraps(function)
    def drawn(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return drawn


def style(organization: str) -> dict:
    """Colour, hatch and marker of an organization (the same in every figure).

    >>> style("ASEAN")["color"]
    '#0072B2'
    """
    return ORGANIZATION_STYLE.get(organization, OTHER)


def _figure(width: float, height: float, layout: str | None = "constrained") -> Figure:
    # Figure() rather than pyplot: nothing is shown or kept alive behind the notebook's back.
    return Figure(figsize=(width, height), layout=layout)


def _legend(ax, organizations, **kwargs):
    handles = [
        Patch(facecolor=style(o)["color"], hatch=style(o)["hatch"], edgecolor="white", label=o) for o in organizations
    ]
    return ax.legend(handles=handles, frameon=False, **kwargs)


@styled
def article_map_figure(facts):
    """Length of each paragraph of the article in words, with its quotations marked.

    >>> fig, table = article_map_figure(vientiane.load())
    >>> len(table), int(table["quotations"].sum())
    (17, 8)
    """
    paragraphs = facts.paragraphs()
    counts = facts.quotes.groupby("paragraph").size()
    table = paragraphs.assign(
        words=paragraphs["text"].str.split().str.len(),
        quotations=[int(counts.get(n, 0)) for n in paragraphs["paragraph"]],
    )[["paragraph", "words", "quotations"]]
    fig = _figure(8, 3.6)
    ax = fig.add_subplot()
    quoted = table["quotations"] > 0
    ax.bar(
        table["paragraph"],
        table["words"],
        color=["#0072B2" if q else "#BBBBBB" for q in quoted],
        hatch=["//" if q else "" for q in quoted],
        edgecolor="black",
        linewidth=0.5,
    )
    for row in table[quoted].itertuples():
        ax.text(row.paragraph, row.words + 2, f"{row.quotations} q.", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(table["paragraph"])
    ax.set_xlabel("paragraph (¶)")
    ax.set_ylabel("words")
    ax.set_title("The article paragraph by paragraph (blue, hatched: contains quotations)", loc="left")
    with_quotes = table[quoted]
    fig.alt_text = (
        f"Bar chart of the article's {len(table)} paragraphs by length, from {table['words'].min()} to "
        f"{table['words'].max()} words. The {len(with_quotes)} paragraphs with quotations are blue and hatched, "
        f"each labelled with its number of quotations: {_listing(f'¶{r.paragraph} ({r.quotations})' for r in with_quotes.itertuples())}."
    )
    return fig, table


@styled
def timeline_figure(facts, start=None, end=None, organizations=None):
    """Events on a time line. Up to 30 events get a row each, labelled with date and name;
    more are drawn in one lane per organization (and one for the others), and the events of
    summits are labelled with their year. A hollow marker is an event whose date the sources
    give only to the month or year, or that is uncertain.

    >>> fig, data = timeline_figure(vientiane.load(), "2016-01-01", "2016-12-31")
    >>> "vte2016_eas_fmm" in set(data["id"])
    True
    """
    data = queries.timeline(facts, start, end, organizations)  # None: no bound
    lane_of = data["organization"].fillna("other")
    lanes = [o for o in ORGANIZATION_STYLE if o in set(lane_of)] + (["other"] if "other" in set(lane_of) else [])
    few = len(data) <= 30
    # Few events: one row each, the date as the tick label and the whole name written beside the
    # marker, wrapped (a name cut to fit a margin loses its meaning: "India an…").
    names = [textwrap.wrap(name, 52) or [""] for name in data["name"]] if few else []
    heights = [0.14 + 0.15 * len(lines) for lines in names]
    ys = [sum(heights[:i]) + heights[i] / 2 for i in range(len(names))] if few else [lanes.index(o) for o in lane_of]
    fig = _figure(9, sum(heights) + 1.6 if few else 0.6 * len(lanes) + 1.6, layout=None)
    ax = fig.add_subplot()
    precision = data["start_precision"] if "start_precision" in data else pd.Series("day", index=data.index)
    vague = ((precision != "day") | (data["certainty"] == "uncertain")).tolist()
    for org in lanes:
        look = style(org)
        for hollow in (False, True):
            rows = [i for i, o in enumerate(lane_of) if o == org and vague[i] == hollow]
            if not rows:
                continue
            ax.scatter(
                data["start"].iloc[rows],
                [ys[i] for i in rows],
                s=60,
                color="white" if hollow else look["color"],
                marker=look["marker"],
                edgecolor=look["color"] if hollow else "black",
                linewidth=1.2 if hollow else 0.6,
                zorder=3,
                label=None if hollow else org,
            )
    if not few:  # label foundings and summits (3 years apart at least), so the long arc explains itself
        last = {}
        above = matplotlib.transforms.offset_copy(ax.transData, fig, y=7, units="points")
        for i, row in enumerate(data.itertuples()):
            if row.kind in ("summit", "founding") and row.start.year - last.get(ys[i], -99) >= 3:
                last[ys[i]] = row.start.year
                # A text 7 points above the marker: the same pixels as an annotation, drawn quicker.
                ax.text(row.start, ys[i], f"{row.start:%Y}", transform=above, ha="center", fontsize=7, color=NEUTRAL)
        ax.set_xlabel(
            "labels: the year of a founding or summit · hollow marker: date known only to the month or year, or uncertain"
        )
    if few:
        labels = [_when(row) for row in data.itertuples()]
        ax.set_yticks(ys, labels, fontsize=8)
        ax.set_ylim(max(sum(heights), 0.4), 0)
        if ax.get_legend_handles_labels()[0]:  # an empty selection has nothing to explain
            ax.legend(
                frameon=False, loc="upper left", bbox_to_anchor=(1, 1), title="hollow: date\nto the month\nor uncertain"
            )
    else:
        ax.set_yticks(range(len(lanes)), lanes)
        ax.set_ylim(-0.7, len(lanes) - 0.3)
    if len(data):
        first, last = data["start"].min(), data["start"].max()
        if last - first < pd.Timedelta(days=62):  # a few days: give the date axis a month each side
            ax.set_xlim(first - pd.Timedelta(days=31), last + pd.Timedelta(days=31))
        _date_axis(ax)
        if few:  # each name on the side of its marker with more room
            low, high = ax.get_xlim()
            # Texts 8 points beside the marker: the same pixels as annotations, drawn in half the time.
            beside = {
                side: matplotlib.transforms.offset_copy(ax.transData, fig, x=side * 8, units="points")
                for side in (1, -1)
            }
            for y, when, lines in zip(ys, data["start"], names, strict=True):
                x = matplotlib.dates.date2num(when)
                right = high - x >= x - low
                ax.text(
                    when,
                    y,
                    "\n".join(lines),
                    transform=beside[1 if right else -1],
                    ha="left" if right else "right",
                    va="center",
                    fontsize=8,
                    linespacing=1.1,
                )
    else:  # nothing to place on a date axis
        ax.text(0.5, 0.5, "no event in this period", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    span = f"{data['start'].min():%b %Y} – {data['start'].max():%b %Y}" if len(data) else "none"
    ax.set_title(f"Events, {span}", loc="left")
    # Margins from the labels' lengths: a constrained layout would draw this figure twice.
    if few:
        longest = max((len(label) for label in labels), default=10)
        _fixed_margins(fig, left=0.35 + 0.064 * longest, top=0.45, bottom=0.55, right=1.6)
    else:
        _fixed_margins(fig, left=1.0, top=0.45, bottom=0.75, right=0.3)
    if few:
        told = _listing(f"{_when(row)}: {row.name}" for row in data.itertuples())
    else:
        told = "events per lane: " + _listing(f"{lane} {int((lane_of == lane).sum())}" for lane in lanes)
    fig.alt_text = f"Time line of {len(data)} events, {span.replace('–', 'to')}. {told}."
    return fig, data


@styled
def membership_matrix_figure(facts, on="2016-07-26", organizations=None):
    """Country x organization grid: a filled cell is a membership on the date ``on``.

    >>> fig, matrix = membership_matrix_figure(vientiane.load(), on="2016-07-26")
    >>> int(matrix["EAS"].sum())
    18
    """
    matrix = queries.membership_matrix(facts, on=on, organizations=organizations)
    names = facts.countries.set_index("id")["short_name"]
    fig = _figure(1.0 * len(matrix.columns) + 2.6, 0.22 * len(matrix) + 1.4, layout=None)
    ax = fig.add_subplot()
    for x, org in enumerate(matrix.columns):
        look = style(org)
        cells = [
            matplotlib.path.Path.unit_rectangle().transformed(
                matplotlib.transforms.Affine2D().scale(0.84, 0.8).translate(x - 0.42, y - 0.4)
            )
            for y, filled in enumerate(matrix.iloc[:, x].to_numpy())
            if filled
        ]
        # One compound path per body: filled, hatched and edged in one go (a patch, or a
        # collection's path, per cell hatches each cell on its own: the explorer's slowest part).
        if cells:
            ax.add_patch(
                matplotlib.patches.PathPatch(
                    matplotlib.path.Path.make_compound_path(*cells),
                    facecolor=look["color"],
                    hatch=look["hatch"],
                    edgecolor="white",
                    linewidth=0.5,
                )
            )
    ax.set_xlim(-0.5, len(matrix.columns) - 0.5)
    ax.set_ylim(max(len(matrix), 1) - 0.5, -0.5)  # an empty matrix (before any founding) still draws
    ax.set_xticks(range(len(matrix.columns)), matrix.columns)
    ax.xaxis.tick_top()
    _row_labels(fig, ax, [names.get(c, c) for c in matrix.index], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    day = queries.format_date(queries.as_date(on, facts.as_of))
    ax.set_title(f"Who belonged to what on {day}", loc="left")
    longest = max((len(names.get(c, c)) for c in matrix.index), default=4)
    _fixed_margins(fig, left=0.25 + 0.068 * longest, top=0.85, bottom=0.1)
    per_row = matrix.sum(axis=1)
    most = [names.get(c, c) for c in per_row.index[per_row == per_row.max()]] if len(matrix) else []
    fig.alt_text = (
        f"Grid of {_kinds(facts, matrix.index)} (rows) by {len(matrix.columns)} bodies (columns) on {day}; "
        f"a filled cell is a membership. Members per body: {_listing(f'{o} {int(matrix[o].sum())}' for o in matrix.columns)}. "
        + (f"In the most bodies ({int(per_row.max())}): {_listing(most)}." if most else "")
    )
    return fig, matrix


@styled
def overlap_figure(facts, on="2016-07-26", organizations=None):
    """UpSet-style chart: how many states belong to exactly each combination of bodies.

    >>> fig, combos = overlap_figure(vientiane.load(), on="2016-07-26")
    >>> int(combos["count"].sum()) == len(queries.membership_matrix(vientiane.load(), on="2016-07-26"))
    True
    """
    matrix = queries.membership_matrix(facts, on=on, organizations=organizations)
    orgs = list(matrix.columns)
    keys = matrix.apply(lambda row: tuple(o for o in orgs if row[o]), axis=1)
    combos = (
        pd.DataFrame({"combination": keys, "country": matrix.index})
        .groupby("combination", sort=False)["country"]
        .agg(lambda c: sorted(c))
        .reset_index()
    )
    combos["count"] = combos["country"].str.len()
    combos = combos.sort_values(["count", "combination"], ascending=[False, True]).reset_index(drop=True)
    fig = _figure(max(6, 0.55 * len(combos) + 2), 5.2)
    grid = fig.add_gridspec(2, 1, height_ratios=[3, 2])
    bars, dots = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    xs = range(len(combos))
    bars.bar(xs, combos["count"], color=NEUTRAL, width=0.6)
    for x, count in zip(xs, combos["count"], strict=True):
        bars.text(x, count + 0.2, str(count), ha="center", va="bottom", fontsize=8)
    bars.set_xticks([])
    bars.set_ylim(0, combos["count"].max() * 1.18 if len(combos) else 1)
    bars.set_ylabel("states and economies")
    bars.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    bars.set_title(f"Overlapping memberships on {queries.format_date(queries.as_date(on, facts.as_of))}", loc="left")
    for y, org in enumerate(orgs):
        look = style(org)
        inside = [x for x, combo in zip(xs, combos["combination"], strict=True) if org in combo]
        dots.scatter(list(xs), [y] * len(combos), color="#E5E5E5", s=40)
        dots.scatter(
            inside,
            [y] * len(inside),
            color=look["color"],
            marker=look["marker"],
            s=55,
            edgecolor="black",
            linewidth=0.5,
        )
    dots.set_yticks(range(len(orgs)), orgs)
    dots.set_xticks([])
    dots.set_ylim(len(orgs) - 0.5, -0.5)
    for spine in dots.spines.values():
        spine.set_visible(False)
    names = facts.countries.set_index("id")["short_name"]
    largest = [
        f"{' + '.join(r.combination) or 'none'}: {r.count} ({_listing(names.get(c, c) for c in r.country)})"
        for r in combos.head(3).itertuples()
    ]
    fig.alt_text = (
        f"UpSet chart of the {_kinds(facts, matrix.index)} in these bodies on "
        f"{queries.format_date(queries.as_date(on, facts.as_of))}, grouped by the exact combination of bodies "
        f"they belong to: {len(combos)} combinations. The largest: {'; '.join(largest)}."
    )
    return fig, combos


@styled
def membership_counts_figure(facts, organizations=None, years=None):
    """Number of members of each body at the end of each year (step lines).

    >>> fig, counts = membership_counts_figure(vientiane.load(), ["ASEAN"], years=range(1990, 2000))
    >>> counts.loc[1999, "ASEAN"]
    np.int64(10)
    """
    counts = queries.membership_counts(facts, organizations, years)
    fig = _figure(8, 4.2)
    ax = fig.add_subplot()
    founded = facts.organizations.set_index("id")["founded"].dt.year
    for org in counts.columns:
        look = style(org)
        line = counts[org].where(counts.index >= founded[org])  # no line before the founding
        ax.step(
            counts.index, line, where="post", color=look["color"], linestyle=look["linestyle"], linewidth=2, label=org
        )
        ax.plot(counts.index[-1:], line.iloc[-1:], marker=look["marker"], color=look["color"], markeredgecolor="black")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("year (count on 31 December)")
    ax.set_ylabel("members / participants")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("How the bodies grew", loc="left")
    growth = []
    for org in counts.columns:
        years = counts.index[(counts.index >= founded[org]) & (counts[org] > 0)]
        if len(years):
            first, last = years[0], years[-1]
            growth.append(f"{org} from {counts.loc[first, org]} ({first}) to {counts.loc[last, org]} ({last})")
    fig.alt_text = (
        f"Step chart of the members of each body on 31 December of each year, {counts.index[0]} to "
        f"{counts.index[-1]}: {_listing(growth)}."
    )
    return fig, counts


@styled
def country_history_figure(facts, country: str):
    """A country's memberships and partner statuses over time, one bar per status.

    >>> fig, rows = country_history_figure(vientiane.load(), "RUS")
    >>> "ASEAN" in set(rows["organization"])
    True
    """
    rows = queries.history(facts, country)
    today = facts.as_of  # an open end is drawn to the data's date
    names = facts.countries.set_index("id")["name"]
    member = queries.resolve(facts, "countries", country)
    fig = _figure(9, 0.45 * max(len(rows), 1) + 1.5)
    ax = fig.add_subplot()
    labels = []
    for y, row in enumerate(rows.itertuples()):
        end = row.end if not _missing(row.end) else today
        look = style(row.organization)
        alternative = row.reading == "alternative"  # drawn outlined: a date another source gives
        ax.barh(
            y,
            (end - row.start).days,
            left=row.start,
            height=0.6,
            color="white" if alternative else look["color"],
            hatch=look["hatch"],
            edgecolor=look["color"] if alternative else "white",
            linestyle="--" if alternative else "-",
            alpha=0.55 if row.certainty == "uncertain" and not alternative else 1.0,
        )
        label = f"{row.organization}: {row.status.replace('_', ' ')}"
        label += " (?)" if row.certainty == "uncertain" else ""
        label += " [alternative]" if alternative else ""
        labels.append(label)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_title(f"{names.get(member, member)}: memberships over time", loc="left")
    ax.set_xlabel("(?) = date uncertain (faded); [alternative] = a date another source gives (outlined)")
    bars = []
    for row in rows.itertuples():
        until = f" to {_when(row, 'end')}" if not _missing(row.end) else ", still"
        extra = " (uncertain)" if row.certainty == "uncertain" else ""
        extra += " (alternative reading)" if row.reading == "alternative" else ""
        bars.append(f"{row.organization} {row.status.replace('_', ' ')} from {_when(row)}{until}{extra}")
    short = facts.countries.set_index("id")["short_name"].get(member, member)
    fig.alt_text = f"Bars of {short}'s {len(rows)} memberships and statuses over time: {_listing(bars)}."
    return fig, rows


@styled
def coverage_figure(
    facts, dates=("2016-07-26", None), organizations=queries.ASIA_PACIFIC_FORUMS + queries.EURASIAN_BODIES
):
    """For each body, how many of the Asia-Pacific states (see ``queries.left_out``) it leaves out
    on each of ``dates`` (None: the data's date, ``facts.as_of``).

    >>> fig, table = coverage_figure(vientiane.load(), dates=("2016-07-26",))
    >>> table.loc["SCO", "2016-07-26"] > table.loc["ARF", "2016-07-26"]
    np.True_
    """
    dates = [f"{queries.as_date(d, facts.as_of):%Y-%m-%d}" for d in dates]
    table = pd.DataFrame(
        {d: [len(queries.left_out(facts, o, on=d)) for o in organizations] for d in dates},
        index=pd.Index(list(organizations), name="organization"),
    )
    fig = _figure(8, 4)
    ax = fig.add_subplot()
    width = 0.8 / len(dates)
    for i, day in enumerate(dates):
        xs = [x + (i - (len(dates) - 1) / 2) * width for x in range(len(organizations))]
        colors = [style(o)["color"] for o in organizations]
        ax.bar(
            xs,
            table[day],
            width=width * 0.95,
            color=colors,
            edgecolor="black",
            linewidth=0.5,
            hatch=["", "///"][i % 2],
            label=queries.format_date(queries.as_date(day)),
        )
        for x, value in zip(xs, table[day], strict=True):
            ax.text(x, value + 0.3, str(value), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(organizations)), organizations)
    ax.set_ylabel("Asia-Pacific states left out")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.legend(frameon=False, title="as of (plain / hatched)", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("How many Asia-Pacific states each body leaves out", loc="left")
    days = [queries.format_date(queries.as_date(d)) for d in dates]
    fig.alt_text = (
        f"Bars of how many of the Asia-Pacific states each body leaves out, on {' and on '.join(days)}: "
        + _listing(f"{o} {' and '.join(str(table.loc[o, d]) for d in dates)}" for o in organizations)
        + "."
    )
    return fig, table


@styled
def region_coverage_figure(
    facts, on="2016-07-26", organizations=queries.ASIA_PACIFIC_FORUMS + ("ADMMPLUS", "CICA") + queries.EURASIAN_BODIES
):
    """For each body, how many members of "the region" it leaves out on ``on``, under each of the
    definitions in ``queries.REGIONS``: the answer to "does any body unite the region?" depends on it.

    >>> fig, table = region_coverage_figure(vientiane.load())
    >>> int(table.loc["ARF", "security forums"]) < int(table.loc["ARF", "+ APEC"])
    True
    """
    day = queries.as_date(on, facts.as_of)
    definitions = list(queries.REGIONS)
    table = pd.DataFrame(
        {d: [len(queries.left_out(facts, o, on=day, definition=d)) for o in organizations] for d in definitions},
        index=pd.Index(list(organizations), name="organization"),
    )
    # Wide enough that each bar's count fits above it (two digits at 7 pt), whatever the count.
    fig = _figure(0.21 * len(organizations) * len(definitions) + 2.4, 4.2)
    ax = fig.add_subplot()
    width = 0.8 / len(definitions)
    # One grey and one hatch per definition (it reads in print and without colour).
    greys = ["#1A1A1A", "#4D4D4D", "#808080", "#B3B3B3", "#E6E6E6"]
    hatches = ["", "///", "...", "xx", "\\\\"]
    for i, definition in enumerate(definitions):
        xs = [x + (i - (len(definitions) - 1) / 2) * width for x in range(len(organizations))]
        ax.bar(
            xs,
            table[definition],
            width=width * 0.95,
            color=greys[i % len(greys)],
            edgecolor="black",
            linewidth=0.5,
            hatch=hatches[i % len(hatches)],
            label=definition,
        )
        for x, value in zip(xs, table[definition], strict=True):
            ax.text(x, value + 0.3, str(value), ha="center", va="bottom", fontsize=7)
    names = facts.organizations.set_index("id")["short_name"]
    ax.set_xticks(range(len(organizations)), [names.get(o, o) for o in organizations])
    ax.set_ylabel("members of the region left out")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.legend(frameon=False, title="the region is", loc="upper left", bbox_to_anchor=(1.01, 1))
    when = queries.format_date(day)
    ax.set_title(f'Whom each body leaves out depends on what "the region" is ({when})', loc="left")
    fig.alt_text = (
        f"Grouped bars: how many members of the region each body leaves out on {when}, under the "
        f"definitions {_listing(definitions)}: "
        + _listing(f"{o} {' / '.join(str(table.loc[o, d]) for d in definitions)}" for o in organizations)
        + "."
    )
    return fig, table


@styled
def ten_years_figure(facts, since="2016-07-27", organizations=("ASEAN", "SCO", "EAEU")):
    """The events of ``organizations`` from ``since`` to the data's date on a time line (lesson 06).

    >>> fig, data = ten_years_figure(vientiane.load())
    >>> "tls_asean_2025" in set(data["id"])
    True
    """
    fig, data = timeline_figure(facts, since, facts.as_of, list(organizations))
    fig.axes[0].set_title("Ten years on: after Vientiane, July 2016", loc="left")
    fig.alt_text = f"Ten years on, {_listing(organizations)}. " + fig.alt_text
    return fig, data


def _stacked_bars(ax, table, colors: dict, hatches: dict, horizontal: bool = False) -> None:
    """One stacked bar per row of ``table``, one segment per column (hatched for greyscale)."""
    base = [0] * len(table)
    draw = ax.barh if horizontal else ax.bar
    for column in table.columns:
        offset = {"left": base} if horizontal else {"bottom": base}
        draw(
            table.index,
            table[column],
            color=colors[column],
            hatch=hatches[column],
            edgecolor="black",
            linewidth=0.5,
            label=str(column).replace("_", " "),
            **offset,
        )
        base = [a + b for a, b in zip(base, table[column], strict=True)]


def _counts(frame, index: str, column: str, order) -> pd.DataFrame:
    """How many rows of ``frame`` have each (index, column) pair; columns in ``order``."""
    table = frame.pivot_table(index=index, columns=column, values="id", aggfunc="count", fill_value=0)
    return table[[c for c in order if c in table.columns]]


@styled
def quotes_figure(facts):
    """The article's quotations by speaker and kind (stacked bars).

    >>> fig, table = quotes_figure(vientiane.load())
    >>> int(table.to_numpy().sum()) == len(vientiane.load().quotes)
    True
    """
    attribution = {"explicit": "named", "implied": "implied", "none": "no speaker"}
    who = [
        f"{queries.speaker_name(facts, s)} ({attribution.get(a, a)})" if not pd.isna(s) else "(not named)"
        for s, a in zip(facts.quotes["speaker"], facts.quotes["attribution"], strict=True)
    ]
    table = _counts(facts.quotes.assign(who=who), "who", "kind", ("full", "fragment", "scare", "title"))
    fig = _figure(7, 3.4)
    ax = fig.add_subplot()
    _stacked_bars(
        ax,
        table,
        colors={"full": "#0072B2", "fragment": "#56B4E9", "scare": "#E69F00", "title": "#BBBBBB"},
        hatches={"full": "", "fragment": "//", "scare": "..", "title": "xx"},
        horizontal=True,
    )
    ax.set_xlabel("quotations in the article")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.legend(frameon=False, title="kind", loc="upper left", bbox_to_anchor=(1.01, 1))  # beside, not on, the bars
    ax.set_title("Quotations by speaker (named or implied) and kind", loc="left")
    fig.alt_text = (
        f"Stacked bars of the article's {int(table.to_numpy().sum())} quotations by speaker and kind: "
        + _listing(
            f"{who} {int(row.sum())} ({_listing(f'{int(n)} {kind}' for kind, n in row.items() if n)})"
            for who, row in table.iterrows()
        )
        + "."
    )
    return fig, table


@styled
def claims_figure(facts):
    """The article's claims, paragraph by paragraph, coloured by what other sources say.

    >>> fig, table = claims_figure(vientiane.load())
    >>> int(table.to_numpy().sum()) == len(vientiane.load().claims)
    True
    """
    table = _counts(facts.claims, "paragraph", "verdict", VERDICT_COLORS)
    table.index = table.index.astype(int)
    fig = _figure(8, 3.8)
    ax = fig.add_subplot()
    hatches = {"confirmed": "", "loose": "..", "disputed": "//", "unconfirmed": "xx", "not_checkable": "--"}
    _stacked_bars(ax, table, colors=VERDICT_COLORS, hatches=hatches)
    ax.set_xticks(range(1, len(facts.paragraphs()) + 1))
    ax.set_xlabel("paragraph of the article (¶)")
    ax.set_ylabel("claims")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.legend(frameon=False, title="verdict", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("The article's claims by paragraph, and the verdict of other sources", loc="left")
    totals = table.sum()
    fig.alt_text = (
        f"Stacked bars of the article's {int(totals.sum())} claims by paragraph and verdict: "
        + _listing(f"{int(n)} {verdict.replace('_', ' ')}" for verdict, n in totals.items())
        + "."
    )
    return fig, table


@styled
def figures_comparison_figure(facts, quantity_contains="trade"):
    """The same quantity as different sources give it (horizontal bars, one per source).

    >>> fig, rows = figures_comparison_figure(vientiane.load())
    >>> vientiane.load().article_id in set(rows["source"])
    True
    """
    rows = facts.figures[facts.figures["quantity"].str.contains(quantity_contains, case=False)]
    rows = rows.sort_values(["period", "value"]).reset_index(drop=True)
    fig = _figure(8, 0.5 * len(rows) + 1.6)
    ax = fig.add_subplot()
    publishers = facts.sources.set_index("id")["publisher"]
    labels = [f"{r.period}: {_short(publishers.get(r.source, r.source), 40)}" for r in rows.itertuples()]
    article = facts.article_id
    colors = ["#D55E00" if s == article else "#0072B2" for s in rows["source"]]
    ax.barh(
        range(len(rows)),
        rows["value"].astype(float),
        color=colors,
        edgecolor="black",
        linewidth=0.5,
        hatch=["//" if s == article else "" for s in rows["source"]],
    )
    for y, value in enumerate(rows["value"].astype(float)):
        ax.text(value, y, f" {value:g}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    units = ", ".join(sorted(set(rows["unit"])))
    ax.set_xlabel(units)
    ax.set_title("One number, several sources (hatched: the article)", loc="left")
    fig.alt_text = (
        f"Horizontal bars of {len(rows)} figures in {units} as different sources give them: "
        + _listing(f"{r.period}, {float(r.value):g} ({publishers.get(r.source, r.source)})" for r in rows.itertuples())
        + "."
    )
    return fig, rows


def _date_axis(ax) -> None:
    # Concise dates: "2016 / Jun / Jul" rather than overlapping "2016-06-01" labels.
    locator = matplotlib.dates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))


def _row_labels(fig, ax, labels, fontsize: float) -> None:
    """Row names left of the axes at y = 0, 1, 2 …, as plain texts where tick labels would be:
    60 ticks (each two lines and two texts, placed one by one) cost the membership explorer
    a third of every redraw."""
    ax.set_yticks([])
    at = matplotlib.transforms.offset_copy(ax.get_yaxis_transform(), fig, x=-3.5, units="points")
    for y, label in enumerate(labels):
        ax.text(0, y, label, transform=at, ha="right", va="center_baseline", fontsize=fontsize)


def _fixed_margins(fig, left: float, top: float, bottom: float, right: float = 0.4) -> None:
    """Margins in inches instead of the constrained layout, for figures with many labels: the
    layout would cost a second full drawing, too slow for an explorer's redraw."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)


def _listing(items) -> str:
    """Items joined for a sentence of alt text."""
    items = list(items)
    return ("; " if any("," in item for item in items) else ", ").join(items)


def _kinds(facts, ids) -> str:
    """ "38 members: 35 states, 2 economies and 1 union" for a list of country ids."""
    if not len(ids):
        return "no members"
    kinds = facts.countries.set_index("id")["kind"].reindex(list(ids)).value_counts()
    plural = {"state": "states", "economy": "economies", "union": "unions"}
    parts = [f"{n} {plural.get(k, k) if n > 1 else k}" for k, n in kinds.items()]
    return f"{len(ids)} members ({', '.join(parts)})"


def _when(row, column: str = "start") -> str:
    """A row's date as the sources give it (month or year only where that is all they give)."""
    return queries.format_date(getattr(row, column), getattr(row, f"{column}_precision", "day"))


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing(value) -> bool:
    return value is None or pd.isna(value)
