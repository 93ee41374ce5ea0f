"""Load the data package into pandas, and refuse it whole if anything is wrong.

The checks run in three layers, each collecting every fault before it stops:

1. the files themselves: present, UTF-8, well-formed CSV, the columns the schema names;
2. the Frictionless schema (types, required values, enums, primary and foreign keys),
   done by the ``frictionless`` library;
3. our own rules: a start comes before its end, every excerpt is found verbatim in the
   local copy of its source, lists of ids point at rows that exist.

Layer 2 is slow (about a second), so a package that passed it once is remembered by the
SHA-256 of all its bytes (see ``_cache_dir``); any change to any file runs it again.

The package also says the date it is valid for (``as_of`` in ``datapackage.json``): "today"
in every query, slider and count is that date, never the computer's clock.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from . import paths, queries
from .dates import ISO_DATE, is_iso_date

# The tables every package must have; a package may describe more (partnership_levels, …).
TABLES = (
    "sources",
    "countries",
    "organizations",
    "memberships",
    "events",
    "people",
    "encounters",
    "quotes",
    "topics",
    "figures",
    "conflicts",
    "claims",
)

# Columns holding several ids separated by "|", and the table the ids belong to.
ID_LISTS = {("quotes", "topics"): "topics"}
# Pairs of columns where the first may not come after the second.
DATE_RANGES = (("start", "end"), ("role_start", "role_end"))
# How precise a date is: a date known to the month is stored as its 1st day, with "month".
PRECISIONS = ("day", "month", "year")
# Columns whose values must be unique within their table, case-folded (ids, names, aliases).
NAME_COLUMNS = ("id", "name", "short_name", "aliases")
# The longest value a cell may hold (characters): longer is most likely a quotation mark that does not close.
MAX_FIELD = 100_000

_MEMO: dict[str, Facts] = {}


@dataclass(frozen=True)
class Fault:
    """One thing wrong with the package: where (file, row, column) and what."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class FactsError(ValueError):
    """The data package has faults; ``.faults`` lists every one found.

    Rows are numbered as a spreadsheet shows them: the header is row 1, the first
    record row 2.

    >>> try:
    ...     load("no/such/datapackage.json")
    ... except FactsError as err:
    ...     print(err.faults[0].message)
    file not found
    """

    def __init__(self, faults: list[Fault]):
        self.faults = list(faults)
        lines = [f"{len(self.faults)} fault(s) in the data package:"]
        lines += [f"  - {fault}" for fault in self.faults]
        super().__init__("\n".join(lines))


def fold_space(text: str) -> str:
    """Fold every run of white space to one space, the only liberty excerpts may take.

    >>> fold_space("Lavrov  noted\\n that")
    'Lavrov noted that'
    """
    return re.sub(r"\s+", " ", text).strip()


def split_paragraphs(text: str) -> list[str]:
    """The article's paragraphs: blocks of text separated by blank lines (¶1 is the first).

    >>> split_paragraphs("One.\\n\\nTwo.")
    ['One.', 'Two.']
    """
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


