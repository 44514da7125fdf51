"""Synthetic extract generator: determinism, documented row counts, contract columns, clean-output validity."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from generate_checks import contract_violations, read_extract

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract
from crm_warehouse.generate import generate
from crm_warehouse.generate.config import scale_config
from crm_warehouse.generate.seeds_yaml import seeds_yaml

SEEDS = PROJECT_ROOT / "seeds" / "demo"
END = date(2026, 10, 31)


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small_csv")
    generate(out, "0.05", seed=1, fmt="csv")
    return out


@pytest.fixture(scope="module")
def small_parquet(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small_parquet")
    generate(out, "0.05", seed=1, fmt="parquet")
    return out


def test_same_seed_gives_identical_files(small_csv, small_parquet, tmp_path):
    generate(tmp_path / "csv", "0.05", seed=1, fmt="csv")
    generate(tmp_path / "parquet", "0.05", seed=1, fmt="parquet")
    assert _bytes(tmp_path / "csv") == _bytes(small_csv)
    assert _bytes(tmp_path / "parquet") == _bytes(small_parquet)


def test_other_seed_gives_other_data(small_csv, tmp_path):
    generate(tmp_path, "0.05", seed=2, fmt="csv")
    a, b = _bytes(small_csv), _bytes(tmp_path)
    # Fixed reference data (the product catalogue's names and prices) may coincide; the behaviour may not.
    for name in ("accounts.csv", "leads.csv", "opportunities.csv", "activities.csv", "fx_rates.csv"):
        assert a[name] != b[name], name


def test_checked_in_demo_seeds_are_the_generator_output(tmp_path):
    generate(tmp_path, "demo", seed=42, fmt="csv")
    generated = _bytes(tmp_path)
    checked_in = {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.csv"))}
    assert generated == checked_in, "run `make demo-seeds`"


def test_seed_yaml_is_generated_from_the_contract():
    text = (SEEDS / "_demo__seeds.yml").read_text()
    assert text == seeds_yaml(), "run `make demo-seeds`"
    seeds = {s["name"]: s for s in yaml.safe_load(text)["seeds"]}
    contract = load_contract()
    assert list(seeds) == list(contract)
    for name, entity in contract.items():
        assert seeds[name]["config"]["column_types"] == dict.fromkeys(entity.column_names, "varchar")
        assert [c["name"] for c in seeds[name]["columns"]] == entity.column_names


def test_scale_definitions_are_as_documented():
    one = scale_config("1")
    assert (one.accounts, one.leads, one.activities, one.engagement_events) == (1_000, 7_000, 100_000, 40_000)
    hundred = scale_config("100")
    assert hundred.activities == 10_000_000
    assert hundred.accounts == 100_000
    demo = scale_config("demo")
    assert (demo.accounts, demo.leads, demo.activities, demo.engagement_events) == (300, 1_500, 8_000, 7_000)
    for bad in ("0", "-1", "abc", "nan", "inf"):
        with pytest.raises(ValueError, match="--scale"):
            scale_config(bad)


def test_row_counts_of_a_small_scale(small_csv):
    data = read_extract(small_csv)
    rows = {name: len(r) for name, (_, r) in data.items()}
    # Scale 0.05: 50 accounts, 350 leads, 5,000 activities, 2,000 engagement events, 15 products.
    assert rows["accounts"] == 50
    assert rows["leads"] == 350
    assert rows["activities"] == 5_000
    assert rows["engagement_events"] == 2_000
    assert rows["products"] == 15
    # 3 reps (NA, EMEA, APAC) + their 3 managers + 1 customer success + 2 support + 1 admin.
    assert rows["users"] == 10
    # 2023-11-01..2026-10-31 is 1,096 days, plus 365 days before it (the longest campaign may start that early and
    # needs an earlier rate); 5 currencies.
    assert rows["fx_rates"] == 5 * (1_096 + 365)
    # Every account has a first deal; 3 reps x 36 months bounds the quotas.
    assert rows["opportunities"] >= 50
    assert 0 < rows["quotas"] <= 3 * 36
    assert rows["contacts"] >= 50


def test_demo_seed_row_counts():
    data = read_extract(SEEDS)
    assert len(data["accounts"][1]) == 300
    assert len(data["leads"][1]) == 1_500
    assert len(data["activities"][1]) == 8_000
    assert len(data["engagement_events"][1]) == 7_000
    assert len(data["users"][1]) == 13  # 4 reps, 3 managers, 2 customer success, 3 support, 1 admin
    sizes = [p.stat().st_size for p in SEEDS.glob("*.csv")]
    assert sum(sizes) < 3_000_000 and max(sizes) < 1_000_000


def test_columns_are_the_contract_in_order(small_csv, small_parquet):
    contract = load_contract()
    for name, entity in contract.items():
        header = (small_csv / f"{name}.csv").read_text().split("\n", 1)[0]
        assert header.split(",") == entity.column_names, name
        schema = pq.read_schema(small_parquet / f"{name}.parquet")
        assert schema.names == entity.column_names, name
        assert {str(t) for t in schema.types} == {"string"}, name


def test_clean_output_satisfies_the_contract(small_csv, small_parquet):
    """Formats, enums, required values, keys unique, every foreign key present, not_before, no future."""
    assert contract_violations(read_extract(small_csv), END) == []
    assert contract_violations(read_extract(small_parquet, "parquet"), END) == []
    assert contract_violations(read_extract(SEEDS), END) == []


def test_end_date_bounds_the_history(tmp_path):
    generate(tmp_path, "0.02", seed=3, fmt="csv", end_date=date(2025, 6, 30))
    data = read_extract(tmp_path)
    assert contract_violations(data, date(2025, 6, 30)) == []
    created = sorted(r["created_at"] for r in data["leads"][1])
    assert created[0] >= "2022-07-01" and created[-1] < "2025-07-01"


def test_cli_writes_the_extract_and_rejects_a_bad_scale(tmp_path):
    cmd = [sys.executable, "-m", "crm_warehouse.generate", "--out", str(tmp_path), "--quiet"]
    ok = subprocess.run([*cmd, "--scale", "0.02", "--format", "parquet"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.parquet")) == sorted(load_contract())
    bad = subprocess.run([*cmd, "--scale", "huge"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--scale" in bad.stderr
