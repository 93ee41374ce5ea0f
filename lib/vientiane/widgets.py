"""The explorers the lessons show. Each is two parts:

* a plain *view* function, state in and result out (``timeline_view(facts, 2010, 2016, ["EAS"])``),
  which tests and students can call without a browser;
* an *explorer* that only wires ipywidgets controls to that function and shows its result.

Every explorer carries the CSS classes ``vientiane-explorer`` and ``vientiane-<name>``; its
result area has ``vientiane-output``. The result is written into the Output widget's state
(not printed), so it is saved with the notebook and shown by viewers without a kernel.
Text from the data is HTML-escaped wherever it is shown as HTML.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from . import figures, plots, queries

DEFAULT_DAY = "2016-07-26"


def _number_box(description: str, value: int, low: int, high: int) -> widgets.BoundedIntText:
    """A whole number from ``low`` to ``high``: typed, or stepped with the arrow keys.

    A number box rather than a slider: its description is the control's accessible name (a
    screen reader says "Year, 2016"), which ipywidgets' slider handles do not have.
    """
    return widgets.BoundedIntText(
        value=value,
        min=low,
        max=high,
        description=description,
        continuous_update=False,  # typing "2016" is not four redraws of 2, 20, 201 …
        layout=widgets.Layout(width="170px"),
    )


def _year_box(facts, value: int, organizations=None) -> widgets.BoundedIntText:
    """A year from the first founding to the data's year (``facts.as_of``)."""
    return _number_box("Year", value, queries.first_year(facts, organizations), facts.as_of.year)


# ----------------------------------------------------------------------- output blocks


def _png_output(fig, alt: str | None = None) -> dict:
    """A figure as an output block: an ``<img>`` with the figure's description as its alt text
    (every renderer keeps the alt of HTML; a bare PNG output loses it), and the same text."""
    alt = alt or fig.alt_text
    markup = figures.img_html(figures.png_bytes(fig, figures.SCREEN_DPI), alt)
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": markup, "text/plain": alt}}


def _html_output(markup: str, text: str) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": markup, "text/plain": text}}


