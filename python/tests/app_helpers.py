"""The warehouse the app tests read: built and published once per session."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dbt_helpers import DBT

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.publish import publish


def app_warehouse() -> Path:
    """CRM_APP_DUCKDB when set (make test publishes it after its build), else the default published copy, else a
    published copy of the default build, else the demo warehouse built once into a temp dir and published."""
    if os.environ.get("CRM_APP_DUCKDB") and Path(os.environ["CRM_APP_DUCKDB"]).is_file():
        return Path(os.environ["CRM_APP_DUCKDB"])
    published = PROJECT_ROOT / "warehouse" / "crm_app.duckdb"
    if published.is_file():
        return published
    work = Path(tempfile.mkdtemp(prefix="crm_app_test_"))
    built = Path(os.environ.get("CRM_DUCKDB_PATH") or PROJECT_ROOT / "warehouse" / "crm.duckdb")
    try:
        return publish(built, work / "crm_app.duckdb")
    except (FileNotFoundError, RuntimeError):
        pass  # never built, or being rebuilt right now: build a private one
    built = work / "crm.duckdb"
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT), "CRM_DUCKDB_PATH": str(built)}
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    subprocess.run([str(DBT), "build", "--quiet", *paths], cwd=PROJECT_ROOT, env=env, check=True)
    return publish(built, work / "crm_app.duckdb")


@contextlib.contextmanager
def serving(published: Path) -> Iterator[Path]:
    """CRM_APP_DUCKDB set to `published` (what the app reads) for the block, then restored."""
    previous = os.environ.get("CRM_APP_DUCKDB")
    os.environ["CRM_APP_DUCKDB"] = str(published)
    try:
        yield published
    finally:
        if previous is None:
            os.environ.pop("CRM_APP_DUCKDB", None)
        else:
            os.environ["CRM_APP_DUCKDB"] = previous
