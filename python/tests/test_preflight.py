"""Pre-flight checks: each file-level defect is reported with its file, line and column."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crm_warehouse.contract import load_contract
from crm_warehouse.preflight import check_extract, main, run_preflight


def _write_extract(directory: Path) -> None:
    """A structurally valid extract: every entity, its header and two rows of placeholder values."""
    for entity in load_contract().values():
        header = ",".join(entity.column_names)
        row = ",".join("x" for _ in entity.columns)
        (directory / f"{entity.name}.csv").write_text(f"{header}\n{row}\n{row}\n")


def _errors(directory: Path) -> list[str]:
    return [str(p) for p in check_extract(directory) if p.severity == "error"]


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    _write_extract(tmp_path)
    return tmp_path


def test_valid_extract_has_no_problem(extract: Path) -> None:
    assert check_extract(extract) == []


def test_missing_required_entity_is_an_error(extract: Path) -> None:
    (extract / "accounts.csv").unlink()
    assert _errors(extract) == ["ERROR: accounts.csv: required entity accounts is missing (expected accounts.csv)"]


def test_missing_optional_entity_is_only_a_warning(extract: Path) -> None:
    (extract / "survey_responses.csv").unlink()
    problems = check_extract(extract)
    assert [(p.file, p.severity) for p in problems] == [("survey_responses.csv", "warning")]


def test_missing_column_names_file_and_column(extract: Path) -> None:
    path = extract / "orders.csv"
    header, *rows = path.read_text().splitlines()
    columns = header.split(",")
    index = columns.index("currency")
    keep = [i for i in range(len(columns)) if i != index]
    lines = [",".join(line.split(",")[i] for i in keep) for line in [header, *rows]]
    path.write_text("\n".join(lines) + "\n")
    assert _errors(extract) == ["ERROR: orders.csv, line 1, column currency: required column 'currency' is missing"]


def test_renamed_column_suggests_the_new_name(extract: Path) -> None:
    path = extract / "opportunities.csv"
    path.write_text(path.read_text().replace(",amount,", ",amt,", 1))
    assert _errors(extract) == [
        "ERROR: opportunities.csv, line 1, column amount: required column 'amount' is missing (found 'amt': renamed?)"
    ]


def test_wrong_delimiter(extract: Path) -> None:
    path = extract / "products.csv"
    path.write_text(path.read_text().replace(",", ";"))
    assert _errors(extract) == [
        "ERROR: products.csv, line 1: wrong delimiter: the header is separated by ';'; the contract expects commas"
    ]


def test_non_utf8_bytes_name_line_and_column(extract: Path) -> None:
    path = extract / "accounts.csv"
    header, first, second = path.read_text().splitlines()
    # account_name is the second column; Latin-1 'é' (0xe9) on line 3.
    broken = second.split(",")
    broken[1] = "Caf"
    data = "\n".join([header, first, ",".join(broken)]).encode() + b"\n"
    data = data.replace(b"Caf,", b"Caf\xe9,")
    path.write_bytes(data)
    assert _errors(extract) == [
        "ERROR: accounts.csv, line 3, column account_name: not valid UTF-8 (byte 0xe9); re-export the file as UTF-8"
    ]


def test_empty_file(extract: Path) -> None:
    (extract / "users.csv").write_text("")
    (error,) = _errors(extract)
    assert error.startswith("ERROR: users.csv: file is empty; expected a header row: user_id,full_name,")


def _header_only(path: Path) -> None:
    path.write_text(path.read_text().splitlines()[0] + "\n")


def test_header_only_optional_file_is_a_warning(extract: Path) -> None:
    _header_only(extract / "tickets.csv")
    problems = check_extract(extract)
    assert [str(p) for p in problems] == ["WARNING: tickets.csv: file has a header but no data rows"]


# issue 10, item 3: a required entity without rows used to be a warning and a green build with revenue 0.
def test_header_only_required_entity_is_an_error(extract: Path) -> None:
    _header_only(extract / "order_items.csv")
    assert [str(p) for p in check_extract(extract)] == [
        "ERROR: order_items.csv: required entity order_items has a header but no data rows; its metrics would"
        " read as zero. Export its rows, or declare it absent (var crm_absent_entities: [order_items]) to build"
        " it empty with its metrics null"
    ]


def test_header_only_required_entity_declared_absent_is_a_warning(extract: Path) -> None:
    _header_only(extract / "order_items.csv")
    assert [str(p) for p in check_extract(extract, absent=["order_items"])] == [
        "WARNING: order_items.csv: file has a header but no data rows"
    ]


def test_ragged_row_names_its_line(extract: Path) -> None:
    path = extract / "order_items.csv"
    header, first, second = path.read_text().splitlines()
    path.write_text("\n".join([header, first, second + ",extra"]) + "\n")
    n = len(header.split(","))
    assert _errors(extract) == [
        f"ERROR: order_items.csv, line 3: row has {n + 1} fields, the header has {n} (unquoted comma or cut line?)"
    ]


def test_parquet_missing_column(tmp_path: Path) -> None:
    for entity in load_contract().values():
        names = [c for c in entity.column_names if not (entity.name == "tickets" and c == "priority")]
        table = pa.table({c: pa.array(["x"], pa.string()) for c in names})
        pq.write_table(table, tmp_path / f"{entity.name}.parquet")
    assert [str(p) for p in check_extract(tmp_path, "parquet")] == [
        "ERROR: tickets.parquet, line 1, column priority: required column 'priority' is missing"
    ]


def test_cli_exit_codes(extract: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(extract)]) == 0
    (extract / "orders.csv").unlink()
    assert main([str(extract)]) == 1
    assert "required entity orders is missing" in capsys.readouterr().err


def _set_header(path: Path, edit: Callable[[list[str]], list[str]]) -> None:
    header, *rows = path.read_text().splitlines()
    path.write_text("\n".join([",".join(edit(header.split(","))), *rows]) + "\n")


# issue 10, item 5: a second unit_price column was silently ignored.
def test_duplicate_column_names_both_positions(extract: Path) -> None:
    path = extract / "order_items.csv"
    columns = load_contract()["order_items"].column_names
    position = columns.index("unit_price") + 1
    _set_header(path, lambda header: [*header, "unit_price"])
    path.write_text(path.read_text().replace("\nx,", "\nx,x,"))  # keep the rows as wide as the header
    assert _errors(extract) == [
        f"ERROR: order_items.csv, line 1, column unit_price: column 'unit_price' appears 2 times"
        f" (columns {position} and {len(columns) + 1}); keep one"
    ]


# issue 10, item 6: a user column named _row_number replaced the row numbering.
@pytest.mark.parametrize("name", ["_row_number", "_row_hash", "_raw__amount"])
def test_bookkeeping_column_names_are_reserved(extract: Path, name: str) -> None:
    _set_header(extract / "opportunities.csv", lambda header: [*header[:-1], name])
    assert _errors(extract) == [
        f"ERROR: opportunities.csv, line 1, column {name}: column name {name!r} is reserved for the warehouse's"
        " bookkeeping (names _row_number, _row_hash, _invalid_columns, _invalid_values, _dup_rank, _key_rank,"
        " _flagged_values and _raw__*); rename or drop the column"
    ]


# issue 10, item 10: mixed LF/CRLF passed pre-flight, then the engine failed with "Error when sniffing file".
def test_mixed_line_endings_name_the_first_differing_line(extract: Path) -> None:
    path = extract / "tickets.csv"
    header, first, second = path.read_text().splitlines()
    path.write_bytes(f"{header}\r\n{first}\r\n{second}\n".encode())
    assert _errors(extract) == [
        "ERROR: tickets.csv, line 3: mixed line endings: this line ends with LF, line 1 with CRLF;"
        " convert the file to one line ending (e.g. dos2unix)"
    ]


def test_crlf_file_and_newline_inside_quotes_are_fine(extract: Path) -> None:
    path = extract / "tickets.csv"
    header, first, second = path.read_text().splitlines()
    path.write_bytes(f'{header}\r\n{first}\r\n"a\nb"{second[1:]}\r\n'.encode())
    assert check_extract(extract) == []


# issue 10, item 11: a value over 131,072 characters crashed pre-flight (csv.field_size_limit).
def test_a_very_long_value_is_read(extract: Path) -> None:
    path = extract / "tickets.csv"
    header, first, _ = path.read_text().splitlines()
    long_value = "y" * 200_000
    path.write_text(f"{header}\n{first}\n{long_value}{first[1:]}\n")
    result = run_preflight(extract)
    assert result.problems == []
    assert result.row_counts["tickets"] == 2


# issue 10, item 12: gzip under .csv, .csv.gz, a BOM and Excel's sep= line.
def test_gzip_bytes_named_csv_say_so(extract: Path) -> None:
    path = extract / "orders.csv"
    path.write_bytes(gzip.compress(path.read_bytes()))
    assert _errors(extract) == [
        "ERROR: orders.csv: file is gzip-compressed: rename it to orders.csv.gz (read as is) or decompress it"
    ]


def test_a_csv_gz_file_is_read(extract: Path) -> None:
    path = extract / "orders.csv"
    (extract / "orders.csv.gz").write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    result = run_preflight(extract)
    assert result.problems == []
    assert result.row_counts["orders"] == 2


def test_a_corrupt_csv_gz_is_an_error(extract: Path) -> None:
    path = extract / "orders.csv"
    (extract / "orders.csv.gz").write_bytes(gzip.compress(path.read_bytes())[:20])
    path.unlink()
    (error,) = _errors(extract)
    assert error.startswith("ERROR: orders.csv.gz: not a readable gzip file: ")


def test_a_utf8_bom_is_accepted(extract: Path) -> None:
    path = extract / "accounts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert check_extract(extract) == []


def test_excel_sep_line_is_one_error(extract: Path) -> None:
    path = extract / "accounts.csv"
    path.write_text("sep=,\n" + path.read_text())
    assert _errors(extract) == [
        "ERROR: accounts.csv, line 1: first line is Excel's 'sep=,' line, not the header: remove the 'sep=' line"
    ]


# issue 10, item 1: the record count per file, which the row accounting compares with what the engine read.
def test_row_counts_count_records_not_lines(extract: Path, tmp_path: Path) -> None:
    path = extract / "tickets.csv"
    header, first, second = path.read_text().splitlines()
    path.write_text(f'{header}\n#4010{first[1:]}\n\n"multi\nline"{second[1:]}\n')
    result = run_preflight(extract)
    assert result.problems == []
    assert result.row_counts["tickets"] == 2
    assert set(result.row_counts) == set(load_contract())
    counts = tmp_path / "counts.json"
    assert main([str(extract), "--row-counts", str(counts)]) == 0
    assert json.loads(counts.read_text())["tickets"] == 2


def test_parquet_row_counts_come_from_the_file_metadata(tmp_path: Path) -> None:
    for index, entity in enumerate(load_contract().values()):
        table = pa.table({c: pa.array(["x"] * (index + 1), pa.string()) for c in entity.column_names})
        pq.write_table(table, tmp_path / f"{entity.name}.parquet")
    result = run_preflight(tmp_path, "parquet")
    assert result.problems == []
    assert result.row_counts == {entity: index + 1 for index, entity in enumerate(load_contract())}
