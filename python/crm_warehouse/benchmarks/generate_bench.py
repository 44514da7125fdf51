"""Generator benchmark: `python -m crm_warehouse.benchmarks.generate_bench --activities 10000000`.

Runs the full generator at the scale that yields the requested number of activity rows (100,000 per
unit of scale) and prints wall time, rows per second and peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from crm_warehouse.generate import generate
from crm_warehouse.generate.config import scale_config

ACTIVITIES_PER_SCALE = scale_config("1").activities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_warehouse.benchmarks.generate_bench")
    parser.add_argument("--activities", type=int, default=10_000_000, help="activity rows to generate")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="keep the extract here (default: a temporary directory)")
    args = parser.parse_args(argv)
    scale = f"{args.activities / ACTIVITIES_PER_SCALE:g}"
    out = args.out or Path(tempfile.mkdtemp(prefix="crm_bench_"))
    try:
        started = time.perf_counter()
        rows = generate(out, scale, seed=args.seed, fmt=args.format, verbose=True)
        wall = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.iterdir())
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    total = sum(rows.values())
    print(f"scale:            {scale} ({args.format})")
    print(f"activity rows:    {rows['activities']:,}")
    print(f"total rows:       {total:,} in {len(rows)} files, {size / 1e9:.2f} GB")
    print(f"wall time:        {wall:.1f} s")
    print(f"rows/s (all):     {total / wall:,.0f}")
    print(f"peak RSS:         {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
