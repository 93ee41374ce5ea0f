"""The library's promises: the calls the README and the lessons make."""

import datetime as dt

import pandas as pd
import pytest

import vientiane
from tests.import_graph import assert_no_cycle
from vientiane import queries

EAS_2016 = [
    "AUS",
    "BRN",
    "CHN",
    "IDN",
    "IND",
    "JPN",
    "KHM",
    "KOR",
    "LAO",
    "MMR",
    "MYS",
    "NZL",
    "PHL",
    "RUS",
    "SGP",
    "THA",
    "USA",
    "VNM",
]


def test_eas_had_18_members_in_vientiane(facts):
    assert facts.members("EAS", on="2016-07-26") == EAS_2016


@pytest.mark.parametrize(
    "on", ["2016-07-26", dt.date(2016, 7, 26), dt.datetime(2016, 7, 26, 15, 30), pd.Timestamp("2016-07-26")]
)
def test_on_takes_strings_dates_and_datetimes(facts, on):
    assert facts.members("EAS", on=on) == EAS_2016


@pytest.mark.parametrize("name", ["EAEU", "eaeu", "eeu", "EEU", "Eurasian Economic Union", " eurasian economic union "])
def test_organization_aliases_in_any_case(facts, name):
    assert facts.members(name, on="2016-07-26") == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]


@pytest.mark.parametrize("name", ["Mosiaakov", "mosyakov", "Dmitry Mosyakov", "MOSIAAKOV"])
def test_person_aliases(facts, name):
    assert queries.resolve(facts, "people", name) == "mosyakov"


def test_not_yet_founded_is_empty(facts):
    assert facts.members("EAEU", on="2014-12-31") == []
    assert facts.members("EAS", on="2005-12-13") == []
    assert facts.members("ASEAN", on="1967-08-08") == ["IDN", "MYS", "PHL", "SGP", "THA"]


def test_unknown_id_lists_the_known_ones(facts):
    with pytest.raises(vientiane.UnknownId) as err:
        facts.members("NATO")
    message = str(err.value)
    for known in ("ASEAN", "EAS", "ARF", "SCO", "EAEU", "APEC"):
        assert known in message


def test_bad_date_is_a_clear_error(facts):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        facts.members("EAS", on="26/07/2016")


def test_organizations_of_russia(facts):
    assert facts.organizations_of("RUS", on="2016-07-26") == ["ADMMPLUS", "APEC", "ARF", "CICA", "EAEU", "EAS", "SCO"]
    assert facts.organizations_of("russian federation", on="1995-01-01") == ["ARF"]
    assert queries.status_on(facts, "RUS", "ASEAN", on="2016-07-26") == "dialogue_partner"
    # A strategic partnership (2018) is a level of the dialogue relationship, not a new status.
    assert queries.status_on(facts, "RUS", "ASEAN", on="2019-01-01") == "dialogue_partner"
    assert queries.status_on(facts, "RUS", "ASEAN", on="2026-11-28") == "dialogue_partner"
    assert queries.partnership_level(facts, "RUS", "ASEAN", on="2016-07-26") == "dialogue"
    assert queries.partnership_level(facts, "RUS", "ASEAN", on="2019-01-01") == "strategic"
    assert "RUS" in facts.members("ASEAN", on="2026-11-28", statuses=("dialogue_partner",))


def test_enlargements_over_time(facts):
    assert len(facts.members("ASEAN", on="1999-04-29")) == 9
    assert len(facts.members("ASEAN", on="1999-04-30")) == 10
    assert "TLS" in facts.members("ASEAN", on="2025-10-26")
    assert len(facts.members("ARF", on="1994-07-25")) == 18
    assert len(facts.members("ARF", on="2007-08-02")) == 27
    assert len(facts.members("SCO", on="2017-06-09")) == 8
    assert len(facts.members("SCO", on="2023-07-04")) == 9
    assert len(facts.members("SCO", on="2024-07-04")) == 10
    assert len(facts.members("APEC", on="1998-12-31")) == 21


def test_eas_entry_readings_differ(facts):
    # The main reading (ASEAN's) has Russia in from the 6th EAS; the Russian reading from the 5th.
    assert "RUS" not in facts.members("EAS", on="2011-01-01")
    assert "RUS" in facts.members("EAS", on="2011-01-01", alternatives=True)
    assert "RUS" in facts.members("EAS", on="2011-11-19")


