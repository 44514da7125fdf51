"""python -m crm_warehouse.mapping MAPPING RAW_DIR OUT_DIR: map an export onto the contract and say what was done."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crm_warehouse.contract import load_contract
from crm_warehouse.mapping.apply import MappedExtract, apply_mapping
from crm_warehouse.mapping.problems import MappingError


def summary(mapped: MappedExtract) -> list[str]:
    """Per entity: the user file, rows written and how every contract column was filled; then the absent ones."""
    contract = load_contract()
    lines = []
    for name, columns in mapped.filled.items():
        out = mapped.raw_dir / f"{name}.csv"
        lines.append(f"{name} <- {mapped.source_files[name]}: {mapped.row_counts[name]} row(s) -> {out}")
        lines += [f"    {column} {how}" for column, how in columns.items() if not how.startswith("empty")]
        empty = [column for column, how in columns.items() if how.startswith("empty")]
        if empty:
            lines.append(f"    empty (not in the export): {', '.join(empty)}")
    for name in mapped.absent_entities:
        if contract[name].optional:
            lines.append(f"{name}: absent (optional: not written, it builds empty)")
        else:
            lines.append(f"{name}: absent (required: written header-only, it builds empty)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mapping", type=Path, help="the mapping YAML")
    parser.add_argument("raw_dir", type=Path, help="directory of the user's export files")
    parser.add_argument("out_dir", type=Path, help="where to write the contract-shaped extract")
    args = parser.parse_args(argv)
    try:
        mapped = apply_mapping(args.mapping, args.raw_dir, args.out_dir)
    except MappingError as err:
        print(f"mapping: {err}", file=sys.stderr)
        return 1
    for line in summary(mapped):
        print(line)
    for problem in mapped.problems:
        print(problem)
    print(f"dbt vars: {json.dumps(mapped.dbt_vars)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