@dataclass(eq=False, repr=False)  # tables are DataFrames: equal means the same object, and a repr stays short
class Facts:
    """The facts of the collection: one pandas DataFrame per table, plus the queries.

    >>> facts = load()
    >>> facts                                 # doctest: +ELLIPSIS
    <Facts ...datapackage.json as of 2026-11-28: ... tables, 1 local source text>
    >>> facts.members("EAS", on="2016-07-26")[:3]
    ['AUS', 'BRN', 'CHN']
    >>> facts.quotes.columns[:3].tolist()
    ['id', 'speaker', 'attribution']
    """

    path: Path
    tables: dict[str, pd.DataFrame]
    texts: dict[str, str] = field(default_factory=dict)  # source id -> local copy
    as_of: pd.Timestamp | None = None  # the date the package is valid for: "today" in queries

    def __repr__(self) -> str:
        as_of = "an unknown date" if self.as_of is None else f"{self.as_of:%Y-%m-%d}"
        texts = f"{len(self.texts)} local source text{'' if len(self.texts) == 1 else 's'}"
        return f"<Facts {_display(self.path)} as of {as_of}: {len(self.tables)} tables, {texts}>"

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def copy(self) -> Facts:
        """A copy whose tables can be changed without touching the original.

        >>> facts = load()
        >>> mine = facts.copy()
        >>> mine.tables["quotes"] = mine.quotes.head(1)
        >>> len(mine.quotes) < len(facts.quotes)
        True
        """
        return Facts(self.path, {k: v.copy() for k, v in self.tables.items()}, dict(self.texts), self.as_of)

    # The queries live in queries.py; these methods are the short way to call them.
    def members(self, organization, on=None, statuses=("member",), alternatives=False) -> list[str]:
        """Sorted ids of the members of ``organization`` on the date ``on``.

        ``organization`` is an id or alias in any case ("eeu" finds the EAEU); ``on``
        is a string, ``date`` or ``datetime`` (default: the data's date, ``facts.as_of``). Before the founding
        the list is empty. ``alternatives=True`` also counts the rows that record a
        date some source gives against the main reading (see ``conflicts``).

        >>> len(load().members("EAS", on="2016-07-26"))
        18
        """
        return queries.members(self, organization, on=on, statuses=statuses, alternatives=alternatives)

    def organizations_of(self, country, on=None, statuses=("member",), alternatives=False) -> list[str]:
        """Sorted ids of the organizations ``country`` belonged to on the date ``on``.

        >>> load().organizations_of("chn", on="2016-07-26")
        ['ADMMPLUS', 'APEC', 'ARF', 'CICA', 'EAS', 'SCO']
        """
        return queries.organizations_of(self, country, on=on, statuses=statuses, alternatives=alternatives)

    def excerpts(self) -> pd.DataFrame:
        """Every excerpt with its table, row id, source and whether it was found verbatim.

        >>> load().excerpts()["verified"].all()
        np.True_
        """
        rows = []
        for table, frame in self.tables.items():
            if "excerpt" not in frame:
                continue
            for row in frame.dropna(subset=["excerpt"]).itertuples():
                text = self.texts.get(row.source)
                found = text is not None and fold_space(row.excerpt) in fold_space(text)
                rows.append((table, row.id, row.source, row.excerpt, found))
        return pd.DataFrame(rows, columns=["table", "id", "source", "excerpt", "verified"])

    @property
    def article_id(self) -> str:
        """The id of the article under study in ``sources`` (its ``kind`` is "article").

        >>> load().article_id
        'rd2016'
        """
        return self.sources.loc[self.sources["kind"] == "article", "id"].iloc[0]

    def article(self) -> str:
        """The text of the article under study, exactly as kept in seeds/.

        >>> "umbrella" in load().article()
        True
        """
        return self.texts[self.article_id]

    def paragraphs(self) -> pd.DataFrame:
        """The article's paragraphs, numbered as the data cites them (¶1 first).

        >>> load().paragraphs().loc[10, "text"]
        'Towards a new security architecture'
        """
        paras = split_paragraphs(self.article())
        frame = pd.DataFrame({"paragraph": range(1, len(paras) + 1), "text": paras})
        return frame.set_index("paragraph", drop=False)


def load(path: str | os.PathLike | None = None) -> Facts:
    """Load and validate a data package; raise ``FactsError`` listing every fault.

    Without ``path``, loads the package bundled with the collection (``data/``).
    Nothing is half-loaded: either every table passes every check, or nothing is returned.

    >>> facts = load()                       # the bundled package
    >>> sorted(facts.tables)[:3]
    ['claims', 'conflicts', 'countries']
    >>> f"{facts.as_of:%d %B %Y}"            # the date the data is valid for
    '28 November 2026'
    """
    package_path = Path(path) if path is not None else paths.data_package()
    raw, faults = _read_files(package_path)
    if faults:
        raise FactsError(faults)
    descriptor, texts_by_resource, local_sources = raw
    digest = _digest(package_path, texts_by_resource, local_sources)
    memo_key = f"{package_path.resolve()}\0{digest}"  # a byte-identical copy elsewhere is another package
    if memo_key in _MEMO:
        return _MEMO[memo_key].copy()
    if not _stamp(digest).exists():
        faults = _frictionless_faults(package_path) if _has_frictionless() else _build_stamp_faults(package_path, raw)
        if faults:
            raise FactsError(faults)
    tables = _frames(descriptor, texts_by_resource)
    facts = Facts(package_path, tables, {}, pd.Timestamp(descriptor["as_of"]))
    faults = _own_faults(facts, descriptor, local_sources, package_path)
    if faults:
        raise FactsError(faults)
    _remember(digest)
    _MEMO[memo_key] = facts
    return facts.copy()