def test_tables_have_real_dtypes(facts):
    assert pd.api.types.is_datetime64_any_dtype(facts.memberships["start"])
    assert pd.api.types.is_datetime64_any_dtype(facts.events["end"])
    assert pd.api.types.is_integer_dtype(facts.quotes["paragraph"])
    assert pd.api.types.is_float_dtype(facts.figures["value"])
    assert pd.api.types.is_string_dtype(facts.quotes["words"])


def test_excerpts_table(facts):
    table = facts.excerpts()
    assert list(table.columns) == ["table", "id", "source", "excerpt", "verified"]
    assert table["verified"].all()
    assert {"quotes", "claims", "figures", "encounters"} <= set(table["table"])


def test_load_by_path_equals_bundled(facts):
    again = vientiane.load(str(vientiane.paths.data_package()))
    pd.testing.assert_frame_equal(again.memberships, facts.memberships)


def test_load_returns_independent_copies():
    first = vientiane.load()
    first.quotes.loc[0, "words"] = "changed"
    assert vientiane.load().quotes.loc[0, "words"] != "changed"


def test_membership_matrix_and_overlap(facts):
    matrix = queries.membership_matrix(facts, on="2016-07-26")
    assert matrix["EAS"].sum() == 18 and matrix["ARF"].sum() == 27
    assert queries.overlap(facts, ["SCO", "EAS"], on="2016-07-26")["intersection"] == ["CHN", "RUS"]
    assert "USA" in queries.left_out(facts, "SCO", on="2016-07-26")
    # The widest forum, the ARF, still leaves out APEC's Pacific Americans and two economies.
    assert queries.left_out(facts, "ARF", on="2016-07-26") == ["CHL", "HKG", "MEX", "PER", "TWN"]


def test_membership_matrix_agrees_with_members_every_year(facts):
    """The matrix (filled a column at a time) says what ``members`` says, cell by cell, on every
    26 July from the first founding to the data's year, and for chosen bodies and countries."""
    for year in range(queries.first_year(facts), facts.as_of.year + 1):
        day = f"{year}-07-26"
        matrix = queries.membership_matrix(facts, on=day)
        assert list(matrix.columns) == list(facts.organizations["id"]) and matrix.index.name == "country"
        assert all(str(dtype) == "bool" for dtype in matrix.dtypes)
        for org in matrix.columns:
            assert sorted(matrix.index[matrix[org]]) == queries.members(facts, org, on=day), (org, day)
        assert sorted(matrix.index) == sorted({m for o in matrix.columns for m in queries.members(facts, o, on=day)})
    chosen = queries.membership_matrix(facts, on="2016-07-26", organizations=["eeu", "SCO"], countries=["RUS", "USA"])
    assert chosen.to_dict("index") == {"RUS": {"EAEU": True, "SCO": True}, "USA": {"EAEU": False, "SCO": False}}
    assert queries.membership_matrix(facts, on="1900-01-01").shape == (0, len(facts.organizations))


def test_quotes_of_filters(facts):
    assert len(queries.quotes_of(facts, speaker="unattributed")) == 3
    assert queries.quotes_of(facts, text="UMBRELLA")["id"].tolist() == [
        "q07_umbrella_statement",
        "q08_umbrella_structure",
    ]
    assert set(queries.quotes_of(facts, topic="syria")["id"]) == {"q06_moderate_opposition"}


