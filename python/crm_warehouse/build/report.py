"""The terminal's data-quality table: per entity where its raw rows went, and why."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from crm_warehouse.build.quality import DuplicateKeys, EntityQuality, Issue, SourceTableRows, WarehouseQuality

WIDTH = 110
SAMPLE_CHARS = 40
HEADER = ("entity", "raw", "valid", "flagged", "quarantined", "share", "collapsed")


def entity_label(entity: str, source_files: Mapping[str, str]) -> str:
    """The entity, with the user's file name when a mapping renamed it."""
    source = source_files.get(entity)
    return f"{entity} ({source})" if source and source.split(".")[0] != entity else entity


def sample_text(issue: Issue) -> str:
    where = f"row {issue.sample_row}" + (f", key {issue.sample_key}" if issue.sample_key else "")
    if issue.sample_value is not None:
        value = issue.sample_value
        value = value if len(value) <= SAMPLE_CHARS else value[: SAMPLE_CHARS - 3] + "..."
        return f"e.g. {where}: {value!r}"
    if issue.check == "missing_required":
        return f"e.g. {where}: empty"
    return f"e.g. {where}"


def duplicate_keys_text(duplicates: DuplicateKeys) -> str:
    """Duplicate keys in plain words: how many rows, on which key column, and the key that repeats most."""
    rows = f"{duplicates.rows:,} row" + ("s" if duplicates.rows != 1 else "")
    if duplicates.keys == 1:
        which = f"all share {duplicates.column} {duplicates.top_key!r}"
    else:
        which = (
            f"{duplicates.keys:,} different keys, most often {duplicates.column} {duplicates.top_key!r}"
            f" ({duplicates.top_key_rows:,} rows)"
        )
    return (
        f"duplicate key: {rows} have the same {duplicates.column} as another row of the file but other values"
        f" ({which}); only the newest row of each key is kept, the older versions are quarantined"
    )


def issue_what(issue: Issue) -> str:
    return f"{issue.column} {issue.check}" + (f" ({issue.action})" if issue.action else "")


def issue_line(issue: Issue, what_width: int) -> str:
    rows = f"{issue.rows:,} row" + ("" if issue.rows == 1 else "s")
    return f"    {issue.kind:<12} {issue_what(issue):<{what_width}} {rows:>12}  {sample_text(issue)}"


def _row(values: tuple[str, ...], label_width: int) -> str:
    label, *numbers = values
    return f"{label:<{label_width}}" + "".join(f"{n:>{len(h) + 3}}" for n, h in zip(numbers, HEADER[1:], strict=True))


def entity_row(quality: EntityQuality, label: str, label_width: int) -> str:
    return _row(
        (
            label,
            f"{quality.raw_rows:,}",
            f"{quality.valid_rows:,}",
            f"{quality.flagged_rows:,}",
            f"{quality.quarantined_rows:,}",
            f"{quality.quarantine_share:.1%}",
            f"{quality.exact_duplicates_collapsed:,}",
        ),
        label_width,
    )


def summary_lines(
    quality: WarehouseQuality, source_files: Mapping[str, str] | None = None, warn_share: float | None = None
) -> list[str]:
    files = source_files or {}
    noteworthy = [e for e in quality.entities if not e.is_clean]
    clean = [e for e in quality.entities if e.is_clean and e.raw_rows > 0]
    empty = [e for e in quality.entities if e.raw_rows == 0]
    lines = ["", "Data quality: where every raw row went (raw = valid + flagged + quarantined + collapsed duplicates)"]
    if noteworthy:
        labels = {e.entity: entity_label(e.entity, files) for e in noteworthy}
        width = max(len(HEADER[0]), *(len(label) for label in labels.values())) + 2
        lines.append(_row(HEADER, width))
        what_width = max((len(issue_what(i)) for e in noteworthy for i in e.issues), default=0)
        for entity in noteworthy:
            lines.append(entity_row(entity, labels[entity.entity], width))
            lines.extend(issue_line(issue, what_width) for issue in entity.reasons + entity.flags)
            if entity.superseded_versions:
                lines.append(f"    (quarantined includes {entity.superseded_versions:,} older versions of a key)")
    if clean:
        listed = ", ".join(f"{entity_label(e.entity, files)} {e.raw_rows:,}" for e in clean)
        lines.extend(
            textwrap.wrap(
                f"Every row valid ({len(clean)} {'entity' if len(clean) == 1 else 'entities'}, raw rows): {listed}",
                WIDTH,
            )
        )
    if empty:
        listed = ", ".join(e.entity for e in empty)
        lines.extend(textwrap.wrap(f"No rows (built empty; metrics that need them are null): {listed}", WIDTH))
    warned = [e for e in noteworthy if warn_share is not None and e.quarantine_share > warn_share]
    if warned:
        listed = ", ".join(f"{e.entity} {e.quarantine_share:.1%}" for e in warned)
        lines.append(f"Warning: quarantine share above quarantine_warn_share ({warn_share:g}): {listed}")
    if noteworthy:
        lines.append(
            f"Rows: select * from {quality.quarantine_table} where entity = '...'"
            + (f" (flags: {quality.value_issues_table})" if quality.value_issues_table else "")
        )
    return lines


def source_accounting_lines(crm_source: str, rows: Sequence[SourceTableRows]) -> list[str]:
    """The driver's lines on a CRM export's tables: rows read, left out (and why), mapped onto the contract."""
    if not rows:
        return []
    width = max(len(row.source_table) for row in rows)
    lines = ["", f"{crm_source} export, per table: rows read = left out + mapped onto the contract entity"]
    for row in rows:
        why = f" ({row.exclusion_reason})" if row.rows_excluded and row.exclusion_reason else ""
        lines.append(
            f"  {row.source_table:<{width}}  read {row.rows_read:>8,}  left out {row.rows_excluded:>7,}{why}"
            f"  mapped {row.rows_mapped:>8,} -> {row.entity}"
        )
    return lines
