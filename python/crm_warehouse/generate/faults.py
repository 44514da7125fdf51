"""`--dirty`: inject the faults real extracts have into the written output, and log each one.

Faults are applied to the first chunk written for an entity. Every faulty row carries exactly one fault
(rows are drawn without replacement per entity, and duplicates are copied from rows left clean), so the
reason the warehouse should give it (`expected`) is unambiguous. `flagged` says whether the warehouse should
keep the row and flag the value (a column the row can live without) rather than quarantine the row; `kept`
faults are values real extracts lack that the warehouse must take as they are (an open deal without amount).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crm_warehouse.contract import Entity
from crm_warehouse.generate.sampling import rng_for


@dataclass(frozen=True)
class Fault:
    fault: str
    entity: str
    column: str | None
    expected: str
    value: str | None = None  # the raw value written, for faults with a fixed value
    flagged: bool = False  # the row is kept with the value flagged (data_quality__value_issues)


FAULTS: tuple[Fault, ...] = (
    Fault("exact_duplicate", "activities", None, "collapsed"),
    Fault("exact_duplicate", "activities", None, "collapsed"),
    Fault("exact_duplicate", "orders", None, "collapsed"),
    Fault("exact_duplicate", "contacts", None, "collapsed"),
    Fault("exact_duplicate", "engagement_events", None, "collapsed"),
    Fault("stale_version", "accounts", "updated_at", "duplicate_key"),
    Fault("stale_version", "opportunities", "updated_at", "duplicate_key"),
    Fault("stale_version", "tickets", "updated_at", "duplicate_key"),
    Fault("stale_version", "leads", "updated_at", "duplicate_key"),
    Fault("messy_id", "orders", "account_id", "normalised"),
    Fault("messy_id", "activities", "user_id", "normalised"),
    Fault("messy_id", "opportunities", "account_id", "normalised"),
    Fault("messy_id", "tickets", "account_id", "normalised"),
    Fault("unparseable_date", "subscriptions", "renewal_date", "unparseable_value", "31/02/2024", flagged=True),
    Fault("unparseable_date", "service_calls", "answered_at", "unparseable_value", "not a date", flagged=True),
    Fault("unparseable_date", "tickets", "resolved_at", "unparseable_value", "2024-13-45T25:00:00Z", flagged=True),
    Fault("future_timestamp", "activities", "occurred_at", "future_timestamp", "2099-06-15T10:30:00Z"),
    Fault("future_timestamp", "orders", "ordered_at", "future_timestamp", "2099-03-01T09:00:00Z"),
    Fault("future_timestamp", "engagement_events", "occurred_at", "future_timestamp", "2099-01-20T08:15:00Z"),
    Fault("negative_amount", "opportunities", "amount", "negative_amount", flagged=True),
    Fault("negative_amount", "order_items", "unit_price", "negative_amount"),
    Fault("missing_amount", "order_items", "quantity", "missing_required"),
    Fault("missing_amount", "order_items", "unit_price", "missing_required"),
    Fault("unknown_stage", "opportunities", "stage", "unknown_enum", "Closed Maybe"),
    Fault("unknown_stage", "opportunities", "stage", "unknown_enum", "Stalled"),
    # A required reference to a row the extract lacks keeps its row (the id for the inferred member), unless the
    # row is a part of its parent: an order line of an unknown order (meta.on_orphan: reject_row).
    Fault("orphan_reference", "orders", "account_id", "orphan_reference", "ACC-999999", flagged=True),
    Fault("orphan_reference", "activities", "opportunity_id", "orphan_reference", "OPP-9999999", flagged=True),
    Fault("orphan_reference", "survey_responses", "account_id", "orphan_reference", "ACC-999998", flagged=True),
    Fault("orphan_reference", "order_items", "order_id", "orphan_reference", "ORD-9999999"),
    Fault("mixed_offset", "activities", "occurred_at", "normalised"),
    Fault("mixed_offset", "tickets", "opened_at", "normalised"),
    Fault("mixed_offset", "orders", "ordered_at", "normalised"),
    Fault("unknown_currency", "orders", "currency", "unknown_currency", "XYZ"),
    Fault("unknown_industry", "accounts", "industry", "unknown_enum", "Telecoms", flagged=True),
    Fault("open_deal_without_amount", "opportunities", "amount", "kept"),
)
OFFSETS = (timedelta(hours=2), timedelta(hours=-5), timedelta(hours=5, minutes=30))


def normalise_key(value: str) -> str:
    return value.strip().upper()


class FaultInjector:
    """Chunk filter for ExtractWriter; `records` is the manifest's fault list."""

    def __init__(self, seed: int, contract: dict[str, Entity]) -> None:
        self.seed = seed
        self.contract = contract
        self.records: list[dict[str, str | None]] = []
        self._done: set[str] = set()

    def __call__(self, entity: str, table: pa.Table) -> pa.Table:
        faults = [x for x in FAULTS if x.entity == entity]
        if not faults or entity in self._done or table.num_rows == 0:
            return table
        self._done.add(entity)
        rng = rng_for(self.seed, f"faults:{entity}")
        meta = self.contract[entity]
        (pk,) = meta.primary_key
        cols = {name: table.column(name).combine_chunks() for name in table.column_names}
        used: set[int] = set()
        extra: list[pa.Table] = []

        def choose(column: str | None, predicate=None) -> int:
            values = cols[column].to_pylist() if column else None
            for i in rng.permutation(table.num_rows).tolist():
                if i in used or (values is not None and values[i] is None):
                    continue
                if predicate is None or predicate(values[i] if values else None):
                    used.add(i)
                    return i
            raise ValueError(f"{entity}: no row left to inject a {column} fault into")

        replace: dict[str, dict[int, str | None]] = {}
        for fault in faults:
            col = fault.column
            if fault.fault == "exact_duplicate":
                i = choose(None)
                extra.append(table.slice(i, 1))
                raw = None
            elif fault.fault == "stale_version":
                i = choose(col)
                newer = cols[col][i].as_py()
                older = _shift(newer, -timedelta(days=int(rng.integers(2, 40)), seconds=int(rng.integers(0, 86_400))))
                content = _content_column(meta)
                row = table.slice(i, 1).set_column(table.column_names.index(col), col, pa.array([older], pa.string()))
                old_text = cols[content][i].as_py()
                row = row.set_column(
                    table.column_names.index(content), content, pa.array([_older_text(old_text)], pa.string())
                )
                extra.append(row)
                raw = older
            elif fault.fault == "messy_id":
                i = choose(col)
                v = cols[col][i].as_py()
                raw = [f"  {v.lower()} ", f"{v.title()}  ", f" {v}"][len(replace.get(col, {})) % 3]
            elif fault.fault in ("negative_amount",):
                i = choose(col, lambda v: v is not None and float(v) > 0)
                raw = "-" + cols[col][i].as_py()
            elif fault.fault == "missing_amount":
                i = choose(col)
                raw = None
            elif fault.fault == "open_deal_without_amount":
                open_rows = [n for n, closed in enumerate(cols["is_closed"].to_pylist()) if closed == "false"]
                i = next(n for n in rng.permutation(open_rows).tolist() if n not in used)
                used.add(i)
                raw = None
            elif fault.fault == "mixed_offset":
                i = choose(col)
                raw = _with_offset(cols[col][i].as_py(), OFFSETS[len(self.records) % len(OFFSETS)])
            else:
                i = choose(col)
                raw = fault.value
            if fault.fault not in ("exact_duplicate", "stale_version"):
                replace.setdefault(col, {})[i] = raw
            self.records.append(
                {
                    "fault": fault.fault,
                    "entity": entity,
                    "key": normalise_key(cols[pk][i].as_py()),
                    "column": col,
                    "raw_value": raw,
                    "expected": fault.expected,
                    "flagged": fault.flagged,
                }
            )
        for col, changes in replace.items():
            mask = np.zeros(table.num_rows, dtype=bool)
            mask[list(changes)] = True
            values = pa.array([changes[i] for i in sorted(changes)], pa.string())
            table = table.set_column(
                table.column_names.index(col), col, pc.replace_with_mask(cols[col], pa.array(mask), values)
            )
        return pa.concat_tables([table, *extra]) if extra else table


def _parse(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _shift(ts: str, delta: timedelta) -> str:
    return (_parse(ts) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _with_offset(ts: str, offset: timedelta) -> str:
    """The same instant written in another UTC offset (2025-03-01T09:30:00Z -> 2025-03-01T11:30:00+02:00)."""
    local = _parse(ts) + offset
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _content_column(meta: Entity) -> str:
    for name in ("account_name", "next_step", "subject", "company_name", "title"):
        if name in meta.column_names:
            return name
    raise ValueError(f"{meta.name}: no text column to vary for a stale version")


def _older_text(value: str | None) -> str:
    return f"{value} (previous)" if value else "(previous value)"
