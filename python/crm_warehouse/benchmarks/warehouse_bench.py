"""Warehouse benchmark (`make bench`): generate, build, append 1% and rebuild, query; beside two references.

    python -m crm_warehouse.benchmarks.warehouse_bench [--scales 1,10,100] [--csv-scales 10]
        [--salesforce-scales 10] [--work DIR]

Per scale and format it prints rows per entity; wall seconds of `dbt build` split into models + snapshot and
tests; an incremental build after appending 1% new rows; peak RSS of each step; warehouse size; p50/p95 of
every query the app's pages run; and in the same run (a) the limit: DuckDB alone reading, typing and
de-duplicating the same files, one statement per entity, with the ratio of our staging + validation to it,
and (b) the peer: a plain pandas script computing headline figures from the same files
(benchmarks/pandas_peer.py), with the ratio of our full build to it. Times are wall seconds on this machine;
record the table in BENCHMARKS.md together with `nproc` and memory. The same world generated as a Fivetran
Salesforce export (`generate --dialect salesforce`) is built with CRM_SOURCE=salesforce beside it (models, tests,
publish), so the adapter's cost shows next to the contract build's.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import Entity, load_contract
from crm_warehouse.generate import generate

DBT = str(Path(sys.executable).parent / "dbt")
# DuckDB types of the contract's logical types, for the reference statement (text types stay varchar).
REFERENCE_TYPES = {
    "timestamp": "timestamptz",
    "date": "date",
    "decimal": "decimal(18, 4)",
    "integer": "bigint",
    "boolean": "boolean",
}
STAGING_AND_DOOR = (["staging"], ["intermediate", "quarantine"])


@dataclass
class Step:
    wall: float
    peak_rss_mb: float


@dataclass
class ScaleResult:
    scale: str
    fmt: str
    rows: dict[str, int]
    steps: dict[str, Step] = field(default_factory=dict)
    staging_and_door_node_seconds: float = 0.0
    reference_seconds: float = 0.0
    peer_seconds: float | None = None
    warehouse_mb: float = 0.0
    query_ms: list[float] = field(default_factory=list)


def timed(command: list[str], env: dict[str, str]) -> Step:
    """Run command under /usr/bin/time: its wall seconds and peak resident memory; a failure stops the bench."""
    with tempfile.NamedTemporaryFile(suffix=".time") as report:
        started = time.perf_counter()
        completed = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        peak_kb = float(Path(report.name).read_text().split()[-1])
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stdout[-4000:]}{completed.stderr[-2000:]}")
    return Step(wall, peak_kb / 1024)


def reference_statement(entity: Entity, path: Path, fmt: str) -> str:
    """DuckDB alone: read the file, type every column, keep the latest version of each key."""
    reader = f"read_parquet('{path}')" if fmt == "parquet" else f"read_csv('{path}', all_varchar = true)"
    columns = ", ".join(
        f"try_cast({c.name} as {REFERENCE_TYPES[c.logical_type]}) as {c.name}"
        if c.logical_type in REFERENCE_TYPES
        else f"cast({c.name} as varchar) as {c.name}"
        for c in entity.columns
    )
    keys = ", ".join(entity.primary_key)
    latest = f"{entity.updated_at} desc nulls last" if entity.updated_at else "1"
    return (
        f"create or replace table ref_{entity.name} as select * from (select {columns} from {reader}) "
        f"qualify row_number() over (partition by {keys} order by {latest}) = 1"
    )


def run_reference(extract: Path, fmt: str, verbose: bool) -> float:
    with duckdb.connect() as con:
        started = time.perf_counter()
        for entity in load_contract().values():
            path = extract / f"{entity.name}.{fmt}"
            if not path.exists():
                continue
            statement = reference_statement(entity, path, fmt)
            if verbose:
                print(f"  reference: {statement}")
            con.execute(statement)
        return time.perf_counter() - started


def node_seconds(target: Path, fqn_prefixes: tuple[list[str], ...]) -> float:
    """Summed execution time of the models under the given folders (threads run some of them concurrently)."""
    manifest = json.loads((target / "manifest.json").read_text())["nodes"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    total = 0.0
    for result in results:
        node = manifest.get(result["unique_id"], {})
        folders = node.get("fqn", [])[1:-1]
        if any(folders[: len(prefix)] == prefix for prefix in fqn_prefixes):
            total += result["execution_time"]
    return total


def append_one_percent(extract: Path, fmt: str) -> None:
    """Append 1% new rows to every entity with a one-column key: copies of existing rows under new keys."""
    with duckdb.connect() as con:
        for entity in load_contract().values():
            path = extract / f"{entity.name}.{fmt}"
            if not path.exists() or len(entity.primary_key) != 1:
                continue
            key = entity.primary_key[0]
            reader = f"read_parquet('{path}')" if fmt == "parquet" else f"read_csv('{path}', all_varchar = true)"
            con.execute(f"create or replace temp table current_rows as select * from {reader}")
            con.execute(
                "create or replace temp table new_rows as select * replace (cast("
                f"{key} as varchar) || '-INC' as {key}) from current_rows using sample 1 percent (bernoulli, 7)"
            )
            options = "(format parquet)" if fmt == "parquet" else "(header, delimiter ',')"
            con.execute(
                f"copy (select * from current_rows union all by name select * from new_rows) to '{path}' {options}"
            )


def app_query_ms(app_copy: Path, repeats: int = 5) -> list[float]:
    """Every query the app's pages run (recorded by rendering each page: mart reads and the compiled metric
    queries), each timed on a fresh read-only connection, as the app runs it."""
    from streamlit.testing.v1 import AppTest

    from crm_warehouse.app import queries
    from crm_warehouse.app.main import PAGES

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare-mode warnings of AppTest, not results
    recorded: list[tuple[str, bool, tuple[object, ...]]] = []
    original = queries.read_only

    def record(path: str, sql: str, params):  # type: ignore[no-untyped-def]
        named = isinstance(params, dict)  # a compiled metric query ($name parameters) or a mart read (?)
        recorded.append((sql, named, tuple(params.items()) if named else tuple(params)))
        return original(path, sql, params)

    os.environ["CRM_APP_DUCKDB"] = str(app_copy)
    queries.read_only = record  # type: ignore[assignment]
    try:
        for page in PAGES:
            AppTest.from_string(f"from crm_warehouse.app.main import run\nrun({page!r})", default_timeout=120).run()
    finally:
        queries.read_only = original  # type: ignore[assignment]
    timings = []
    for sql, named, params in dict.fromkeys(recorded):
        bound = dict(params) if named else list(params)
        for _ in range(repeats):
            started = time.perf_counter()
            original(str(app_copy), sql, bound)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_scale(scale: str, fmt: str, work: Path, verbose: bool) -> ScaleResult:
    root = work / f"scale_{scale}_{fmt}"
    extract = root / "extract"
    print(f"== scale {scale} ({fmt}): generating", flush=True)
    rows = generate(extract, scale, seed=42, fmt=fmt, verbose=False)
    result = ScaleResult(scale, fmt, dict(rows))
    target = root / "target"
    env = {
        "CRM_RAW_DIR": str(extract),
        "CRM_RAW_FORMAT": fmt,
        "CRM_DUCKDB_PATH": str(root / "crm.duckdb"),
        "CRM_APP_DUCKDB": str(root / "crm_app.duckdb"),
        "CRM_THREADS": str(os.cpu_count() or 2),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # publish compiles the app's metric queries from this build's semantic manifest
        "DBT_TARGET_PATH": str(root / "target"),
    }
    paths = ["--target-path", str(target), "--log-path", str(root / "logs")]
    steps = {
        "preflight": [sys.executable, "-m", "crm_warehouse.preflight", str(extract), "--format", fmt],
        "models": [DBT, "build", "--quiet", *paths, "--exclude-resource-type", "test", "unit_test"],
    }
    for name, command in steps.items():
        print(f"== scale {scale} ({fmt}): {name}", flush=True)
        result.steps[name] = timed(command, env)
    result.staging_and_door_node_seconds = node_seconds(target, STAGING_AND_DOOR)
    print(f"== scale {scale} ({fmt}): tests", flush=True)
    result.steps["tests"] = timed([DBT, "test", "--quiet", *paths, "--exclude-resource-type", "unit_test"], env)
    result.steps["publish"] = timed([sys.executable, "-m", "crm_warehouse.publish"], env)
    result.warehouse_mb = (root / "crm.duckdb").stat().st_size / 1e6
    print(f"== scale {scale} ({fmt}): app queries", flush=True)
    result.query_ms = app_query_ms(root / "crm_app.duckdb")
    print(f"== scale {scale} ({fmt}): references", flush=True)
    result.reference_seconds = run_reference(extract, fmt, verbose)
    result.peer_seconds = run_peer(extract, fmt)
    print(f"== scale {scale} ({fmt}): incremental build after appending 1%", flush=True)
    append_one_percent(extract, fmt)
    build = [DBT, "build", "--quiet", *paths, "--exclude-resource-type", "unit_test"]
    result.steps["incremental"] = timed(build, env)
    return result


@dataclass
class DialectResult:
    dialect: str
    scale: str
    rows: int
    steps: dict[str, Step] = field(default_factory=dict)
    warehouse_mb: float = 0.0


def bench_dialect(dialect: str, scale: str, work: Path) -> DialectResult:
    """The scale's world as a `dialect` export (CSV), built through the adapter: models, tests, publish."""
    from crm_warehouse.generate.dialects import write_export

    root = work / f"scale_{scale}_{dialect}"
    print(f"== scale {scale} ({dialect} export): generating", flush=True)
    generate(root / "contract", scale, seed=42, fmt="csv", verbose=False)
    rows = write_export(dialect, root / "contract", root / "extract")
    result = DialectResult(dialect, scale, sum(rows.values()))
    env = {
        "CRM_SOURCE": dialect,
        "CRM_RAW_DIR": str(root / "extract"),
        "CRM_RAW_FORMAT": "csv",
        "CRM_DUCKDB_PATH": str(root / "crm.duckdb"),
        "CRM_APP_DUCKDB": str(root / "crm_app.duckdb"),
        "CRM_THREADS": str(os.cpu_count() or 2),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # publish compiles the app's metric queries from this build's semantic manifest
        "DBT_TARGET_PATH": str(root / "target"),
    }
    paths = ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    # Salesforce's Product2 / OpportunityLineItem carry no list price or unit cost, both required by the contract:
    # every product and order line of the export is quarantined, over the default gate; the bench measures the
    # build, so the gate is opened for it (README: Your Salesforce or HubSpot export).
    gate = ["--vars", json.dumps({"quarantine_error_share": 1.0})]
    steps = {
        "models": [DBT, "build", "--quiet", *paths, *gate, "--exclude-resource-type", "test", "unit_test"],
        "tests": [DBT, "test", "--quiet", *paths, *gate, "--exclude-resource-type", "unit_test"],
        "publish": [sys.executable, "-m", "crm_warehouse.publish"],
    }
    for name, command in steps.items():
        print(f"== scale {scale} ({dialect} export): {name}", flush=True)
        result.steps[name] = timed(command, env)
    result.warehouse_mb = (root / "crm.duckdb").stat().st_size / 1e6
    return result


