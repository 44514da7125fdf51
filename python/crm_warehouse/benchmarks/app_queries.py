"""p50 / p95 of every query the app's pages run, on the published copy (default: the demo's, after make build).

`python -m crm_warehouse.benchmarks.app_queries [--app-copy PATH] [--repeats N]`; the same timing as make bench
(queries recorded by rendering every page, each then run N times as the app runs it).
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from crm_warehouse.benchmarks.warehouse_bench import app_query_ms
from crm_warehouse.publish import published_path


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-copy", type=Path, default=None, help="published copy (default: $CRM_APP_DUCKDB)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    timings = sorted(app_query_ms(args.app_copy or published_path(), args.repeats))
    queries = len(timings) // args.repeats
    load = os.getloadavg()[0]
    print(
        f"{queries} app queries x {args.repeats}: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, max {timings[-1]:.1f} ms"
        f" (load average {load:.1f}, {os.cpu_count()} cores)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
