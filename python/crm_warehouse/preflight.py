"""Pre-flight checks of an extract directory against the raw contract, before dbt reads it.

File-level defects (a missing file or column, a renamed, duplicated or reserved column, the wrong delimiter,
bytes that are not UTF-8, a gzip file without .gz, Excel's `sep=` line, mixed line endings, an empty file,
ragged rows, a required entity without rows) would otherwise surface as an engine error far from their cause,
or as silently lost rows. Here each one becomes a Problem naming the file, the line and the column. Row-level
defects (bad values, orphans, duplicates) are not errors here: the quarantine models classify those rows.

Pre-flight also counts the records of every file (`Preflight.row_counts`); the build passes them to dbt as env
`CRM_PREFLIGHT_ROW_COUNTS` (or a user's var `crm_preflight_row_counts`), and the row accounting stops the build
when the engine reads a file short.

    python -m crm_warehouse.preflight DIR [--format csv|parquet] [--absent ENTITY ...] [--row-counts FILE]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import json
import re
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from crm_warehouse.contract import Entity, load_contract

Severity = Literal["error", "warning"]
OTHER_DELIMITERS = (";", "\t", "|")
GZIP_MAGIC = b"\x1f\x8b"
# Columns the staging macros add to every raw row (macros/staging/crm_base_model.sql, macros/quarantine):
# a file column of the same name would replace the bookkeeping (issue 10, item 6).
RESERVED_COLUMNS = (
    "_row_number",
    "_row_hash",
    "_invalid_columns",
    "_invalid_values",
    "_dup_rank",
    "_key_rank",
    "_flagged_values",
)
RESERVED_PREFIX = "_raw__"
EXCEL_SEP_LINE = re.compile(r"^sep=.?$")
# Python's csv module stops at 131,072 characters per field by default; a long free-text value is legal.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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


@dataclass
class Preflight:
    problems: list[Problem] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)  # entity -> data records, for each file read whole


def check_extract(directory: Path, fmt: str = "csv", absent: Collection[str] = ()) -> list[Problem]:
    """Every file-level problem of the extract in `directory`, errors and warnings."""
    return run_preflight(directory, fmt, absent).problems


def run_preflight(directory: Path, fmt: str = "csv", absent: Collection[str] = ()) -> Preflight:
    """Problems and record counts of the extract. `absent`: entities the user declares the export lacks (var
    crm_absent_entities), which may be header-only even when required."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    result = Preflight()
    if not directory.is_dir():
        result.problems.append(Problem(str(directory), None, None, "extract directory does not exist"))
        return result
    for entity in load_contract().values():
        path = raw_file(directory, entity.name, fmt)
        if path is None:
            result.problems.append(_missing_file(entity, directory / f"{entity.name}.{fmt}"))
            continue
        problems, rows = _check_csv(entity, path) if fmt == "csv" else _check_parquet(entity, path)
        result.problems.extend(problems)
        if rows is None:
            continue
        result.row_counts[entity.name] = rows
        if rows == 0 and not any(p.severity == "error" for p in problems):
            result.problems.append(_no_rows(entity, path.name, entity.name in absent))
    return result


def raw_file(directory: Path, entity: str, fmt: str) -> Path | None:
    """The file the door reads for an entity: <entity>.<fmt>, or a gzip-compressed <entity>.csv.gz."""
    for name in (f"{entity}.{fmt}", f"{entity}.csv.gz") if fmt == "csv" else (f"{entity}.{fmt}",):
        if (directory / name).is_file():
            return directory / name
    return None


def _no_rows(entity: Entity, file: str, declared_absent: bool) -> Problem:
    if entity.optional or declared_absent:
        return Problem(file, None, None, "file has a header but no data rows", "warning")
    message = (
        f"required entity {entity.name} has a header but no data rows; its metrics would read as zero."
        f" Export its rows, or declare it absent (var crm_absent_entities: [{entity.name}]) to build it empty"
        " with its metrics null"
    )
    return Problem(file, None, None, message)


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
    problems = _duplicate_columns(file, found) + _reserved_columns(file, found)
    if problems:
        return problems
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


def _duplicate_columns(file: str, found: list[str]) -> list[Problem]:
    problems = []
    for name in dict.fromkeys(found):
        positions = [str(i + 1) for i, h in enumerate(found) if h == name]
        if len(positions) > 1:
            where = " and ".join(positions)
            message = f"column {name!r} appears {len(positions)} times (columns {where}); keep one"
            problems.append(Problem(file, 1, name, message))
    return problems


