"""Pre-flight checks of an extract directory against the raw contract, before dbt reads it.

File-level defects (a missing file or column, a renamed column, the wrong delimiter, bytes that are not
UTF-8, an empty file, ragged rows) would otherwise surface as an engine error far from their cause. Here
each one becomes a Problem naming the file, the line and the column. Row-level defects (bad values,
orphans, duplicates) are not errors here: the quarantine models classify those rows.

    python -m crm_warehouse.preflight DIR [--format csv|parquet]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from crm_warehouse.contract import Entity, load_contract

Severity = Literal["error", "warning"]
OTHER_DELIMITERS = (";", "\t", "|")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based line of the file (the header is line 1)
    column: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{self.severity.upper()}: {where}: {self.message}"


def check_extract(directory: Path, fmt: str = "csv") -> list[Problem]:
    """Every file-level problem of the extract in `directory`, errors and warnings."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    if not directory.is_dir():
        return [Problem(str(directory), None, None, "extract directory does not exist")]
    problems: list[Problem] = []
    for entity in load_contract().values():
        path = directory / f"{entity.name}.{fmt}"
        if not path.exists():
            problems.append(_missing_file(entity, path))
        elif fmt == "csv":
            problems.extend(_check_csv(entity, path))
        else:
            problems.extend(_check_parquet(entity, path))
    return problems


def _missing_file(entity: Entity, path: Path) -> Problem:
    if entity.optional:
        return Problem(
            path.name,
            None,
            None,
            f"optional entity {entity.name} is absent: it builds empty and the metrics that need it are null",
            "warning",
        )
    return Problem(path.name, None, None, f"required entity {entity.name} is missing (expected {path.name})")


def _header_problems(entity: Entity, file: str, header: list[str]) -> list[Problem]:
    found = [h.strip() for h in header]
    missing = [c for c in entity.column_names if c not in found]
    unexpected = [h for h in found if h not in entity.column_names]
    problems = []
    for column in missing:
        hint = difflib.get_close_matches(column, unexpected, n=1, cutoff=0.5)
        renamed = f" (found {hint[0]!r}: renamed?)" if hint else ""
        problems.append(Problem(file, 1, column, f"required column {column!r} is missing{renamed}"))
    problems.extend(
        Problem(file, 1, column, f"column {column!r} is not in the contract and is ignored", "warning")
        for column in unexpected
    )
    return problems


def _check_csv(entity: Entity, path: Path) -> list[Problem]:
    with path.open("rb") as handle:
        is_empty = not handle.read(4096).strip()
    if is_empty:
        expected = ",".join(entity.column_names)
        return [Problem(path.name, None, None, f"file is empty; expected a header row: {expected}")]
    try:
        # Streamed, so a multi-gigabyte extract is checked without loading it whole.
        with path.open(encoding="utf-8", newline="") as handle:
            return _check_csv_rows(entity, path.name, csv.reader(handle))
    except UnicodeDecodeError as err:
        return [_encoding_problem(path.name, path.read_bytes(), err)]


def _check_csv_rows(entity: Entity, file: str, rows: Iterator[list[str]]) -> list[Problem]:
    header = next(rows)
    if len(header) == 1 and len(entity.columns) > 1:
        used = [d for d in OTHER_DELIMITERS if d in header[0]]
        if used:
            message = f"wrong delimiter: the header is separated by {used[0]!r}; the contract expects commas"
            return [Problem(file, 1, None, message)]
    problems = _header_problems(entity, file, header)
    if any(p.severity == "error" for p in problems):
        return problems
    data_rows = 0
    for line, row in _numbered(rows):
        if not row:  # a blank line carries no record
            continue
        data_rows += 1
        if len(row) != len(header):
            message = f"row has {len(row)} fields, the header has {len(header)} (unquoted comma or cut line?)"
            problems.append(Problem(file, line, None, message))
    if data_rows == 0:
        problems.append(Problem(file, None, None, "file has a header but no data rows", "warning"))
    return problems


def _numbered(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    # csv.reader.line_num counts physical lines, so quoted multi-line fields keep the right line number.
    for row in rows:
        yield rows.line_num, row  # type: ignore[attr-defined]


def _encoding_problem(file: str, data: bytes, err: UnicodeDecodeError) -> Problem:
    line_start = data.rfind(b"\n", 0, err.start) + 1
    line = data.count(b"\n", 0, err.start) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").split(",")
    field = data.count(b",", line_start, err.start)
    column = header[field].strip() if field < len(header) else None
    byte = data[err.start : err.start + 1].hex()
    return Problem(file, line, column, f"not valid UTF-8 (byte 0x{byte}); re-export the file as UTF-8")


def _check_parquet(entity: Entity, path: Path) -> list[Problem]:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as err:  # pyarrow raises several types for unreadable files
        return [Problem(path.name, None, None, f"not a readable Parquet file: {err}")]
    return _header_problems(entity, path.name, list(schema.names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args(argv)
    problems = check_extract(args.directory, args.format)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"pre-flight: {errors} error(s) in {args.directory}; fix them before building", file=sys.stderr)
        return 1
    print(f"pre-flight: {args.directory} matches the raw contract", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
