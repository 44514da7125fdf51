"""What every CRM-export dialect writer shares: reading the contract extract, writing the export's tables with
exactly the columns its sources YAML declares, Fivetran's timestamp text, and copying the contract entities the
CRM does not carry beside the export with their references rewritten to the CRM's ids."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import yaml


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="") as handle:
        yield from csv.DictReader(handle)


def declared_columns(sources_yaml: Path) -> dict[str, list[str]]:
    """{table: [column, ...]} of the first source of a sources YAML, in declared order."""
    document = yaml.safe_load(sources_yaml.read_text())
    return {table["name"]: [c["name"] for c in table["columns"]] for table in document["sources"][0]["tables"]}


def fivetran_timestamp(value: str) -> str:
    """Contract ISO timestamp (2024-03-05T16:45:00Z) as Fivetran writes it (2024-03-05 16:45:00)."""
    return value.replace("T", " ").removesuffix("Z") if value else ""


class DialectExport:
    """Reads a contract extract (CSV) in `source`; writes an export's tables into `out`, counting rows per file."""

    def __init__(self, source: Path, out: Path, columns: dict[str, list[str]]) -> None:
        self.source = source
        self.out = out
        self.columns = columns
        self.rows: dict[str, int] = {}
        out.mkdir(parents=True, exist_ok=True)

    def entity(self, name: str) -> list[dict[str, str]]:
        path = self.source / f"{name}.csv"
        return list(read_rows(path)) if path.is_file() else []

    def write(self, table: str, rows: Iterable[dict[str, str]], columns: list[str] | None = None) -> None:
        """`<table>.csv` with the declared columns of table (or `columns`, for a table the adapter does not read)."""
        with (self.out / f"{table}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns or self.columns[table], restval="", extrasaction="raise")
            writer.writeheader()
            count = 0
            for row in rows:
                writer.writerow(row)
                count += 1
        self.rows[table] = count

    def copy_contract_file(self, name: str, rewrite: Callable[[str], str]) -> None:
        """A contract entity the CRM does not carry, every value passed through rewrite (ids of carried entities)."""
        path = self.source / f"{name}.csv"
        if not path.is_file():
            return
        with path.open(newline="") as source, (self.out / f"{name}.csv").open("w", newline="") as target:
            reader = csv.reader(source)
            writer = csv.writer(target, lineterminator="\n")
            count = -1
            for row in reader:
                writer.writerow(row if count < 0 else [rewrite(value) for value in row])
                count += 1
        self.rows[name] = count

    def copy_other_entities(self, filled: Iterable[str], rewrite: Callable[[str], str]) -> None:
        """Every contract file of the source whose entity the CRM does not fill, as copy_contract_file."""
        skip = set(filled)
        for path in sorted(self.source.glob("*.csv")):
            if path.stem not in skip:
                self.copy_contract_file(path.stem, rewrite)