def table_html(frame: pd.DataFrame, columns=None) -> str:
    """A DataFrame as an HTML table with every cell escaped (a quote may contain ``<script>``).

    >>> table_html(pd.DataFrame({"words": ["<b>x</b>"]}))
    '<table class="vientiane-table"><thead><tr><th>words</th></tr></thead><tbody><tr><td>&lt;b&gt;x&lt;/b&gt;</td></tr></tbody></table>'
    """
    frame = frame if columns is None else frame[columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="vientiane-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


class Explorer(widgets.VBox):
    """Controls above, result below; ``refresh()`` re-renders from the controls' values.

    ``render`` takes no arguments, reads the controls, and returns ``(result, outputs)``:
    the plain result (kept in ``.result`` for tests) and the output blocks to show.
    """

    def __init__(self, name: str, title: str, controls: list, render):
        self.name = name
        self.controls = controls
        self._render = render
        self.result = None
        self.output = widgets.Output()
        self.output.add_class("vientiane-output")
        heading = widgets.HTML(f"<b>{html.escape(title)}</b>")
        super().__init__([heading, widgets.HBox(controls), self.output])
        self.add_class("vientiane-explorer")
        self.add_class(f"vientiane-{name}")
        for control in controls:
            control.observe(self.refresh, names="value")
        self.refresh()

    def refresh(self, change=None) -> None:
        """Render again from the controls' values (each control calls it when its value changes).

        Example::

            explorer = vientiane.widgets.membership_explorer(vientiane.load())
            explorer.controls[0].value = 2010   # redraws; explorer.refresh() does it by hand
        """
        self.result, outputs = self._render()
        self.output.outputs = tuple(outputs)

    def __repr__(self) -> str:  # what nbval compares: short and the same every run
        return f"Explorer({self.name!r})"


# ------------------------------------------------------------- 00: the article itself


def paragraph_view(facts, number: int) -> str:
    """Paragraph ``number`` of the article (HTML, escaped) with the rows that cite it.

    >>> "umbrella" in paragraph_view(vientiane.load(), 15)
    True
    """
    text = facts.paragraphs().loc[number, "text"]
    claims = facts.claims[facts.claims["paragraph"] == number]
    quotes = facts.quotes[facts.quotes["paragraph"] == number]
    parts = [f"<p><b>¶{number}</b></p><blockquote>{html.escape(text)}</blockquote>"]
    if len(quotes):
        parts.append(f"<p>Quotations here: {html.escape(', '.join(quotes['id']))}</p>")
    if len(claims):
        items = "".join(
            f"<li>{html.escape(r.claim)} <i>({html.escape(r.verdict)})</i></li>" for r in claims.itertuples()
        )
        parts.append(f"<p>Claims recorded from it:</p><ul>{items}</ul>")
    else:
        parts.append("<p>No claim is recorded from it (a heading).</p>")
    return "".join(parts)


def article_explorer(facts) -> Explorer:
    """Step through the article paragraph by paragraph (lesson 00).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.article_explorer(facts)   # type a paragraph number: its text and the quotations in it
    """
    number = _number_box("Paragraph", 1, 1, len(facts.paragraphs()))

    def render():
        markup = paragraph_view(facts, number.value)
        return number.value, [_html_output(markup, f"paragraph {number.value}")]

    return Explorer("article", "Read the article paragraph by paragraph", [number], render)


# ------------------------------------------------------------------ 01: the timeline


def timeline_view(facts, first_year: int, last_year: int, organizations=()):
    """Events from ``first_year`` to ``last_year`` (of ``organizations``, or all): figure and table.

    >>> fig, table = timeline_view(vientiane.load(), 2016, 2016, ["EAS"])
    >>> table["start"].dt.year.unique().tolist()
    [2016]
    """
    first_year, last_year = sorted((first_year, last_year))  # "from 2016 to 2010" means the same years
    fig, table = plots.timeline_figure(facts, f"{first_year}-01-01", f"{last_year}-12-31", list(organizations) or None)
    return fig, table


def timeline_explorer(facts) -> Explorer:
    """Filter the time line by period and organization (lesson 01).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.timeline_explorer(facts)   # change the years or the bodies: the time line redraws
    """
    first, last = queries.first_year(facts), facts.as_of.year
    since, until = _number_box("From", 2010, first, last), _number_box("To", 2016, first, last)
    orgs = widgets.SelectMultiple(options=list(facts.organizations["id"]), value=(), description="Bodies", rows=6)

    def render():
        fig, table = timeline_view(facts, since.value, until.value, orgs.value)
        alt = fig.alt_text
        return table, [
            _png_output(fig),
            _html_output(table_html(table, ["start", "name", "organization", "place"]), alt),
        ]

    return Explorer("timeline", "Time line: choose the years and (optionally) the bodies", [since, until, orgs], render)


# ------------------------------------------------------------ 02: membership structures


def membership_view(facts, year: int, day: str = "07-26"):
    """Membership matrix on ``day`` of ``year``: figure and the True/False table.

    >>> fig, matrix = membership_view(vientiane.load(), 2016)
    >>> int(matrix["SCO"].sum())
    6
    """
    return plots.membership_matrix_figure(facts, on=f"{year}-{day}")


def membership_explorer(facts) -> Explorer:
    """A year slider that redraws the country-by-organization matrix (lesson 02).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.membership_explorer(facts)   # type a year: the matrix of that year
    """
    year = _year_box(facts, 2016)

    def render():
        fig, matrix = membership_view(facts, year.value)
        return matrix, [_png_output(fig)]

    return Explorer("membership", "Who belonged to what on 26 July of the chosen year", [year], render)


def country_view(facts, country: str):
    """A country's memberships over time: figure and rows.

    >>> fig, rows = country_view(vientiane.load(), "IND")
    >>> "SCO" in set(rows["organization"])
    True
    """
    return plots.country_history_figure(facts, country)


def country_explorer(facts, country: str = "RUS") -> Explorer:
    """Pick a country to see its memberships and partner statuses over time (lesson 02).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.country_explorer(facts, country="CHN")   # pick another country: its history
    """
    names = facts.countries.sort_values("short_name")
    options = [(row.short_name, row.id) for row in names.itertuples() if (facts.memberships["member"] == row.id).any()]
    picker = widgets.Dropdown(options=options, value=country, description="Country")

    def render():
        fig, rows = country_view(facts, picker.value)
        shown = rows.assign(end=rows["end"].map(_cell).replace("", "still"))
        columns = ["organization", "status", "start", "end", "reading", "certainty"]
        return rows, [_png_output(fig), _html_output(table_html(shown, columns), fig.alt_text)]

    return Explorer("country", "One country's memberships over time", [picker], render)


def overlap_view(facts, organizations, year: int) -> pd.DataFrame:
    """Members of all and of any of ``organizations`` on 26 July ``year``, with names.

    >>> int(overlap_view(vientiane.load(), ["ASEAN", "APEC"], 2016).loc["all", "count"])
    7
    """
    sets = queries.overlap(facts, list(organizations), on=f"{year}-07-26")
    names = facts.countries.set_index("id")["short_name"]
    rows = {
        key: {"count": len(ids), "states": ", ".join(names.get(i, i) for i in ids)}
        for key, ids in (("all", sets["intersection"]), ("any", sets["union"]))
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def overlap_explorer(facts) -> Explorer:
    """Pick organizations to see their intersection and union (lesson 02).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.overlap_explorer(facts)   # pick bodies: who is in all of them, who in any
    """
    orgs = widgets.SelectMultiple(
        # It opens on a pair no exercise asks about: the saved view in the HTML edition shows it.
        options=list(facts.organizations["id"]),
        value=("ASEAN", "APEC"),
        description="Bodies",
        rows=6,
    )
    year = _year_box(facts, 2016)

    def render():
        table = overlap_view(facts, orgs.value, year.value)
        text = f"{' and '.join(orgs.value) or 'no body'} on 26 July {year.value}"
        markup = f"<p>{html.escape(text)}</p>" + table_html(table.reset_index(names="members of"))
        return table, [_html_output(markup, text)]

    return Explorer("overlap", "Members of all / any of the chosen bodies", [orgs, year], render)


# -------------------------------------------------------------------------- 03: quotes


def highlight(paragraph: str, words: str) -> str:
    """The paragraph as HTML, escaped, with ``words`` marked.

    >>> highlight("He said <b> “hi”.", "hi")
    'He said &lt;b&gt; “<mark>hi</mark>”.'
    """
    before, found, after = paragraph.partition(words)
    if not found:
        return html.escape(paragraph)
    return f"{html.escape(before)}<mark>{html.escape(found)}</mark>{html.escape(after)}"


def quotes_view(facts, speaker: str = "", topic: str = "", text: str = ""):
    """The quotations that match, each shown in its paragraph (HTML) and as a table.

    >>> markup, table = quotes_view(vientiane.load(), speaker="lavrov")
    >>> len(table), markup.count("<mark>")
    (3, 3)
    """
    table = queries.quotes_of(facts, speaker=speaker or None, topic=topic or None, text=text)
    paragraphs = facts.paragraphs()["text"]
    blocks = []
    for row in table.itertuples():
        who = queries.speaker_name(facts, row.speaker)
        blocks.append(
            f'<div class="vientiane-quote"><p><b>¶{row.paragraph}</b> · {html.escape(who)} · {html.escape(row.kind)}</p>'
            f"<blockquote>{highlight(paragraphs.loc[row.paragraph], row.words)}</blockquote></div>"
        )
    markup = "".join(blocks) or "<p>No quotation matches.</p>"
    return markup, table


def quote_explorer(facts) -> Explorer:
    """Filter the article's quotations by speaker, topic and words (lesson 03).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.quote_explorer(facts)   # type "umbrella": the quotations with that word
    """
    speakers = [("anyone", ""), ("(not named)", "unattributed")]
    speakers += [(queries.speaker_name(facts, s), s) for s in sorted(facts.quotes["speaker"].dropna().unique())]
    speaker = widgets.Dropdown(options=speakers, value="", description="Speaker")
    topic = widgets.Dropdown(
        options=[("any", "")] + [(r.name, r.id) for r in facts.topics.itertuples()], value="", description="Topic"
    )
    search = widgets.Text(value="", placeholder="words…", description="Search", continuous_update=False)

    def render():
        markup, table = quotes_view(facts, speaker.value, topic.value, search.value)
        return table, [_html_output(markup, f"{len(table)} quotation(s)")]

    return Explorer("quotes", "Quote explorer", [speaker, topic, search], render)


# ------------------------------------------------------------ 04: security architecture


def left_out_view(facts, organization: str, year: int, definition: str = "+ APEC") -> pd.DataFrame:
    """The states (and economies) of the region that ``organization`` leaves out on 26 July ``year``,
    with names; ``definition`` is one of ``queries.REGIONS``.

    >>> left_out_view(vientiane.load(), "EAS", 2016)["id"].tolist()[:3]
    ['BGD', 'CAN', 'CHL']
    >>> left_out_view(vientiane.load(), "ARF", 2016, "security forums")["id"].tolist()
    []
    """
    ids = queries.left_out(facts, organization, on=f"{year}-07-26", definition=definition)
    countries = facts.countries.set_index("id")
    return pd.DataFrame(
        {
            "id": ids,
            "name": [countries.loc[i, "short_name"] for i in ids],
            "kind": [countries.loc[i, "kind"] for i in ids],
        }
    )


def _region_words(facts, definition: str, on) -> str:
    """'the 29 states' or 'the 31 states and economies' of the region by ``definition``."""
    ids = queries.region(facts, definition, on=on)
    kinds = facts.countries.set_index("id")["kind"]
    economies = sum(kinds.get(i) == "economy" for i in ids)
    return f"the {len(ids)} states" + (" and economies" if economies else "")


def coverage_explorer(facts, organization: str = "ARF") -> Explorer:
    """Pick what "the region" means, a body and a year: whom does the body leave out? (lesson 04)

    It opens on ``organization``: the ARF, the forum closest to an "umbrella".

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.coverage_explorer(facts)   # pick a region and a body: whom it leaves out
    """
    definition = widgets.Dropdown(options=list(queries.REGIONS), value="+ APEC", description="Region")
    body = widgets.Dropdown(options=list(facts.organizations["id"]), value=organization, description="Body")
    year = _year_box(facts, 2016, queries.ASIA_PACIFIC_FORUMS)

    def render():
        table = left_out_view(facts, body.value, year.value, definition.value)
        on = f"{year.value}-07-26"
        text = (
            f"{body.value} on 26 July {year.value} leaves out {len(table)} of "
            f"{_region_words(facts, definition.value, on)} of the region "
            f'("{definition.value}": {queries.REGIONS[definition.value]})'
        )
        return table, [_html_output(f"<p>{html.escape(text)}</p>" + table_html(table), text)]

    return Explorer("coverage", "Who is left out?", [definition, body, year], render)


# ---------------------------------------------------------------- 05: checking claims


def claim_view(facts, claim_id: str) -> str:
    """A claim of the article with its excerpt, verdict and what other sources say (HTML).

    >>> "disputed" in claim_view(vientiane.load(), "c15_eas_six_years")
    True
    """
    claim = facts.claims.set_index("id").loc[claim_id]
    parts = [
        f"<p><b>¶{claim['paragraph']}</b> · verdict: <b>{html.escape(claim['verdict'])}</b> · {html.escape(claim['kind'])}</p>",
        f"<blockquote>{html.escape(claim['excerpt'])}</blockquote>",
        f"<p>{html.escape(claim['claim'])}</p>",
    ]
    if not pd.isna(claim["note"]):
        parts.append(f"<p><i>{html.escape(claim['note'])}</i></p>")
    if not pd.isna(claim["conflict"]):
        conflict = facts.conflicts.set_index("id").loc[claim["conflict"]]
        parts.append(f"<p><b>Sources disagree:</b> {html.escape(conflict['positions'])}</p>")
        parts.append(f"<p><b>Lesson:</b> {html.escape(conflict['teaching_point'])}</p>")
    if not pd.isna(claim["checked_in"]):
        refs = ", ".join(claim["checked_in"].split("|"))
        parts.append(f"<p>Checked against: <code>{html.escape(refs)}</code></p>")
    return "".join(parts)


CHOOSE = "(choose)"


def verdict_view(facts, claim_id: str, guess: str = CHOOSE) -> str:
    """Predict, then reveal: before a verdict is chosen, only the claim and its excerpt;
    after, the student's verdict beside the collection's and what the sources say (HTML).

    >>> "verdict: <b>" in verdict_view(vientiane.load(), "c15_eas_six_years")
    False
    >>> "Your verdict: <b>confirmed</b>" in verdict_view(vientiane.load(), "c15_eas_six_years", "confirmed")
    True
    """
    claim = facts.claims.set_index("id").loc[claim_id]
    if guess == CHOOSE:
        return (
            f"<p><b>¶{claim['paragraph']}</b> · {html.escape(claim['kind'])}</p>"
            f"<blockquote>{html.escape(claim['excerpt'])}</blockquote><p>{html.escape(claim['claim'])}</p>"
            "<p>Choose your verdict first: the collection's verdict and the sources appear after.</p>"
        )
    same = "the same as" if guess == claim["verdict"] else "not the same as"
    head = f"<p>Your verdict: <b>{html.escape(guess)}</b>, {same} the collection's.</p>"
    return head + claim_view(facts, claim_id)


def claim_explorer(facts) -> Explorer:
    """Pick a claim, give your verdict, then see the collection's and the sources (lesson 05).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.claim_explorer(facts)   # pick a claim and a verdict: the collection's verdict and sources
    """
    options = [(f"¶{r.paragraph}: {r.claim[:70]}", r.id) for r in facts.claims.itertuples()]
    picker = widgets.Dropdown(
        options=options, value="c15_eas_six_years", description="Claim", layout=widgets.Layout(width="95%")
    )
    order = ["confirmed", "loose", "disputed", "unconfirmed", "not_checkable"]
    known = set(facts.claims["verdict"])
    verdicts = [CHOOSE] + [v for v in order if v in known] + sorted(known - set(order))
    guess = widgets.Dropdown(options=verdicts, value=CHOOSE, description="Your verdict")

    def render():
        markup = verdict_view(facts, picker.value, guess.value)
        return (picker.value, guess.value), [_html_output(markup, picker.value)]

    return Explorer("claims", "Check a claim", [picker, guess], render)


# ------------------------------------------------------------------ 06: ten years on


def since_view(facts, organization: str, since: str = DEFAULT_DAY) -> pd.DataFrame:
    """Membership rows (statuses) of ``organization`` that began after ``since`` (default 26 July
    2016), up to the data's date, oldest first, with their source.

    >>> "TLS" in since_view(vientiane.load(), "ASEAN")["member"].tolist()
    True
    """
    org = queries.resolve(facts, "organizations", organization)
    day = queries.as_date(since)
    rows = facts.memberships[facts.memberships["organization"] == org]
    changed = (rows["start"] > day) & (rows["start"] <= facts.as_of)
    rows = rows[changed].sort_values(["start", "member"])
    names = facts.countries.set_index("id")["short_name"]
    return pd.DataFrame(
        {
            "member": rows["member"].tolist(),
            "name": [names.get(m, m) for m in rows["member"]],
            "status": rows["status"].tolist(),
            "start": [queries.format_date(d, p) for d, p in zip(rows["start"], rows["start_precision"], strict=True)],
            "end": [
                "" if pd.isna(d) else queries.format_date(d, p)
                for d, p in zip(rows["end"], rows["end_precision"], strict=True)
            ],
            "certainty": rows["certainty"].tolist(),
            "source": rows["source"].tolist(),
        }
    )


def since_explorer(facts, organization: str = "CICA") -> Explorer:
    """Pick a body: what changed in its membership between July 2016 and the data's date? (lesson 06)

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.since_explorer(facts, organization="SCO")   # pick a body: what changed since July 2016
    """
    body = widgets.Dropdown(options=list(facts.organizations["id"]), value=organization, description="Body")

    def render():
        table = since_view(facts, body.value)
        text = f"{body.value}: {len(table)} statuses begin between 27 July 2016 and {queries.format_date(facts.as_of)}"
        return table, [_html_output(f"<p>{html.escape(text)}</p>" + table_html(table), text)]

    return Explorer("since", "What changed since 2016?", [body], render)


# ------------------------------------------------------------------ 02 and 04: maps


def map_view(facts, organization: str, status_group: str = "members and partners", year: int = 2016):
    """A map of who held which status in ``organization`` on 26 July ``year``: figure and the
    table of what it colours (see ``maps.map_table``). ``status_group`` is one of
    ``maps.STATUS_GROUPS``: "members", "members and observers", "members and partners".

    >>> fig, table = map_view(vientiane.load(), "ASEAN", "members", 2016)
    >>> len(table), set(table["status"])
    (10, {'member'})
    """
    from . import maps  # the geometry is read on the first map only

    statuses = maps.STATUS_GROUPS[status_group]
    # 8 inches wide rather than 10: as wide as a notebook shows it, and quicker to redraw
    return maps.membership_map_figure(facts, organization, on=f"{year}-07-26", statuses=statuses, width=8.0)


def map_explorer(facts, organization: str = "ASEAN") -> Explorer:
    """A body, the statuses to show and a year: the map redraws, with one sentence under it
    saying what it shows (lessons 02 and 04).

    Example (as the lesson does it; not run as a doctest, since it draws)::

        facts = vientiane.load()
        vientiane.widgets.map_explorer(facts, organization="SCO")   # pick a body, statuses and a year: the map redraws
    """
    from . import maps

    names = facts.organizations.set_index("id")["short_name"]
    body = widgets.Dropdown(
        options=[(names[o], o) for o in facts.organizations["id"]], value=organization, description="Body"
    )
    group = widgets.Dropdown(options=list(maps.STATUS_GROUPS), value="members and partners", description="Show")
    year = _year_box(facts, 2016)

    def render():
        fig, table = map_view(facts, body.value, group.value, year.value)
        text = maps.summary(table, facts, body.value, on=f"{year.value}-07-26")
        return table, [_png_output(fig), _html_output(f"<p>{html.escape(text)}</p>", text)]

    return Explorer("map", "Who belonged to what on 26 July of the chosen year: the map", [body, group, year], render)
