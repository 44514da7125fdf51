"""python -m crm_warehouse.build [--vars YAML]: map, check, build, report and publish the warehouse.

Environment: CRM_RAW_DIR (your extract; default seeds/demo), CRM_RAW_FORMAT (csv|parquet), CRM_MAPPING (a
mapping file for an export not in the contract's shape), CRM_SOURCE (contract|salesforce|hubspot) and
CRM_SOURCE_FILE_PATTERN (a CRM export's file names, e.g. sf_{table}_data), CRM_DUCKDB_PATH / CRM_APP_DUCKDB
(warehouse and app copy), and the shortcuts CRM_AS_OF_DATE, CRM_QUARANTINE_ERROR_SHARE, CRM_QUARANTINE_WARN_SHARE
(--vars wins).
Exit codes: 0 built and published; 1 the build failed or stopped at a gate, or another build holds the
warehouse's lock; 2 unusable settings or mapping; 3 built and published, but the data-quality summary could not
be read. dbt builds into <warehouse dir>/.building/ and the warehouse is replaced only when the build passes
(build/staging.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from crm_warehouse import PROJECT_ROOT, preflight
from crm_warehouse.build.dbt_run import dbt_build_command, run_dbt_build
from crm_warehouse.build.file_names import detected_file_pattern
from crm_warehouse.build.gate import failure_lines, quarantine_gate_lines
from crm_warehouse.build.quality import (
    ACCOUNTING,
    SOURCE_ACCOUNTING,
    QualitySchemaError,
    WarehouseQuality,
    read_quality,
    read_source_accounting,
)
from crm_warehouse.build.report import source_accounting_lines, summary_lines
from crm_warehouse.build.settings import BuildSettings, SettingsError, load_settings, project_default
from crm_warehouse.build.staging import BuildLock, BuildLocked, acquire_lock, prepare_staging, promote
from crm_warehouse.publish import publish


@dataclass(frozen=True)
class Extract:
    """What dbt reads: the user's directory, or the mapping's contract-shaped copy of it."""

    raw_dir: str
    raw_format: str
    dbt_vars: dict[str, object] = field(default_factory=dict)
    source_files: dict[str, str] = field(default_factory=dict)
    absent_entities: list[str] = field(default_factory=list)


class MappingFailed(Exception):
    """The mapping file does not fit the export; the message names the mapping line at fault."""


def say(*lines: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    for line in lines:
        print(line, file=stream)
    stream.flush()


# The demo extract: CSV files read through the same door (and pre-flight) as a user's, never loaded as seeds.
DEMO_EXTRACT = PROJECT_ROOT / "seeds" / "demo"


def mapped_extract(settings: BuildSettings) -> Extract:
    if settings.raw_dir is None:
        return Extract(str(DEMO_EXTRACT), "csv")
    if settings.mapping is None:
        return Extract(settings.raw_dir, settings.raw_format)
    # Imported here: only a mapped build needs it (and its dependencies).
    from crm_warehouse.mapping import MappingError, apply_mapping

    out_dir = settings.warehouse.parent / "mapped_extract"
    try:
        mapped = apply_mapping(settings.mapping, Path(settings.raw_dir), out_dir)
    except MappingError as err:
        raise MappingFailed(str(err)) from err
    # The mapping's own pre-flight warnings and notes (uncovered values, constants used), if it reports any.
    for problem in getattr(mapped, "problems", []):
        say(str(problem), error=True)
    say(f"Mapped {settings.raw_dir} onto the raw contract with {settings.mapping}: {mapped.raw_dir}")
    return Extract(
        str(mapped.raw_dir),
        mapped.raw_format,
        dict(mapped.dbt_vars),
        dict(mapped.source_files),
        list(mapped.absent_entities),
    )


def preflight_passes(extract: Extract, declared_absent: Collection[str] = ()) -> bool:
    return preflight_row_counts(extract, declared_absent) is not None


def preflight_row_counts(extract: Extract, declared_absent: Collection[str] = ()) -> dict[str, int] | None:
    """File-level checks of the extract dbt will read: its record count per entity, or None when an error stops
    the build. The entities a mapping said are absent are not news; those and the ones the user declares absent
    (var crm_absent_entities) may be header-only though required."""
    directory = Path(str(extract.raw_dir))
    result = preflight.run_preflight(directory, extract.raw_format, [*extract.absent_entities, *declared_absent])
    problems = [
        p
        for p in result.problems
        if not (p.severity == "warning" and p.file.split(".", 1)[0] in extract.absent_entities)
    ]
    say(*map(str, problems), error=True)
    if any(p.severity == "error" for p in problems):
        return None
    say(f"pre-flight: {directory} matches the raw contract", error=True)
    return result.row_counts


def source_tables(crm_source: str) -> dict[str, list[str]] | None:
    """A CRM source's required tables and the columns each must have: the tables of its dbt source YAML
    (models/staging/<source>/_<source>__sources.yml) not marked meta.optional, their columns not marked
    meta.optional. None when the source has no YAML yet."""
    path = PROJECT_ROOT / "models" / "staging" / crm_source / f"_{crm_source}__sources.yml"
    if not path.exists():
        return None
    document = yaml.safe_load(path.read_text()) or {}
    tables: dict[str, list[str]] = {}
    for source in document.get("sources", []):
        for table in source.get("tables", []):
            if (table.get("meta") or {}).get("optional"):
                continue
            columns = table.get("columns", [])
            tables[table["name"]] = [c["name"] for c in columns if not (c.get("meta") or {}).get("optional")]
    return tables


def with_detected_file_pattern(settings: BuildSettings) -> BuildSettings:
    """The settings with the export's file-name pattern when CRM_SOURCE_FILE_PATTERN was left unset and the files
    follow one (sf_{table}_data.csv); said on the terminal, so the user knows which files were read."""
    tables = source_tables(settings.crm_source)
    if settings.source_file_pattern != "{table}" or not tables:
        return settings
    pattern = detected_file_pattern(Path(str(settings.raw_dir)), list(tables), settings.raw_format)
    if pattern is None:
        return settings
    say(
        f"pre-flight: the {settings.crm_source} files are named {pattern}.{settings.raw_format} (detected; set"
        " CRM_SOURCE_FILE_PATTERN to choose another pattern)",
        error=True,
    )
    return dataclasses.replace(settings, source_file_pattern=pattern)


def source_preflight_passes(settings: BuildSettings) -> bool:
    """A CRM export's pre-flight: each required table's file exists in CRM_RAW_DIR under the name pattern, with
    the columns the adapter reads (header only; the contract's value checks run in dbt's door as always)."""
    tables = source_tables(settings.crm_source)
    directory = Path(str(settings.raw_dir))
    if tables is None:
        say(f"pre-flight: skipped for CRM_SOURCE={settings.crm_source} (it declares no tables yet)", error=True)
        return True
    errors: list[str] = []
    for table, columns in tables.items():
        name = settings.source_file_pattern.replace("{table}", table) + "." + settings.raw_format
        file = directory / name
        if not file.exists():
            errors.append(f"pre-flight error: {file}: missing ({settings.crm_source} table {table})")
            continue
        relation = (
            "read_csv(?, all_varchar = true, header = true)" if settings.raw_format == "csv" else "read_parquet(?)"
        )
        with duckdb.connect() as connection:
            header = [
                row[0].lower()
                for row in connection.execute(f"describe select * from {relation}", [str(file)]).fetchall()
            ]
        missing = [column for column in columns if column.lower() not in header]
        if missing:
            errors.append(
                f"pre-flight error: {file}: lacks column(s) {', '.join(missing)} ({settings.crm_source} table {table})"
            )
    say(*errors, error=True)
    if errors:
        return False
    say(f"pre-flight: {directory} has the {settings.crm_source} tables the adapter reads ({len(tables)})", error=True)
    return True


def declared_absent(dbt_vars: Mapping[str, object]) -> list[str]:
    """Var crm_absent_entities as the user gave it: a list, or a comma-separated text."""
    value = dbt_vars.get("crm_absent_entities") or []
    items = value.split(",") if isinstance(value, str) else value
    return [str(item).strip() for item in items if str(item).strip()]  # type: ignore[union-attr]


def _share_var(name: str, dbt_vars: dict[str, object]) -> float:
    return float(dbt_vars.get(name, project_default(name)))  # type: ignore[arg-type]


def build(settings: BuildSettings) -> int:
    """One build at a time per warehouse: a second one stops at once, naming the first one's pid."""
    try:
        lock = acquire_lock(settings.warehouse)
    except BuildLocked as err:
        say(str(err), error=True)
        return 1
    try:
        return _locked_build(settings, lock)
    except KeyboardInterrupt:
        # Ctrl-C stops dbt too (same process group); the staging file is left for the next build to remove.
        unchanged = f"Build interrupted: the warehouse {settings.warehouse} is unchanged (the last good build)."
        say("", unchanged, error=True)
        return 130
    finally:
        lock.release()


