"""Every kind of bad input gives one FactsError that names the file, row and column."""

import csv
import json

import pytest

import vientiane


def edit(path, row, column, value):
    """Set one cell of a CSV (row counted as a spreadsheet does: header = 1)."""
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    records[row - 1][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


def faults_of(package):
    with pytest.raises(vientiane.FactsError) as err:
        vientiane.load(package)
    return err.value


def only(error, **expected):
    """The single fault of ``error``, checked against ``expected`` attributes."""
    assert len(error.faults) == 1, str(error)
    fault = error.faults[0]
    for name, value in expected.items():
        assert getattr(fault, name) == value, str(error)
    return fault


def test_facts_error_is_a_value_error():
    assert issubclass(vientiane.FactsError, ValueError)


def test_the_copy_loads(package):
    assert len(vientiane.load(package).members("EAS", on="2016-07-26")) == 18


def test_missing_file(package):
    (package.parent / "quotes.csv").unlink()
    only(faults_of(package), file="data/quotes.csv", message="file not found")


def test_missing_package(tmp_path):
    only(faults_of(tmp_path / "nowhere" / "datapackage.json"), message="file not found")


def test_invalid_datapackage_json(package):
    package.write_text(
        package.read_text(encoding="utf-8").replace('"resources": [', '"resources": [,', 1), encoding="utf-8"
    )
    fault = only(faults_of(package), file="data/datapackage.json")
    assert "invalid JSON" in fault.message and fault.row is not None


def test_missing_column(package):
    path = package.parent / "people.csv"
    text = path.read_text(encoding="utf-8").replace("role_start,", "", 1)
    path.write_text(text, encoding="utf-8")
    error = faults_of(package)
    assert any(
        f.file == "data/people.csv" and f.row == 1 and f.column == "role_start" and f.message == "missing column"
        for f in error.faults
    ), str(error)


def test_wrong_type(package):
    edit(package.parent / "quotes.csv", 3, "paragraph", "four")
    only(faults_of(package), file="data/quotes.csv", row=3, column="paragraph")


def test_impossible_date(package):
    edit(package.parent / "events.csv", 5, "start", "2016-02-30")
    fault = only(faults_of(package), file="data/events.csv", row=5, column="start")
    assert "2016-02-30" in fault.message


def test_duplicate_id(package):
    path = package.parent / "topics.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        first_id = list(csv.reader(handle))[1][0]
    edit(path, 3, "id", first_id)
    only(faults_of(package), file="data/topics.csv", row=3, column="id")


def test_reference_to_unknown_id(package):
    edit(package.parent / "memberships.csv", 4, "member", "XXX")
    fault = only(faults_of(package), file="data/memberships.csv", row=4, column="member")
    assert "XXX" in fault.message


def test_excerpt_not_in_the_article(package):
    edit(package.parent / "quotes.csv", 2, "excerpt", "Lavrov said something he never said")
    fault = only(faults_of(package), file="data/quotes.csv", row=2, column="excerpt")
    assert "seeds/000_6c3e8eb290f461cb.txt" in fault.message


def test_excerpt_with_straightened_quotes_is_refused(package):
    # Curly quotes are part of the exact characters: straightening them is a change.
    path = package.parent / "quotes.csv"
    edit(path, 3, "excerpt", 'the organization is a "systematically important element" for Russian diplomacy')
    only(faults_of(package), file="data/quotes.csv", row=3, column="excerpt")


def test_excerpt_tolerates_only_white_space(package):
    edit(
        package.parent / "figures.csv",
        2,
        "excerpt",
        "last year trade turnover   between Russia\nand the ASEAN nations amounted to only $13.7 billion",
    )
    assert vientiane.load(package)


def test_broken_csv_quoting(package):
    path = package.parent / "topics.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",", ',"', 1)  # an opening quote that never closes
    path.write_text("\n".join(lines), encoding="utf-8")
    fault = only(faults_of(package), file="data/topics.csv")
    assert fault.row == 4 and "quot" in fault.message


def test_bytes_that_are_not_utf8(package):
    path = package.parent / "people.csv"
    data = path.read_bytes().replace("Stéphane".encode(), "Stéphane".encode("latin-1"), 1)
    path.write_bytes(data)
    fault = only(faults_of(package), file="data/people.csv", column="name")
    assert "UTF-8" in fault.message and fault.row > 1


def test_end_before_start(package):
    edit(package.parent / "memberships.csv", 2, "end", "1900-01-01")
    edit(package.parent / "memberships.csv", 2, "end_precision", "day")
    only(faults_of(package), file="data/memberships.csv", row=2, column="end")


def test_a_date_without_its_precision(package):
    edit(package.parent / "memberships.csv", 2, "end", "1999-01-01")
    fault = only(faults_of(package), file="data/memberships.csv", row=2, column="end_precision")
    assert fault.message == "missing: one of day, month, year"


def test_a_month_is_stored_as_its_first_day(package):
    edit(package.parent / "memberships.csv", 2, "start_precision", "month")
    fault = only(faults_of(package), file="data/memberships.csv", row=2, column="start_precision")
    assert "first day" in fault.message


def test_unknown_topic_in_a_list(package):
    edit(package.parent / "quotes.csv", 2, "topics", "security_architecture|astrology")
    fault = only(faults_of(package), file="data/quotes.csv", row=2, column="topics")
    assert "astrology" in fault.message


def test_every_fault_is_listed_not_just_the_first(package):
    edit(package.parent / "quotes.csv", 2, "paragraph", "x")
    edit(package.parent / "events.csv", 3, "start", "2016-13-01")
    edit(package.parent / "memberships.csv", 5, "organization", "NATO")
    error = faults_of(package)
    places = {(f.file, f.row, f.column) for f in error.faults}
    assert {
        ("data/quotes.csv", 2, "paragraph"),
        ("data/events.csv", 3, "start"),
        ("data/memberships.csv", 5, "organization"),
    } <= places
    assert "3 fault(s)" in str(error)


def test_no_resource_for_a_table(package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "claims"]
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    fault = only(faults_of(package), file="data/datapackage.json", column="resources")
    assert "claims" in fault.message


def test_nothing_is_half_loaded(package):
    edit(package.parent / "quotes.csv", 2, "paragraph", "x")
    faults_of(package)
    faults_of(package)  # a second call fails the same way: no cached half-result
    edit(package.parent / "quotes.csv", 2, "paragraph", "3")
    assert vientiane.load(package).quotes["paragraph"].iloc[0] == 3


def test_checked_in_reference_to_a_missing_row(package):
    path = package.parent / "claims.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    row = next(i for i, r in enumerate(records[1:], start=2) if r[records[0].index("checked_in")])
    edit(path, row, "checked_in", "events:no_such_event|nowhere:x")
    error = faults_of(package)
    messages = [f.message for f in error.faults if f.column == "checked_in" and f.row == row]
    assert any("no row 'no_such_event' in events" in m for m in messages), str(error)
    assert any("no table 'nowhere'" in m for m in messages), str(error)


def test_an_alias_naming_two_rows_is_ambiguous(package):
    path = package.parent / "organizations.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    second = records[2][header.index("id")]
    first = records[1][header.index("id")]
    edit(path, 2, "aliases", f"Alpha|{second.lower()}")  # row 2 takes row 3's id as an alias
    fault = only(faults_of(package), file="data/organizations.csv", row=3, column="id")
    assert fault.message == f"'{second.lower()}' also names row 2 ({first}): ambiguous"


@pytest.mark.parametrize("written", ["20160726", "2016-7-26"])
def test_dates_must_be_written_yyyy_mm_dd(package, written):
    edit(package.parent / "events.csv", 5, "start", written)
    fault = only(faults_of(package), file="data/events.csv", row=5, column="start")
    assert "YYYY-MM-DD" in fault.message


def test_the_data_date_is_required(package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    del descriptor["as_of"]
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    fault = only(faults_of(package), file="data/datapackage.json", column="as_of")
    assert "YYYY-MM-DD" in fault.message


# ------------------------------------------------ faults a reliability campaign found (issue 17)


@pytest.mark.parametrize("where", ["schema", "fields", "field"])
def test_a_hand_edited_schema_that_is_not_an_object_is_a_fault(package, where):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    index = next(i for i, r in enumerate(descriptor["resources"]) if r["name"] == "topics")
    schema = descriptor["resources"][index]["schema"]
    if where == "schema":
        descriptor["resources"][index]["schema"] = "id, label"
    elif where == "fields":
        schema["fields"] = "id, label"
    else:
        schema["fields"][0] = "id"
    package.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    fault = only(faults_of(package), file="data/datapackage.json")
    assert fault.column.startswith(f"resources[{index}]") and "topics" in fault.message


def test_a_nul_byte_inside_a_value_is_a_fault(package):
    path = package.parent / "topics.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[1] = cells[1][:3] + "\0" + cells[1][3:]
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    fault = only(faults_of(package), file="data/topics.csv", row=3, column=header[1])
    assert "NUL" in fault.message


LONG_FIELD = """
import json, sys
{before}
import vientiane
try:
    vientiane.load(sys.argv[1])
except vientiane.FactsError as err:
    print(json.dumps([[f.file, f.row, f.column, f.message] for f in err.faults]))
else:
    print("loaded")
"""


@pytest.mark.parametrize(
    "before", ["", "import frictionless.formats.csv.parser", "import csv\ncsv.field_size_limit(1000)"]
)
def test_a_very_long_value_gets_one_rule_whatever_was_imported_before(package, before):
    """csv.field_size_limit is process-global (frictionless raises it on import): the loader's
    rule may not depend on it. Each run is a fresh process."""
    import subprocess
    import sys

    path = package.parent / "topics.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[2].split(",")
    cells[-1] = '"' + "x" * 200_000 + '"'
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    code = LONG_FIELD.format(before=before)
    result = subprocess.run([sys.executable, "-c", code, str(package)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    faults = json.loads(result.stdout)
    header = lines[0].split(",")
    assert faults == [["data/topics.csv", 3, header[-1], faults[0][3]]], result.stdout
    assert "200000 characters" in faults[0][3]


def test_a_duplicated_header_column_names_its_row_and_column(package):
    path = package.parent / "topics.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    lines = [line + "," + line.split(",")[0] if line else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    fault = only(faults_of(package), file="data/topics.csv", row=1, column=header[0])
    assert "twice" in fault.message
