"""What the terminal says when a build stops: which gate, which entity, why, and the exact way forward."""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping
from pathlib import Path

from crm_warehouse.build.dbt_run import QUARANTINE_GATE_TEST, DbtRun
from crm_warehouse.build.quality import EntityQuality, WarehouseQuality
from crm_warehouse.build.report import duplicate_keys_text, entity_label, sample_text
from crm_warehouse.build.settings import BuildSettings, vars_flow

ANALYSIS = "analyses/quarantine_by_entity_and_reason.sql"


def share_above(share: float) -> float:
    """The smallest whole percent strictly above share (the gate fails when share > threshold), at most 1."""
    percent = math.floor(share * 100) + 1
    if percent / 100 <= share:  # floating point put share just above a whole percent
        percent += 1
    return min(percent, 100) / 100


def make_command(settings: BuildSettings, extra_vars: Mapping[str, object]) -> str:
    """The `make build` line that repeats this build with extra_vars added to the user's VARS."""
    parts = ["make build"]
    if settings.raw_dir:
        parts.append(f"CRM_RAW_DIR={shlex.quote(settings.raw_dir)}")
    if settings.raw_format != "csv":
        parts.append(f"CRM_RAW_FORMAT={settings.raw_format}")
    if settings.crm_source != "contract":
        parts.append(f"CRM_SOURCE={settings.crm_source}")
    if settings.source_file_pattern != "{table}":
        parts.append(f"CRM_SOURCE_FILE_PATTERN={shlex.quote(settings.source_file_pattern)}")
    if settings.mapping:
        parts.append(f"CRM_MAPPING={shlex.quote(str(settings.mapping))}")
    parts.append(f"VARS='{vars_flow({**settings.explicit_vars, **extra_vars})}'")
    return " ".join(parts)


def quarantine_gate_lines(
    quality: WarehouseQuality,
    error_share: float,
    settings: BuildSettings,
    source_files: Mapping[str, str] | None = None,
    error_min_rows: int = 0,
) -> list[str]:
    over: list[EntityQuality] = sorted(
        (e for e in quality.entities if e.quarantine_share > error_share and e.quarantined_rows >= error_min_rows),
        key=lambda e: e.quarantine_share,
        reverse=True,
    )
    lines = [
        "",
        f"Build stopped by the quarantine gate: more than {error_share:.0%} of an entity's rows were quarantined"
        f" (quarantine_error_share = {error_share:g}).",
    ]
    for entity in over:
        lines.append(
            f"  {entity_label(entity.entity, source_files or {})}: {entity.quarantine_share:.1%} quarantined"
            f" ({entity.quarantined_rows:,} of {entity.raw_rows:,} rows), threshold {error_share:.0%}."
            " Top reasons:"
        )
        lines.extend(f"    {r.rows:>8,}  {r.column} {r.check}  {sample_text(r)}" for r in entity.reasons)
        if entity.duplicate_keys is not None:
            # dbt says only "Got 2 results": name the entity, the key column, the key and the row count.
            label = entity_label(entity.entity, source_files or {})
            lines.append(f"  {label}: {duplicate_keys_text(entity.duplicate_keys)}.")
    if not over:
        lines.append("  (no entity is above the threshold in the row accounting: see the dbt output above)")
        return lines
    override = share_above(over[0].quarantine_share)
    lines += [
        "Fix those rows in the extract (or map them, CRM_MAPPING), or build anyway with a higher threshold:",
        f"  {make_command(settings, {'quarantine_error_share': float(f'{override:.2f}')})}",
        f"Inspect the quarantined rows (warehouse {settings.warehouse}):",
        *(
            f"  select * from {quality.quarantine_table} where entity = '{e.entity}' order by source_row_number;"
            for e in over
        ),
        f"  counts by entity and reason: {ANALYSIS} (dbt compile --select quarantine_by_entity_and_reason)",
    ]
    return lines


def failure_lines(run: DbtRun, log_dir: Path, gate_explained: bool) -> list[str]:
    """Every failed node (but the quarantine gate when its message said it all), with dbt's first message line."""
    others = [r for r in run.failures if not (gate_explained and QUARANTINE_GATE_TEST in r.unique_id)]
    if not others and run.results and (run.failures or run.returncode == 0):
        return []
    lines = ["", "Build failed:"]
    for result in others:
        message = (result.message or "").strip().splitlines()
        lines.append(f"  {result.status}: {result.unique_id}" + (f": {message[0]}" if message else ""))
    if not run.results:
        lines.append(f"  dbt stopped before running any node (exit code {run.returncode})")
    elif not others:
        lines.append(f"  dbt exited with code {run.returncode}")
    lines.append(f"See dbt's output above for details; the full log is {log_dir / 'dbt.log'}.")
    return lines