# ---------------------------------------------------------------- layer 1: the files


def _read_files(package_path: Path):
    """Read the descriptor and every CSV; return (descriptor, texts, sources), faults."""
    name = _display(package_path)
    if not package_path.is_file():
        return None, [Fault(name, None, None, "file not found")]
    try:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        return None, [Fault(name, None, None, f"not UTF-8 text ({err.reason})")]
    except json.JSONDecodeError as err:
        return None, [Fault(name, err.lineno, None, f"invalid JSON: {err.msg} (column {err.colno})")]
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return None, [Fault(name, None, "resources", "the descriptor lists no resources")]
    faults, texts = [], {}
    as_of = descriptor.get("as_of")
    if not (isinstance(as_of, str) and is_iso_date(as_of)):
        faults.append(Fault(name, None, "as_of", f"the date the data is valid for must be YYYY-MM-DD, not {as_of!r}"))
    for index, resource in enumerate(resources):
        fault = _resource_fault(name, index, resource)
        if fault is not None:
            faults.append(fault)
            continue
        rname = resource["name"]
        fields = [f["name"] for f in resource["schema"]["fields"]]
        csv_path = package_path.parent / resource["path"]
        dates = {f["name"] for f in resource["schema"]["fields"] if f.get("type") == "date"}
        text, file_faults = _read_csv_text(csv_path, fields, dates)
        faults += file_faults
        texts[rname] = text
    named = {r.get("name") for r in resources if isinstance(r, dict)}
    faults += [Fault(name, None, "resources", f"no resource named '{t}'") for t in TABLES if t not in named]
    local_sources = {}
    if not faults:
        with _no_csv_field_limit():
            local_sources, source_faults = _read_local_sources(package_path, texts["sources"])
        faults += source_faults
    return (descriptor, texts, local_sources), faults


def _resource_fault(name: str, index: int, resource) -> Fault | None:
    """What is wrong with the shape of one resource of a hand-edited descriptor, if anything."""
    where = f"resources[{index}]"
    if not isinstance(resource, dict) or not resource.get("name") or not resource.get("schema"):
        return Fault(name, None, where, "a resource needs a name, a path and schema fields")
    rname, path, schema = resource["name"], resource.get("path"), resource["schema"]
    if not isinstance(rname, str) or not isinstance(path, str) or not path:
        return Fault(name, None, where, f"resource {rname!r}: a resource needs a name, a path and schema fields")
    if not isinstance(schema, dict):
        kind = type(schema).__name__
        return Fault(name, None, f"{where}.schema", f"resource '{rname}': the schema must be an object, not {kind}")
    fields = schema.get("fields")
    if not fields:
        return Fault(name, None, where, f"resource '{rname}': a resource needs a name, a path and schema fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return Fault(
            name,
            None,
            f"{where}.schema.fields",
            f"resource '{rname}': the fields must be a list of objects with a name",
        )
    return None


@contextlib.contextmanager
def _no_csv_field_limit():
    """csv.field_size_limit is global to the process (frictionless raises it when it reads a CSV):
    lift it while we read, so that our own rule (MAX_FIELD) decides whatever ran before."""
    before = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _read_csv_text(csv_path: Path, fields: list[str], date_fields=()) -> tuple[str, list[Fault]]:
    name = _display(csv_path)
    if not csv_path.is_file():
        return "", [Fault(name, None, None, "file not found")]
    data = csv_path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        prefix = data[data.rfind(b"\n", 0, err.start) + 1 : err.start].decode("utf-8", "replace")
        cells = next(csv.reader([prefix]), [""])
        column = fields[len(cells) - 1] if 0 < len(cells) <= len(fields) else None
        return "", [Fault(name, line, column, f"bytes that are not UTF-8 ({data[err.start : err.end]!r})")]
    faults = []
    with _no_csv_field_limit():
        faults += _csv_faults(name, text, fields, date_fields)
    return text, faults


