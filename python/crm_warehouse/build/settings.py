"""What a build reads from its environment and command line, merged into one set of dbt vars.

Extract: CRM_RAW_DIR, CRM_RAW_FORMAT, CRM_MAPPING. dbt vars: --vars (YAML or JSON text, Make's VARS) win over
the env shortcuts for the common ones, which win over the mapping's vars, which win over dbt_project.yml.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from crm_warehouse import PROJECT_ROOT

# Env var -> dbt var, for the overrides a user reaches for first.
ENV_SHORTCUTS = {
    "CRM_AS_OF_DATE": "as_of_date",
    "CRM_QUARANTINE_ERROR_SHARE": "quarantine_error_share",
    "CRM_QUARANTINE_WARN_SHARE": "quarantine_warn_share",
}


# The CRMs a build can read (dbt var crm_source; macros/sources/crm_source_entities.sql lists what each fills).
CRM_SOURCES = ("contract", "salesforce", "hubspot")


class SettingsError(ValueError):
    """A setting the user gave cannot be used; the message says which and why."""


@dataclass(frozen=True)
class BuildSettings:
    raw_dir: str | None  # a local directory (absolute) or a URL; None = the demo extract
    raw_format: str
    mapping: Path | None
    explicit_vars: dict[str, object]  # --vars (Make's VARS), as the user gave them
    shortcut_vars: dict[str, object]  # set by the env shortcuts (CRM_AS_OF_DATE, ...)
    warehouse: Path
    app_copy: Path
    target_path: Path
    log_path: Path
    crm_source: str = "contract"  # CRM_SOURCE: contract | salesforce | hubspot (issue 11)
    source_file_pattern: str = "{table}"  # CRM_SOURCE_FILE_PATTERN: a CRM export's file name, without extension

    @property
    def user_vars(self) -> dict[str, object]:
        return {**self.shortcut_vars, **self.explicit_vars}

    @property
    def is_local_raw_dir(self) -> bool:
        return self.raw_dir is not None and "://" not in self.raw_dir


def parse_vars(text: str | None) -> dict[str, object]:
    """--vars text (YAML flow or JSON) as a mapping; empty text is no vars."""
    if text is None or not text.strip():
        return {}
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise SettingsError(f"VARS is not valid YAML: {err}") from err
    if not isinstance(parsed, dict):
        raise SettingsError(f"VARS must be a mapping such as '{{as_of_date: 2017-12-31}}', not {text!r}")
    return {str(key): value for key, value in parsed.items()}


def env_vars(environ: Mapping[str, str]) -> dict[str, object]:
    """The dbt vars the env shortcuts set (numbers parsed as YAML does, so 0.4 is a number)."""
    found: dict[str, object] = {}
    for env_name, var_name in ENV_SHORTCUTS.items():
        value = environ.get(env_name, "").strip()
        if value:
            found[var_name] = parse_vars(f"{var_name}: {value}")[var_name]
    return found


def _project_path(value: str) -> Path:
    # dbt and the Makefile resolve relative paths against the project root.
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_settings(vars_text: str | None, environ: Mapping[str, str] = os.environ) -> BuildSettings:
    raw_dir = environ.get("CRM_RAW_DIR", "").strip() or None
    if raw_dir is not None and "://" not in raw_dir:
        raw_dir = str(_project_path(raw_dir).resolve())
    raw_format = environ.get("CRM_RAW_FORMAT", "").strip() or "csv"
    if raw_format not in ("csv", "parquet"):
        raise SettingsError(f"CRM_RAW_FORMAT must be csv or parquet, not {raw_format!r}")
    crm_source = environ.get("CRM_SOURCE", "").strip().lower() or "contract"
    if crm_source not in CRM_SOURCES:
        raise SettingsError(f"CRM_SOURCE must be one of {', '.join(CRM_SOURCES)}, not {crm_source!r}")
    source_file_pattern = environ.get("CRM_SOURCE_FILE_PATTERN", "").strip() or "{table}"
    if "{table}" not in source_file_pattern:
        raise SettingsError(f"CRM_SOURCE_FILE_PATTERN must contain {{table}}, not {source_file_pattern!r}")
    mapping_text = environ.get("CRM_MAPPING", "").strip()
    mapping = _project_path(mapping_text).resolve() if mapping_text else None
    if mapping is not None and (raw_dir is None or "://" in raw_dir):
        raise SettingsError("CRM_MAPPING maps the files of a local CRM_RAW_DIR: set CRM_RAW_DIR to the export's folder")
    warehouse = _project_path(environ.get("CRM_DUCKDB_PATH") or "warehouse/crm.duckdb")
    app_copy = _project_path(environ.get("CRM_APP_DUCKDB") or str(warehouse.parent / "crm_app.duckdb"))
    return BuildSettings(
        raw_dir=raw_dir,
        raw_format=raw_format,
        mapping=mapping,
        explicit_vars=parse_vars(vars_text),
        shortcut_vars=env_vars(environ),
        warehouse=warehouse,
        app_copy=app_copy,
        target_path=_project_path(environ.get("DBT_TARGET_PATH") or "target"),
        log_path=_project_path(environ.get("DBT_LOG_PATH") or "logs"),
        crm_source=crm_source,
        source_file_pattern=source_file_pattern,
    )


def project_default(var_name: str) -> object:
    """A var's default in dbt_project.yml (the value dbt uses when no one overrides it)."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    return project["vars"][var_name]


def vars_json(dbt_vars: Mapping[str, object]) -> str:
    """The vars as JSON for `dbt --vars`; YAML dates (as_of_date: 2017-12-31) become 'YYYY-MM-DD' text."""
    return json.dumps(dict(dbt_vars), default=str)


_PLAIN = re.compile(r"^[A-Za-z0-9_.:/+-]+$")


def vars_flow(dbt_vars: Mapping[str, object]) -> str:
    """The vars as the short YAML a user types in VARS='{...}'."""
    items = []
    for key, value in dbt_vars.items():
        text = str(value) if not isinstance(value, str | dict | list | bool) and value is not None else None
        if isinstance(value, str) and _PLAIN.match(value):
            text = value
        items.append(f"{key}: {text if text is not None else json.dumps(value, default=str)}")
    return "{" + ", ".join(items) + "}"