def dialect_report(results: list[DialectResult]) -> str:
    lines = [
        "",
        "| export | scale | export rows | models + snapshot s | tests s | full build s | peak RSS MB | warehouse MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        full = r.steps["models"].wall + r.steps["tests"].wall
        peak = max(step.peak_rss_mb for step in r.steps.values())
        lines.append(
            f"| {r.dialect} | {r.scale} | {r.rows:,} | {r.steps['models'].wall:.1f} | {r.steps['tests'].wall:.1f} "
            f"| {full:.1f} | {peak:,.0f} | {r.warehouse_mb:,.0f} |"
        )
    return "\n".join(lines)


def run_peer(extract: Path, fmt: str) -> float | None:
    try:
        from crm_warehouse.benchmarks.pandas_peer import headline_figures
    except ImportError:  # the peer script is optional while it is being written
        return None
    started = time.perf_counter()
    headline_figures(extract, fmt)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(results: list[ScaleResult]) -> str:
    lines = [
        f"machine: {os.cpu_count()} cores, {_memory_gb():.0f} GB; duckdb {duckdb.__version__}",
        "",
        "| scale | format | raw rows | pre-flight s | models + snapshot s | tests s | full build s | incremental +1% s "
        "| peak RSS MB | warehouse MB | app query p50 / p95 ms | staging+door node s | DuckDB alone s | ratio "
        "| pandas peer s | build / peer |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        full = r.steps["preflight"].wall + r.steps["models"].wall + r.steps["tests"].wall
        peak = max(step.peak_rss_mb for step in r.steps.values())
        peer = f"{r.peer_seconds:.1f}" if r.peer_seconds else "n/a"
        versus_peer = f"{full / r.peer_seconds:.1f}" if r.peer_seconds else "n/a"
        ratio = r.staging_and_door_node_seconds / r.reference_seconds if r.reference_seconds else float("nan")
        lines.append(
            f"| {r.scale} | {r.fmt} | {sum(r.rows.values()):,} | {r.steps['preflight'].wall:.1f} "
            f"| {r.steps['models'].wall:.1f} | {r.steps['tests'].wall:.1f} | {full:.1f} "
            f"| {r.steps['incremental'].wall:.1f} | {peak:,.0f} | {r.warehouse_mb:,.0f} "
            f"| {percentile(r.query_ms, 0.5):.0f} / {percentile(r.query_ms, 0.95):.0f} "
            f"| {r.staging_and_door_node_seconds:.1f} | {r.reference_seconds:.1f} | {ratio:.1f} | {peer} "
            f"| {versus_peer} |"
        )
    lines += ["", "rows per entity:"]
    for r in results:
        per_entity = ", ".join(f"{name} {count:,}" for name, count in sorted(r.rows.items()))
        lines.append(f"- scale {r.scale} ({r.fmt}): {per_entity}")
    lines.append(f"app queries timed: {statistics.fmean(len(r.query_ms) for r in results):.0f} per scale")
    return "\n".join(lines)


def _memory_gb() -> float:
    with open("/proc/meminfo") as meminfo:
        return int(meminfo.readline().split()[1]) / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_warehouse.benchmarks.warehouse_bench")
    parser.add_argument("--scales", default="1,10,100", help="Parquet scales, comma-separated")
    parser.add_argument("--csv-scales", default="10", help="CSV scales, comma-separated (may be empty)")
    parser.add_argument(
        "--salesforce-scales",
        default="10",
        help="scales built from a Salesforce export, comma-separated (may be empty)",
    )
    parser.add_argument("--work", type=Path, help="keep extracts and warehouses here (default: a temp dir)")
    parser.add_argument("--verbose", action="store_true", help="print the reference statements")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="crm_bench_"))
    runs = [(s, "parquet") for s in args.scales.split(",") if s] + [(s, "csv") for s in args.csv_scales.split(",") if s]
    results = [bench_scale(scale, fmt, work, args.verbose) for scale, fmt in runs]
    exports = [bench_dialect("salesforce", scale, work) for scale in args.salesforce_scales.split(",") if scale]
    print(report(results) if results else "")
    if exports:
        print(dialect_report(exports))
    print(f"work directory: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