def _reserved_columns(file: str, found: list[str]) -> list[Problem]:
    return [
        Problem(
            file,
            1,
            name,
            f"column name {name!r} is reserved for the warehouse's bookkeeping (names {', '.join(RESERVED_COLUMNS)}"
            f" and {RESERVED_PREFIX}*); rename or drop the column",
        )
        for name in dict.fromkeys(found)
        if name in RESERVED_COLUMNS or name.startswith(RESERVED_PREFIX)
    ]


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def _check_csv(entity: Entity, path: Path) -> tuple[list[Problem], int | None]:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if not path.name.endswith(".gz") and start.startswith(GZIP_MAGIC):
        message = f"file is gzip-compressed: rename it to {path.name}.gz (read as is) or decompress it"
        return [Problem(path.name, None, None, message)], None
    try:
        with _open_binary(path) as handle:
            start = handle.read(4096)
            ending = _mixed_line_ending(path.name, handle, start)
    except (OSError, EOFError) as err:  # a truncated or corrupt .gz
        return [Problem(path.name, None, None, f"not a readable gzip file: {err}")], None
    if not start.removeprefix(b"\xef\xbb\xbf").strip():
        expected = ",".join(entity.column_names)
        return [Problem(path.name, None, None, f"file is empty; expected a header row: {expected}")], None
    try:
        # Streamed, so a multi-gigabyte extract is checked without loading it whole. utf-8-sig drops a BOM,
        # which the engine ignores too.
        with _open_text(path) as handle:
            problems, rows = _check_csv_rows(entity, path.name, csv.reader(handle))
    except UnicodeDecodeError as err:
        with _open_binary(path) as handle:
            return [_encoding_problem(path.name, handle.read(), err)], None
    if ending is not None and not any(p.severity == "error" for p in problems):
        problems.append(ending)
    return problems, rows


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _mixed_line_ending(file: str, handle: IO[bytes], start: bytes) -> Problem | None:
    """The first line ending that differs from the first line's: the engine's strict CSV reader rejects a file
    mixing LF and CRLF. Newlines inside quoted values do not count (quote parity per physical line)."""
    first: bytes | None = None
    in_quotes = False
    lines = _physical_lines(start, handle)
    for number, line in enumerate(lines, start=1):
        in_quotes ^= line.count(b'"') % 2 == 1
        if in_quotes or not line.endswith(b"\n"):
            continue
        ending = b"\r\n" if line.endswith(b"\r\n") else b"\n"
        if first is None:
            first = ending
        elif ending != first:
            names = {b"\n": "LF", b"\r\n": "CRLF"}
            message = (
                f"mixed line endings: this line ends with {names[ending]}, line 1 with {names[first]};"
                " convert the file to one line ending (e.g. dos2unix)"
            )
            return Problem(file, number, None, message)
    return None


def _physical_lines(start: bytes, handle: IO[bytes]) -> Iterator[bytes]:
    pending = start
    for line in handle:
        pending += line
        if pending.endswith(b"\n"):
            yield from pending.splitlines(keepends=True)
            pending = b""
    if pending:
        yield from pending.splitlines(keepends=True)


def _check_csv_rows(entity: Entity, file: str, rows: Iterator[list[str]]) -> tuple[list[Problem], int | None]:
    header = next(rows)
    first_line = ",".join(header).strip()  # `sep=,` parses as two fields
    if EXCEL_SEP_LINE.match(first_line):
        message = f"first line is Excel's {first_line!r} line, not the header: remove the 'sep=' line"
        return [Problem(file, 1, None, message)], None
    if len(header) == 1 and len(entity.columns) > 1:
        used = [d for d in OTHER_DELIMITERS if d in header[0]]
        if used:
            message = f"wrong delimiter: the header is separated by {used[0]!r}; the contract expects commas"
            return [Problem(file, 1, None, message)], None
    problems = _header_problems(entity, file, header)
    if any(p.severity == "error" for p in problems):
        return problems, None
    data_rows = 0
    for line, row in _numbered(rows):
        if not row:  # a blank line carries no record
            continue
        data_rows += 1
        if len(row) != len(header):
            message = f"row has {len(row)} fields, the header has {len(header)} (unquoted comma or cut line?)"
            problems.append(Problem(file, line, None, message))
    return problems, data_rows


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


def _check_parquet(entity: Entity, path: Path) -> tuple[list[Problem], int | None]:
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
    except Exception as err:  # pyarrow raises several types for unreadable files
        return [Problem(path.name, None, None, f"not a readable Parquet file: {err}")], None
    problems = _header_problems(entity, path.name, list(metadata.schema.to_arrow_schema().names))
    return problems, None if any(p.severity == "error" for p in problems) else metadata.num_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--absent", nargs="*", default=[], help="entities declared absent (crm_absent_entities)")
    parser.add_argument("--row-counts", type=Path, help="write the record count per entity to this JSON file")
    args = parser.parse_args(argv)
    result = run_preflight(args.directory, args.format, args.absent)
    problems = result.problems
    if args.row_counts is not None:
        args.row_counts.write_text(json.dumps(result.row_counts, indent=2, sort_keys=True) + "\n")
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
