"""CLI: python -m crm_warehouse.generate --scale S --seed N --out DIR --format csv|parquet [--dirty]
[--dialect contract|salesforce|hubspot]."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from crm_warehouse.generate import generate
from crm_warehouse.generate.config import DEFAULT_END_DATE
from crm_warehouse.generate.dialects import DIALECTS, write_export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crm_warehouse.generate",
        description="Write a synthetic CRM extract (one file per raw contract entity).",
    )
    parser.add_argument(
        "--scale",
        default="demo",
        help="'demo' (300 accounts, the checked-in seeds) or a positive number s: 1000*s accounts, "
        "100000*s activities (s=100 gives 10M activity rows)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--dirty", action="store_true", help="inject faults and write manifest.json")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=DEFAULT_END_DATE,
        help=f"last day of the 3-year history (default {DEFAULT_END_DATE})",
    )
    parser.add_argument(
        "--dialect",
        choices=DIALECTS,
        default="contract",
        help="contract (the raw contract's files), salesforce or hubspot (the same world as a Fivetran Salesforce or "
        "HubSpot export, <table>.csv, plus contract files for the entities the CRM does not carry; csv only, not "
        "--dirty)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.dialect != "contract" and (args.format != "csv" or args.dirty):
        parser.error(f"--dialect {args.dialect} writes csv only and has no --dirty")
    try:
        if args.dialect == "contract":
            rows = generate(args.out, args.scale, args.seed, args.format, args.dirty, args.end_date, not args.quiet)
        else:
            with tempfile.TemporaryDirectory() as contract_dir:
                generate(Path(contract_dir), args.scale, args.seed, "csv", False, args.end_date, not args.quiet)
                rows = write_export(args.dialect, Path(contract_dir), args.out)
    except ValueError as exc:
        parser.error(str(exc))
    if not args.quiet:
        print(f"wrote {sum(rows.values()):,} rows in {len(rows)} files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
