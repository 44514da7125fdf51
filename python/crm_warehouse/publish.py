"""Publish the built warehouse as a read-only copy for the app, swapped in atomically.

`dbt build` holds a write lock on the warehouse while it rebuilds it; the app reads only this published copy,
so it keeps serving the last good data during a rebuild and picks up the new file on its next query.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

DEFAULT_SOURCE = Path("warehouse/crm.duckdb")
DEFAULT_TARGET = Path("warehouse/crm_app.duckdb")
# A table every complete build has: a copy without it is not published.
SENTINEL_TABLE = "kpi_overview"


def source_path() -> Path:
    return Path(os.environ.get("CRM_DUCKDB_PATH") or DEFAULT_SOURCE)


def published_path() -> Path:
    return Path(os.environ.get("CRM_APP_DUCKDB") or DEFAULT_TARGET)


def publish(source: Path, target: Path) -> Path:
    """Copy `source` to a temp file next to `target`, check it opens and has the marts, then os.replace it."""
    if not source.is_file():
        raise FileNotFoundError(f"warehouse {source} does not exist: run `make build` first")
    if Path(f"{source}.wal").exists():
        # A write-ahead log means a writer is still open (or crashed): the file alone is not a consistent copy.
        raise RuntimeError(f"warehouse {source} has a pending write-ahead log ({source}.wal): is dbt still running?")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(source, tmp)
        with duckdb.connect(str(tmp), read_only=True) as con:
            found = con.execute(
                "select count(*) from information_schema.tables where table_schema = 'main' and table_name = ?",
                [SENTINEL_TABLE],
            ).fetchone()
        if not found or found[0] == 0:
            raise RuntimeError(f"warehouse {source} has no main.{SENTINEL_TABLE}: the build is incomplete")
        tmp.chmod(0o444)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=None, help="built warehouse (default: $CRM_DUCKDB_PATH)")
    parser.add_argument("--target", type=Path, default=None, help="published copy (default: $CRM_APP_DUCKDB)")
    args = parser.parse_args(argv)
    try:
        target = publish(args.source or source_path(), args.target or published_path())
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 1
    print(f"Published the app's read-only warehouse: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