def test_the_students_library_imports_no_teacher_tool_and_leaves_matplotlib_alone():
    """`import vientiane` and a figure of the collection: no vientiane_teacher module is loaded,
    and a student's own chart afterwards still has matplotlib's default style."""
    import subprocess
    import sys

    code = (
        "import sys, matplotlib\n"
        "defaults = dict(matplotlib.rcParams)\n"
        "import vientiane\n"
        "facts = vientiane.load()\n"
        "vientiane.plots.membership_matrix_figure(facts)\n"
        "vientiane.figures.png_bytes(vientiane.plots.quotes_figure(facts)[0])\n"
        "print(sorted(m for m in sys.modules if m.startswith('vientiane_teacher')))\n"
        "print(dict(matplotlib.rcParams) == defaults)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


LIBRARY = vientiane.paths.package_file("")


def _imports_of_students_library() -> dict[str, set[str]]:
    """module -> the modules of ``vientiane`` it imports, anywhere in its code (inside functions too)."""
    import ast
    from pathlib import Path

    graph = {}
    for path in sorted(Path(str(LIBRARY)).glob("*.py")):
        name = path.stem
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vientiane."):
                found.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.module == "vientiane":
                found |= {alias.name for alias in node.names}
        graph[name] = {m for m in found if (Path(str(LIBRARY)) / f"{m}.py").is_file()} - {name}
    return graph


def test_the_students_library_has_no_import_cycle():
    graph = _imports_of_students_library()
    assert {"facts", "queries", "dates", "answers", "checks"} <= set(graph)
    assert graph["dates"] == set(), "dates is a leaf"
    assert_no_cycle(graph)


def test_the_students_library_never_writes_into_itself():
    """Only figures.save writes, and into the figures folder: no module opens a file of the package
    for writing, and the authoring command lives in the teacher's tools."""
    import re
    from pathlib import Path

    for path in sorted(Path(str(LIBRARY)).glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if path.name != "paths.py":  # the one module that resolves locations
            assert "__file__" not in source, f"{path.name}: package data goes through importlib.resources"
        if path.name != "figures.py":
            assert not re.search(r"write_text|write_bytes|open\([^)]*['\"][wa]", source), path.name
    assert "argparse" not in (Path(str(LIBRARY)) / "checks.py").read_text(encoding="utf-8")


def test_a_copy_elsewhere_loads_as_itself(tmp_path, monkeypatch):
    """The memo is keyed by path as well as content: a byte-identical copy is its own package."""
    import shutil

    monkeypatch.setenv("VIENTIANE_CACHE", str(tmp_path / "cache"))
    bundled = vientiane.load()
    for folder in ("data", "seeds"):
        shutil.copytree(vientiane.paths.collection() / folder, tmp_path / folder)
    copy = vientiane.load(tmp_path / "data" / "datapackage.json")
    assert copy.path == tmp_path / "data" / "datapackage.json" and bundled.path == vientiane.paths.data_package()


def test_facts_compare_by_identity_and_print_briefly(facts):
    assert facts == facts and facts != facts.copy() and len({facts, facts}) == 1
    shown = repr(facts)
    assert shown.startswith("<Facts ") and "as of 2026-11-28" in shown and len(shown) < 200


def _public_functions():
    """(name, function) for every public function and method of the students' library."""
    import importlib
    import inspect
    import pkgutil

    for info in pkgutil.iter_modules(vientiane.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"vientiane.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}", obj
            elif inspect.isclass(obj):
                for member, value in vars(obj).items():
                    if not member.startswith("_") and (inspect.isfunction(value) or isinstance(value, property)):
                        yield f"{info.name}.{name}.{member}", value


def test_every_public_function_has_a_docstring_with_an_example():
    """Students read them with ``?``: a doctest (``>>>``) or, where running it would draw, an
    ``Example::`` block."""
    import inspect
    import re

    functions = dict(_public_functions())
    assert {"load", "check"} <= {name.rsplit(".", 1)[-1] for name in functions} | {"check"}
    assert len(functions) > 80
    lacking = [
        name
        for name, function in functions.items()
        if not re.search(r">>> |^Example[^\n]*::$", inspect.getdoc(function) or "", re.MULTILINE)
    ]
    assert not lacking, f"no example in the docstring of: {', '.join(lacking)}"
    assert ">>> " in (vientiane.check.__doc__ or "")


def test_no_doctest_in_lib_is_skipped():
    """Under CI nothing turns into a skip: an example that cannot run cheaply is an ``Example::``
    block in prose, not a doctest marked SKIP."""
    from pathlib import Path

    lib = Path(__file__).resolve().parents[1] / "lib"
    marked = [
        f"{path.relative_to(lib)}:{number}"
        for path in sorted(lib.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "doctest: +SKIP" in line
    ]
    assert not marked, f"doctests marked SKIP: {', '.join(marked)}"
