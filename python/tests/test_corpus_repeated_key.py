"""Corpus case of issue 10, item 13: 200,000 rows sharing one key, through the real door and the driver's words.

The quarantine layer is built over a copy of the demo extract whose opportunities.csv repeats OPP-0000001
200,000 times with other amounts; the gate must stop, and the lines the build driver prints for that stop (read
from the built warehouse by the driver's own functions) must name the entity, the key column, the key and the
row count, not only dbt's "Got 2 results".
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from corpus.cases import copy_demo_extract, data_row_count
from dbt_helpers import run_dbt

from crm_warehouse.build.gate import quarantine_gate_lines
from crm_warehouse.build.quality import read_quality
from crm_warehouse.build.settings import load_settings

REPEATS = 200_000
# The models up to the row accounting and, of their data tests, only the gate: the test is about the gate's stop and
# its words, so the build must fail because of the gate and nothing else (the other tests of those models are the
# corpus's and the staging suite's business, on extracts where they must pass).
MODELS_AND_THE_GATE = [
    "--select",
    "+data_quality__row_accounting,resource_type:model",
    "test_name:quarantine_share_within_thresholds",
    "--indirect-selection",
    "empty",
]


def test_two_hundred_thousand_rows_of_one_key_stop_the_gate_in_plain_words(tmp_path: Path) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    path = extract / "opportunities.csv"
    deals = data_row_count(path)
    with path.open(encoding="utf-8", newline="") as handle:
        header, first = list(csv.reader(handle))[:2]
    amount = header.index("amount")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i in range(REPEATS):
            writer.writerow([f"{1000 + i}.01" if c == amount else v for c, v in enumerate(first)])
    result = run_dbt(tmp_path, extract, "build", *MODELS_AND_THE_GATE)
    assert result.returncode != 0
    assert "quarantine_share_within_thresholds" in result.stdout
    failed = [
        r["unique_id"]
        for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        if r["status"] in ("error", "fail")
    ]
    assert len(failed) == 1 and ".quarantine_share_within_thresholds" in failed[0], result.stdout[-6000:]

    quality = read_quality(tmp_path / "crm.duckdb")
    assert quality is not None
    settings = load_settings(None, {"CRM_RAW_DIR": str(extract), "CRM_DUCKDB_PATH": str(tmp_path / "crm.duckdb")})
    lines = quarantine_gate_lines(quality, 0.10, settings)
    raw = deals + REPEATS
    # 200,001 versions of OPP-0000001 (same updated_at): the last in the file is kept, 200,000 are quarantined.
    assert lines[2] == (
        f"  opportunities: {REPEATS / raw:.1%} quarantined ({REPEATS:,} of {raw:,} rows), threshold 10%. Top reasons:"
    )
    assert (
        f"  opportunities: duplicate key: {REPEATS:,} rows have the same opportunity_id as another row of the file"
        " but other values (all share opportunity_id 'OPP-0000001'); only the newest row of each key is kept, the"
        " older versions are quarantined."
    ) in lines