def _csv_faults(name: str, text: str, fields: list[str], date_fields) -> list[Fault]:
    faults = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    try:
        header = next(reader, [])
        last_line = reader.line_num
        for twice in sorted({h for h in header if header.count(h) > 1}, key=header.index):
            faults.append(Fault(name, 1, twice, "the column appears twice in the header"))
        for missing in [f for f in fields if f not in header]:
            faults.append(Fault(name, 1, missing, "missing column"))
        for extra in [h for h in header if h not in fields]:
            faults.append(Fault(name, 1, extra, "column not described in datapackage.json"))
        for record in reader:
            row = last_line + 1
            if record and len(record) != len(header):
                faults.append(
                    Fault(
                        name, row, None, f"{len(record)} cells where the header has {len(header)} (check the quoting)"
                    )
                )
            for column, value in zip(header, record, strict=False):
                if len(value) > MAX_FIELD:
                    faults.append(
                        Fault(
                            name,
                            row,
                            column,
                            f"a value of {len(value)} characters (at most {MAX_FIELD}): check the quoting",
                        )
                    )
                elif "\0" in value:
                    faults.append(Fault(name, row, column, "a NUL character (\\0) inside the value: remove it"))
                elif column in date_fields and value and not ISO_DATE.fullmatch(value):
                    faults.append(Fault(name, row, column, f"{value!r} is not a date written YYYY-MM-DD"))
            last_line = reader.line_num
    except csv.Error as err:
        faults.append(Fault(name, last_line + 1, None, f"broken CSV quoting: {err}"))
    return faults


def _read_local_sources(package_path: Path, sources_text: str):
    """Texts of the sources kept as files (excerpts of rows citing them are verified)."""
    texts, faults = {}, []
    name = _display(package_path.parent / "sources.csv")
    for row, record in enumerate(csv.DictReader(io.StringIO(sources_text, newline="")), start=2):
        location = (record.get("location") or "").strip()
        if not location or re.match(r"[a-z]+://", location):
            continue
        local = package_path.parent.parent / location  # relative to the project folder
        try:
            texts[record["id"]] = local.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            faults.append(Fault(name, row, "location", f"cannot read the local copy {location}: {err}"))
    return texts, faults


# ------------------------------------------------------------ layer 2: frictionless


def _frictionless_faults(package_path: Path) -> list[Fault]:
    import frictionless

    try:
        package = frictionless.Package(str(package_path))
        report = package.validate()
    except frictionless.FrictionlessException as err:
        return [Fault(_display(package_path), None, None, f"invalid data package: {err.error.message}")]
    faults = [Fault(_display(package_path), None, None, e.message) for e in report.errors]
    for task in report.tasks:
        file = _display(package_path.parent / task.place)
        resource = package.get_resource(task.name)
        types = {f.name: f.type for f in resource.schema.fields}
        for error in task.errors:
            faults.append(_fault_from(file, error, types))
    return faults


_EXPECTED = {"date": "a date written YYYY-MM-DD", "integer": "a whole number", "number": "a number"}


def _fault_from(file: str, error, types: dict[str, str]) -> Fault:
    """One frictionless error as a Fault, from its structured fields (not its message text)."""
    row = getattr(error, "row_number", None)
    cell = getattr(error, "cell", None)
    column = getattr(error, "field_name", None)
    if error.type == "primary-key":
        cells = getattr(error, "cells", None) or [""]
        return Fault(file, row, "id", f"duplicate id: {cells[0]!r} is already used by an earlier row")
    if error.type == "foreign-key":
        names, values = error.field_names, error.field_cells
        target = error.reference_name or "this table"
        shown = ", ".join(repr(v) for v in values)
        return Fault(file, row, "|".join(names), f"{shown} is not an id in {target}")
    if error.type == "type-error":
        kind = types.get(column, "value")
        return Fault(file, row, column, f"{cell!r} is not {_EXPECTED.get(kind, 'a valid ' + kind)}")
    if error.type == "constraint-error" and cell not in (None, ""):
        return Fault(file, row, column, f"{cell!r} is not allowed here ({error.note})")
    if error.type == "constraint-error":
        return Fault(file, row, column, f"a value is required ({error.note})")
    kind = error.type.replace("-", " ")
    return Fault(file, row, column, f"{kind}: {error.note}" if error.note else error.message)


# -------------------------------------------------------------- layer 3: our rules


