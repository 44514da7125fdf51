"""The file-name pattern of a CRM export whose files are not named <table>.<format>.

Connectors and test fixtures name files after the table with a prefix or suffix (the Fivetran samples:
sf_account_data.csv), so `make build CRM_SOURCE=salesforce CRM_RAW_DIR=...` finds them without
CRM_SOURCE_FILE_PATTERN when exactly one pattern fits every table the adapter needs.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path


def detected_file_pattern(directory: Path, tables: Collection[str], raw_format: str) -> str | None:
    """The one '<prefix>{table}<suffix>' under which every table in tables has a file in directory, e.g.
    'sf_{table}_data'. None when the plain names fit, when no pattern fits them all, or when several do."""
    extension = "." + raw_format
    stems = {path.name[: -len(extension)] for path in directory.iterdir() if path.name.endswith(extension)}
    if not tables or all(table in stems for table in tables):
        return None
    anchor = max(tables, key=len)  # the longest name gives the fewest candidate splits
    candidates: set[str] = set()
    for stem in stems:
        start = stem.find(anchor)
        while start != -1:
            candidates.add(stem[:start] + "{table}" + stem[start + len(anchor) :])
            start = stem.find(anchor, start + 1)
    fitting = [
        pattern for pattern in sorted(candidates) if all(pattern.replace("{table}", table) in stems for table in tables)
    ]
    return fitting[0] if len(fitting) == 1 else None
