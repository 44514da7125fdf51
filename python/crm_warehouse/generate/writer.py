"""Chunked CSV/Parquet writing of contract entities, all columns as text in contract order."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Protocol

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from crm_warehouse.contract import Entity

FORMATS = ("csv", "parquet")


class ChunkFilter(Protocol):
    def __call__(self, entity: str, table: pa.Table) -> pa.Table: ...


class ExtractWriter:
    """Writes `<entity>.<fmt>` files chunk by chunk; a chunk is a dict of formatted string columns."""

    def __init__(
        self,
        out_dir: Path,
        fmt: str,
        contract: dict[str, Entity],
        chunk_filter: ChunkFilter | None = None,
        verbose: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"--format must be one of {FORMATS}, got {fmt!r}")
        self.out_dir = out_dir
        self.fmt = fmt
        self.contract = contract
        self.chunk_filter = chunk_filter
        self.verbose = verbose
        self.rows: dict[str, int] = {}
        self._open: dict[str, tuple[IO[bytes] | None, pacsv.CSVWriter | pq.ParquetWriter]] = {}
        out_dir.mkdir(parents=True, exist_ok=True)

    def schema(self, entity: str) -> pa.Schema:
        return pa.schema([(c, pa.string()) for c in self.contract[entity].column_names])

    def write(self, entity: str, columns: dict[str, pa.Array]) -> None:
        expected = self.contract[entity].column_names
        if sorted(columns) != sorted(expected):
            missing = sorted(set(expected) - set(columns))
            extra = sorted(set(columns) - set(expected))
            raise ValueError(f"{entity}: columns differ from the contract (missing {missing}, extra {extra})")
        table = pa.table([columns[c] for c in expected], schema=self.schema(entity))
        if self.chunk_filter is not None:
            table = self.chunk_filter(entity, table)
        _, writer = self._writer(entity)
        writer.write_table(table)
        self.rows[entity] = self.rows.get(entity, 0) + table.num_rows
        if self.verbose:
            print(f"  {entity}: {self.rows[entity]:,} rows", file=sys.stderr, flush=True)

    def _writer(self, entity: str):
        if entity not in self._open:
            path = self.out_dir / f"{entity}.{self.fmt}"
            schema = self.schema(entity)
            if self.fmt == "csv":
                sink = path.open("wb")
                # Header written by hand so column names are never quoted.
                sink.write((",".join(schema.names) + "\n").encode())
                options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
                self._open[entity] = (sink, pacsv.CSVWriter(sink, schema, write_options=options))
            else:
                self._open[entity] = (None, pq.ParquetWriter(path, schema, compression="zstd"))
        return self._open[entity]

    def close(self) -> dict[str, int]:
        for sink, writer in self._open.values():
            writer.close()
            if sink is not None:
                sink.close()
        self._open.clear()
        return dict(self.rows)
