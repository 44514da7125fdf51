"""Running dbt from a test in isolation, and comparing the tables two builds made.

Every run gets its own DuckDB file, target and log directories, so tests can run next to `make build` and
next to each other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import duckdb

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.build.dbt_run import SKIP_UNIT_TESTS
from crm_warehouse.build.settings import ENV_SHORTCUTS

DBT = Path(sys.executable).parent / "dbt"


def run_dbt(
    work_dir: Path,
    raw_dir: Path,
    *args: str,
    database: Path | None = None,
    dbt_vars: dict[str, object] | None = None,
    env_overrides: Mapping[str, str | None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` over the extract in raw_dir, into database (default work_dir/crm.duckdb).

    env_overrides: variables set for this run only (None removes one), e.g. CRM_SOURCE for a CRM adapter's build.
    """
    environ = {**os.environ, **(env_overrides or {})}
    env = {
        **{name: value for name, value in environ.items() if value is not None},
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "CRM_DUCKDB_PATH": str(database or work_dir / "crm.duckdb"),
        "CRM_RAW_DIR": str(raw_dir),
        "CRM_RAW_FORMAT": "csv",
        "CRM_THREADS": "2",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    paths = ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    var_args = ["--vars", json.dumps(dbt_vars)] if dbt_vars else []
    # Unit tests do not depend on the extract: `make test` runs them once (make unit-tests), not in every build.
    skip_unit = SKIP_UNIT_TESTS if args[:1] == ("build",) and "--exclude-resource-type" not in args else []
    return subprocess.run(
        [str(DBT), *args, *paths, *var_args, *skip_unit],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def make_build(work: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A `make build ...` line as a user types it, into work/ (warehouse, app copy, dbt target and logs)."""
    env = {
        **os.environ,
        "CRM_DUCKDB_PATH": str(work / "crm.duckdb"),
        "CRM_APP_DUCKDB": str(work / "crm_app.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "CRM_THREADS": "2",
        "MAKEFLAGS": "",
    }
    for name in ("CRM_RAW_DIR", "CRM_RAW_FORMAT", "CRM_MAPPING", "VARS", *ENV_SHORTCUTS):
        env.pop(name, None)
    return subprocess.run(
        ["bash", "-c", command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


def output_tail(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout[-8000:] + result.stderr[-4000:]


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def table_mismatches(left: Path, right: Path, tables: list[str], schema: str = "main") -> dict[str, int]:
    """Per table, how many rows of left and right differ (0 = same contents, whatever the row order).

    Rows are paired after sorting on every column (exact columns first); doubles match within a relative
    1e-9, since parallel aggregation may change the last bits of a sum between two runs.
    """
    mismatches: dict[str, int] = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as left_db (read_only)")
        connection.execute(f"attach '{right}' as right_db (read_only)")
        for table in tables:
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_catalog = 'left_db' and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            assert columns, f"{schema}.{table} not found in {left}"
            approximate = [f'"{name}"' for name, data_type in columns if data_type in ("DOUBLE", "FLOAT")]
            exact = [f'"{name}"' for name, data_type in columns if data_type not in ("DOUBLE", "FLOAT")]
            order = ", ".join(exact + approximate)
            same = [f"l.{c} is not distinct from r.{c}" for c in exact] + [
                f"((l.{c} is null and r.{c} is null) or abs(l.{c} - r.{c}) <= 1e-9 * greatest(1, abs(l.{c})))"
                for c in approximate
            ]
            (count,) = connection.execute(
                f"""
                with
                l as (select *, row_number() over (order by {order}) as _pair from left_db.{schema}.{table}),
                r as (select *, row_number() over (order by {order}) as _pair from right_db.{schema}.{table})
                select count(*) from l full outer join r on l._pair = r._pair
                where not coalesce({" and ".join(same)}, false)
                """
            ).fetchone()
            mismatches[table] = count
    return mismatches


def row_counts(database: Path, tables: list[str], schema: str = "main") -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {t: connection.execute(f"select count(*) from {schema}.{t}").fetchone()[0] for t in tables}


def tables_in(database: Path, schema: str = "main") -> list[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from information_schema.tables"
            " where table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    return [name for (name,) in rows]


def project_manifest(work: Path) -> Path:
    """The project's semantic manifest (make build writes it), else one `dbt parse` into work."""
    from crm_warehouse.publish import default_manifest

    if default_manifest().is_file():
        return default_manifest()
    result = run_dbt(work, PROJECT_ROOT / "seeds" / "demo", "parse")
    assert_ok(result)
    return work / "target" / "semantic_manifest.json"