def _frames(descriptor: dict, texts: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Typed DataFrames: strings as ``string``, dates as datetimes, numbers as numbers."""
    frames = {}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        frame = pd.read_csv(io.StringIO(texts[resource["name"]]), dtype=str, keep_default_na=False)
        for spec in fields:
            column = frame[spec["name"]].replace("", None)
            kind = spec.get("type", "string")
            if kind == "date":
                frame[spec["name"]] = pd.to_datetime(column, format="%Y-%m-%d")
            elif kind == "integer":
                frame[spec["name"]] = pd.to_numeric(column).astype("Int64")
            elif kind == "number":
                frame[spec["name"]] = pd.to_numeric(column).astype("Float64")
            else:
                frame[spec["name"]] = column.astype("string")
        frames[resource["name"]] = frame
    return frames


def _own_faults(facts: Facts, descriptor: dict, local_sources: dict, package_path: Path) -> list[Fault]:
    faults = []
    facts.texts.update(local_sources)
    files = {r["name"]: _display(package_path.parent / r["path"]) for r in descriptor["resources"]}
    sources = facts.tables["sources"].set_index("id")
    for table, frame in facts.tables.items():
        file = files[table]
        for first, last in DATE_RANGES:
            if first in frame and last in frame:
                bad = frame[frame[last] < frame[first]]
                for index, row in bad.iterrows():
                    faults.append(
                        Fault(file, index + 2, last, f"{row[last]:%Y-%m-%d} is before {first} {row[first]:%Y-%m-%d}")
                    )
        for (list_table, column), target in ID_LISTS.items():
            if list_table != table:
                continue
            known = set(facts.tables[target]["id"])
            for index, value in frame[column].dropna().items():
                for item in value.split("|"):
                    if item not in known:
                        faults.append(Fault(file, index + 2, column, f"'{item}' is not an id in {target}"))
        if "excerpt" in frame:
            faults += _excerpt_faults(file, frame, sources, facts)
        faults += _precision_faults(file, frame)
        faults += _name_faults(file, frame)
    if "checked_in" in facts.tables.get("claims", {}):
        faults += _reference_faults(files["claims"], facts.tables["claims"], facts.tables)
    return faults


def _precision_faults(file: str, frame: pd.DataFrame) -> list[Fault]:
    """``<date>_precision`` is day, month or year when the date is set, and empty when it is not;
    a date of month or year precision is stored as the first day of its month or year."""
    faults = []
    for column in [c for c in frame.columns if c.endswith("_precision")]:
        dates = frame.get(column.removesuffix("_precision"))
        for index, value in frame[column].items():
            day = None if dates is None else dates.iloc[index]
            if pd.isna(value):
                if day is not None and not pd.isna(day):
                    faults.append(Fault(file, index + 2, column, f"missing: one of {', '.join(PRECISIONS)}"))
            elif value not in PRECISIONS:
                faults.append(Fault(file, index + 2, column, f"{value!r} is not one of {', '.join(PRECISIONS)}"))
            elif day is None or pd.isna(day):
                faults.append(Fault(file, index + 2, column, "a precision for an empty date"))
            elif (value == "month" and day.day != 1) or (value == "year" and (day.month, day.day) != (1, 1)):
                faults.append(
                    Fault(file, index + 2, column, f"a {value} is stored as its first day, not {day:%Y-%m-%d}")
                )
    return faults


def _name_faults(file: str, frame: pd.DataFrame) -> list[Fault]:
    """Ids, names, short names and aliases name one row each (any case): an alias may not be ambiguous."""
    faults, seen = [], {}
    for index, row in frame.iterrows():
        names = set()
        for column in [c for c in NAME_COLUMNS if c in frame]:
            value = row[column]
            if isinstance(value, str):
                parts = value.split("|") if column == "aliases" else [value]
                names |= {(part.strip().casefold(), column) for part in parts if part.strip()}
        for name in {n for n, _ in names}:
            column = next(c for n, c in sorted(names) if n == name)
            if name in seen and seen[name][0] != index:
                other_index, other_id = seen[name]
                faults.append(
                    Fault(file, index + 2, column, f"{name!r} also names row {other_index + 2} ({other_id}): ambiguous")
                )
            else:
                seen[name] = (index, row["id"] if "id" in frame else index)
    return faults


def _reference_faults(file: str, claims: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[Fault]:
    """``claims.checked_in`` lists ``table:id`` references; each must name an existing row."""
    faults = []
    ids = {name: set(frame["id"]) for name, frame in tables.items() if "id" in frame}
    for index, value in claims["checked_in"].dropna().items():
        for reference in value.split("|"):
            table, _, row_id = reference.partition(":")
            if table not in ids:
                faults.append(Fault(file, index + 2, "checked_in", f"{reference!r}: no table {table!r}"))
            elif row_id not in ids[table]:
                faults.append(Fault(file, index + 2, "checked_in", f"{reference!r}: no row {row_id!r} in {table}"))
    return faults


def _excerpt_faults(file: str, frame: pd.DataFrame, sources: pd.DataFrame, facts: Facts) -> list[Fault]:
    faults = []
    folded = {sid: fold_space(text) for sid, text in facts.texts.items()}
    paragraphs = {sid: [fold_space(p) for p in split_paragraphs(t)] for sid, t in facts.texts.items()}
    for index, row in frame.iterrows():
        source, excerpt = row["source"], row["excerpt"]
        if source not in folded:
            if not pd.isna(excerpt):
                faults.append(
                    Fault(
                        file,
                        index + 2,
                        "excerpt",
                        f"source '{source}' has no local copy in seeds/, so its excerpt cannot be verified: quote it in the note instead",
                    )
                )
            continue
        if pd.isna(excerpt):
            faults.append(
                Fault(
                    file,
                    index + 2,
                    "excerpt",
                    f"missing: a row citing '{source}' needs the verbatim words that support it",
                )
            )
        elif fold_space(excerpt) not in folded[source]:
            faults.append(
                Fault(
                    file,
                    index + 2,
                    "excerpt",
                    f"not found verbatim in {sources.loc[source, 'location']}: {excerpt[:60]!r}",
                )
            )
        elif "paragraph" in frame and not pd.isna(row["paragraph"]):
            number = int(row["paragraph"])
            paras = paragraphs[source]
            if not (1 <= number <= len(paras)) or fold_space(excerpt) not in paras[number - 1]:
                faults.append(Fault(file, index + 2, "paragraph", f"the excerpt is not in paragraph {number}"))
    return faults


# ------------------------------------------------------------------------ helpers


def _display(path: Path) -> str:
    """A path as a reader will recognize it: relative to the working folder if inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _has_frictionless() -> bool:
    try:
        metadata.version("frictionless")
    except metadata.PackageNotFoundError:  # in the browser (Pyodide has no frictionless)
        return False
    return True


def build_stamp(path: str | os.PathLike | None = None) -> str:
    """Validate a data package fully (frictionless included) and return its stamp: the line that
    a copy of it saved as ``BUILD_STAMP`` beside ``datapackage.json`` lets a Python without
    frictionless (the live edition in the browser) trust layer 2 for exactly these bytes.

    >>> len(build_stamp())
    64
    """
    package_path = Path(path) if path is not None else paths.data_package()
    load(package_path)
    (descriptor, texts, local_sources), _ = _read_files(package_path)
    return _digest(package_path, texts, local_sources, validator="frictionless")


BUILD_STAMP = "validated-by-frictionless.txt"


def _build_stamp_faults(package_path: Path, raw) -> list[Fault]:
    """Without frictionless: the package passes layer 2 only if a build stamped these very bytes."""
    descriptor, texts, local_sources = raw
    stamp = package_path.parent / BUILD_STAMP
    expected = _digest(package_path, texts, local_sources, validator="frictionless")
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == expected:
        return []
    problem = "does not match these files" if stamp.is_file() else "is missing"
    return [
        Fault(
            _display(stamp),
            None,
            None,
            f"frictionless is not installed and the build's validation stamp {problem}: "
            "validate the package where frictionless is (pip install frictionless)",
        )
    ]


def _digest(package_path: Path, texts: dict[str, str], local_sources: dict[str, str], validator: str = "") -> str:
    digest = hashlib.sha256((validator or _validator()).encode())
    digest.update(package_path.read_bytes())
    for key in sorted(texts):
        digest.update(key.encode() + b"\0" + texts[key].encode())
    for key in sorted(local_sources):
        digest.update(key.encode() + b"\0" + local_sources[key].encode())
    return digest.hexdigest()


def _validator() -> str:
    return metadata.version("frictionless") if _has_frictionless() else "build stamp"


def _cache_dir() -> Path:
    """Where passed validations are remembered: $VIENTIANE_CACHE or ~/.cache/vientiane."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vientiane"
    return Path(os.environ.get("VIENTIANE_CACHE", default))


def _stamp(digest: str) -> Path:
    return _cache_dir() / f"validated-{digest}"


def _remember(digest: str) -> None:
    try:
        _cache_dir().mkdir(parents=True, exist_ok=True)
        _stamp(digest).touch()
    except OSError:
        pass  # a read-only home only costs speed
