"""Pre-flight checks: each file-level defect is reported with its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crm_warehouse.contract import load_contract
from crm_warehouse.preflight import check_extract, main


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


def test_header_only_file_is_a_warning(extract: Path) -> None:
    path = extract / "leads.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    problems = check_extract(extract)
    assert [str(p) for p in problems] == ["WARNING: leads.csv: file has a header but no data rows"]


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
