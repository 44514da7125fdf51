"""One build at a time, into a staging file, swapped in only when it succeeded.

The warehouse users query (CRM_DUCKDB_PATH) is always the last good build: dbt writes into
`<warehouse dir>/.building/<warehouse name>` (same file name, so the DuckDB catalog name, `crm`, is unchanged),
which starts as a copy of the last good file (incremental models and snapshots need its history), is
checkpointed and then os.replace'd over the warehouse. A killed build leaves only the staging directory, which
the next build removes. A lock file next to the warehouse (fcntl.flock, holding the pid) keeps a second build
from writing the same files.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

STAGING_DIR = ".building"


class BuildLocked(RuntimeError):
    """Another build holds the warehouse's lock; the message names its pid and the warehouse."""


@dataclass
class BuildLock:
    """An exclusive flock on `.<warehouse name>.lock`; released when the file is closed (or the process dies)."""

    path: Path
    handle: TextIO

    @property
    def fd(self) -> int:
        return self.handle.fileno()

    def release(self) -> None:
        self.handle.close()


def lock_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.lock"


def acquire_lock(warehouse: Path) -> BuildLock:
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "a+": opening must not truncate the pid of a build that holds the lock.
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        handle.close()
        raise BuildLocked(f"another build (pid {pid}) is running on {warehouse}; wait for it or stop it") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return BuildLock(path, handle)


def staging_path(warehouse: Path) -> Path:
    return warehouse.parent / STAGING_DIR / warehouse.name


def prepare_staging(warehouse: Path) -> Path:
    """A fresh staging file: a copy of the last good warehouse when there is one; a killed build's leftovers go."""
    staging = staging_path(warehouse)
    shutil.rmtree(staging.parent, ignore_errors=True)
    staging.parent.mkdir(parents=True)
    if warehouse.is_file():
        shutil.copyfile(warehouse, staging)
        wal = Path(f"{warehouse}.wal")
        if wal.is_file():  # written by a pre-staging build or a user's own writer: DuckDB replays it on open
            shutil.copyfile(wal, Path(f"{staging}.wal"))
    return staging


def promote(staging: Path, warehouse: Path) -> None:
    """Checkpoint the staging file (no WAL may travel separately), then swap it in atomically."""
    with duckdb.connect(str(staging)) as connection:
        connection.execute("checkpoint")
    if Path(f"{staging}.wal").exists():
        raise RuntimeError(f"{staging} still has a write-ahead log after a checkpoint: is something writing to it?")
    # A stale WAL next to the new file would be replayed against it on the next open.
    Path(f"{warehouse}.wal").unlink(missing_ok=True)
    os.replace(staging, warehouse)
    shutil.rmtree(staging.parent, ignore_errors=True)
