"""Range expectations that follow from a column's name, overridable by the column's dbt meta.

Names are the project's documented conventions: `*_rate` and `*_share` are shares of a whole (0..1),
`nps` is a Net Promoter Score (-100..100), `*_days`/`*_hours`/`*_minutes`/`*_seconds` are durations and
`*_count` are counts (never negative). A column whose meaning breaks the convention (a growth rate can
be negative) says so in its YAML: `meta: {range: [min, max]}` with null for an open end, or
`meta: {range: none}` for no range at all.
"""

from __future__ import annotations

from typing import Any

from crm_warehouse.validate.expectations import Expect

SHARE_SUFFIXES = ("_rate", "_share")
DURATION_SUFFIXES = ("_days", "_hours", "_minutes", "_seconds")
SIGNED_HINTS = ("growth", "delta", "change", "trend", "diff", "gap_vs")


def conventional_range(name: str) -> tuple[float | None, float | None] | None:
    """(min, max) implied by the column name, or None when the name implies nothing."""
    if any(hint in name for hint in SIGNED_HINTS):
        return None
    if name == "nps" or name.endswith("_nps"):
        return (-100, 100)
    if name.endswith(SHARE_SUFFIXES):
        return (0, 1)
    if name.endswith(DURATION_SUFFIXES) or name.endswith("_count"):
        return (0, None)
    return None


def range_expectation(name: str, meta: dict[str, Any]) -> Expect | None:
    """The between-expectation for one column, from its meta `range` or else its name."""
    if "range" in meta:
        declared = meta["range"]
        if declared in (None, "none"):
            return None
        low, high = declared
        why = "documented range (column meta)"
    else:
        implied = conventional_range(name)
        if implied is None:
            return None
        low, high = implied
        why = "naming convention"
    return Expect(
        "ExpectColumnValuesToBeBetween",
        {"column": name, "min_value": low, "max_value": high},
        why,
    )