def _locked_build(settings: BuildSettings, lock: BuildLock) -> int:
    try:
        extract = mapped_extract(settings)
    except MappingFailed as err:
        say(f"mapping: {err}", error=True)
        return 2
    if extract.absent_entities:
        say(f"Not in the export (built empty): {', '.join(extract.absent_entities)}")
    # The user's vars win over the mapping's, which win over dbt_project.yml.
    dbt_vars = {**extract.dbt_vars, **settings.user_vars}
    local = extract.raw_dir is not None and "://" not in extract.raw_dir
    preflight_env = {"CRM_PREFLIGHT_ROW_COUNTS": ""}  # never a stale value from the calling shell
    if settings.crm_source != "contract":
        if settings.raw_dir is None:
            say(f"CRM_SOURCE={settings.crm_source} reads a {settings.crm_source} export: set CRM_RAW_DIR", error=True)
            return 2
        if local:
            settings = with_detected_file_pattern(settings)
        if local and not source_preflight_passes(settings):
            say("Build stopped by pre-flight: fix the files named above, then run make build again.", error=True)
            return 1
    elif local:
        row_counts = preflight_row_counts(extract, declared_absent(dbt_vars))
        if row_counts is None:
            say("Build stopped by pre-flight: fix the files named above, then run make build again.", error=True)
            return 1
        # The row accounting stops the build when the engine reads a file short of these (issue 10, item 1).
        # An env var, not a dbt var: new --vars make dbt re-parse the whole project (macro crm_preflight_row_counts).
        preflight_env = {"CRM_PREFLIGHT_ROW_COUNTS": json.dumps(row_counts, sort_keys=True)}
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    # dbt writes a staging copy; the queried warehouse changes only when the build passes (issue 10, item 14).
    staging = prepare_staging(settings.warehouse)
    say(f"dbt build from {extract.raw_dir} into {staging} (swapped into {settings.warehouse} when it passes)")
    env = {
        "CRM_RAW_DIR": extract.raw_dir,
        "CRM_RAW_FORMAT": extract.raw_format,
        "CRM_SOURCE": settings.crm_source,
        "CRM_SOURCE_FILE_PATTERN": settings.source_file_pattern,
        "CRM_DUCKDB_PATH": str(staging),
        **preflight_env,
    }
    command = dbt_build_command(dbt_vars, settings.target_path)
    # dbt inherits the lock: if this process is killed, a still-running dbt keeps other builds out.
    run = run_dbt_build(command, env, settings.target_path, pass_fds=(lock.fd,))

    quality: WarehouseQuality | None = None
    summary_failed = False
    if run.built(ACCOUNTING):  # else its rows are a previous build's, or there are none
        try:
            quality = read_quality(staging)
        except QualitySchemaError as err:
            say(f"data-quality summary: {err}", error=True)
            summary_failed = True
    if settings.crm_source != "contract" and run.built(SOURCE_ACCOUNTING):
        say(*source_accounting_lines(settings.crm_source, read_source_accounting(staging)))
    if quality is not None:
        say(*summary_lines(quality, extract.source_files, _share_var("quarantine_warn_share", dbt_vars)))
    elif not summary_failed:
        say("", "Data quality: not reported (the build stopped before data_quality__row_accounting was rebuilt).")

    if run.returncode != 0 or run.failures:
        gate_explained = run.stopped_on_quarantine_gate and quality is not None
        if run.stopped_on_quarantine_gate and quality is not None:
            error_share = _share_var("quarantine_error_share", dbt_vars)
            min_rows = int(_share_var("quarantine_error_min_rows", dbt_vars))
            staged = dataclasses.replace(settings, warehouse=staging)
            say(*quarantine_gate_lines(quality, error_share, staged, extract.source_files, min_rows))
        say(*failure_lines(run, settings.log_path, gate_explained))
        kept = "is unchanged (the last good build)" if settings.warehouse.is_file() else "was not created"
        say(f"The warehouse {settings.warehouse} {kept}; this build's tables: {staging}")
        return 1

    try:
        promote(staging, settings.warehouse)
    except (duckdb.Error, RuntimeError) as err:
        say(f"build: could not swap {staging} into {settings.warehouse}: {err}", error=True)
        return 1
    try:
        published = publish(settings.warehouse, settings.app_copy, settings.target_path / "semantic_manifest.json")
    except (FileNotFoundError, RuntimeError) as err:
        say(f"publish: {err}", error=True)
        return 1
    say("", f"Warehouse built: {settings.warehouse}", f"App copy published (read-only): {published}")
    return 3 if summary_failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_warehouse.build", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--vars", default=None, help="dbt vars as YAML or JSON, e.g. '{as_of_date: 2017-12-31}' (Make's VARS)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.vars)
    except SettingsError as err:
        say(f"build: {err}", error=True)
        return 2
    return build(settings)
