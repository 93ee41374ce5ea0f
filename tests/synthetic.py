"""Small data packages written by the tests: the library's rules are tested on these, so a
correction of the real data never breaks a library test.

``write_package(folder, memberships=[...], ...)`` writes ``data/`` (the real schema, with the
rows given and empty tables otherwise) and a three-paragraph article in ``seeds/``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.repo import ROOT

ARTICLE = "Lavrov said “an umbrella” was needed.\n\nA heading\n\nMosiaakov agreed."
SOURCES = [
    {
        "id": "art",
        "title": "An article",
        "publisher": "A paper",
        "kind": "article",
        "affiliation": "independent_media",
        "speaks_for": "2016-07",
        "location": "seeds/article.txt",
        "consulted": "2026-11-28",
    },
    {
        "id": "off",
        "title": "An official page",
        "publisher": "A ministry",
        "kind": "official",
        "affiliation": "government",
        "speaks_for": "2016",
        "location": "https://example.org/page",
        "consulted": "2026-11-28",
    },
]
ORGANIZATIONS = [
    {
        "id": "ALPHA",
        "name": "Alpha Forum",
        "short_name": "Alpha",
        "aliases": "the Alphas|AF",
        "founded": "2000-01-01",
        "founded_precision": "year",
        "kind": "forum",
        "source": "off",
    },
    {
        "id": "BETA",
        "name": "Beta Union",
        "short_name": "Beta",
        "founded": "2010-06-15",
        "founded_precision": "day",
        "kind": "union",
        "source": "off",
    },
]
COUNTRIES = [
    {"id": c, "name": n, "short_name": n, "kind": k, "source": "off"}
    for c, n, k in (
        ("AAA", "Aland", "state"),
        ("BBB", "Borduria", "state"),
        ("CCC", "Carpania", "state"),
        ("TWN", "Chinese Taipei", "economy"),
    )
]


def membership(
    org,
    member,
    start,
    end="",
    status="member",
    reading="main",
    precision="day",
    end_precision=None,
    certainty="certain",
    **extra,
):
    row = {
        "id": f"{org}-{member}-{status}-{start}-{reading}".lower(),
        "organization": org,
        "member": member,
        "status": status,
        "start": start,
        "start_precision": precision,
        "end": end,
        "end_precision": (end_precision or "day") if end else "",
        "reading": reading,
        "certainty": certainty,
        "source": "off",
        "note": "uncertain on purpose" if certainty == "uncertain" else "",
    }
    row.update(extra)
    return row


def write_package(folder: Path, **tables) -> Path:
    """A package in ``folder``/data with the real schema; returns its datapackage.json."""
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    defaults = {"sources": SOURCES, "organizations": ORGANIZATIONS, "countries": COUNTRIES}
    data = Path(folder) / "data"
    data.mkdir(parents=True)
    (Path(folder) / "seeds").mkdir()
    (Path(folder) / "seeds" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        rows = tables.get(resource["name"], defaults.get(resource["name"], []))
        with open(data / resource["path"], "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n", extrasaction="raise")
            writer.writeheader()
            writer.writerows(
                [{f: row.get(f, "") for f in fields} | {k: v for k, v in row.items() if k in fields} for row in rows]
            )
    path = data / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
