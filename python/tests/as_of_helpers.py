"""A small generated extract whose events end on a known day (END_DAY), far from the wall clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from crm_warehouse.generate import generate

END_DAY = dt.date(2017, 6, 30)
# The day after the latest event: the warehouse's derived "today".
AS_OF = END_DAY + dt.timedelta(days=1)
SCALE = "0.05"
SEED = 7
# Models only: tests have their own suites, seeds are unused (the extract is read from files).
NO_TESTS = ["--exclude-resource-type", "test", "unit_test", "seed"]


def extract_ending_on_end_day(out_dir: Path, *, without_orders: bool = False) -> Path:
    """Generate a 2014-2017 extract (nothing dated after END_DAY, open deals expected later), then make one
    activity occur on END_DAY and add one crm login typo'd into 2099, which must not move "today".
    without_orders: orders.csv and order_items.csv keep only their header."""
    generate(out_dir, SCALE, seed=SEED, fmt="csv", end_date=END_DAY)
    with duckdb.connect() as connection:
        activities = out_dir / "activities.csv"
        connection.execute(
            f"""
            copy (
                select * replace (
                    case when row_number() over () = 1 then '{END_DAY}T12:00:00Z' else occurred_at end as occurred_at
                )
                from read_csv('{activities}', all_varchar = true)
            ) to '{out_dir / "activities_new.csv"}' (header)
            """
        )
        (out_dir / "activities_new.csv").replace(activities)
    with (out_dir / "crm_logins.csv").open("a", encoding="utf-8") as logins:
        logins.write('"LOG-99999999","USR-0001","2099-01-01T09:00:00Z","60"\n')
    if without_orders:
        for entity in ("orders", "order_items"):
            path = out_dir / f"{entity}.csv"
            header = path.read_text(encoding="utf-8").splitlines()[0]
            path.write_text(header + "\n", encoding="utf-8")
    return out_dir
