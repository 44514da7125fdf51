"""CDNOW through the warehouse: what users run reproduces the published BG/NBD and Gamma-Gamma parameters.

The CDNOW sample (samples/cdnow, or CRM_SAMPLES_DIR) is written as a raw-contract extract: one account per
customer, one completed USD order per sample row (quantity 1 at the row's amount, no cost), one product and one
USD rate; the other required entities are header-only and declared absent (var crm_absent_entities). dbt builds
only +customer_value_model_parameters, calibrated to 1997-09-30 (var clv_calibration_end_date) with the as-of date
pinned after the sample's end, and the test reads the parameters from the built mart.
Expected values are the published ones (Fader, Hardie and Lee 2005; Gamma-Gamma: Fader, Hardie and Lee 2005b),
not what this code printed; counts 2,357 / 946 are the sample's documented customers and repeat customers.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse.contract import load_contract

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "gamma": 15.44,
}
MAPPED = ("accounts", "products", "orders", "order_items", "fx_rates")


def write_cdnow_extract(sample: Path, out: Path) -> None:
    raw = pd.read_csv(
        sample,
        sep=r"\s+",
        header=None,
        names=["customer_id", "master_id", "date", "quantity", "amount"],
        dtype={"customer_id": str, "date": str},
    )
    raw["ordered_at"] = pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%dT12:00:00Z")
    out.mkdir(parents=True)
    contract = load_contract()

    def write(entity: str, rows: list[dict[str, object]]) -> None:
        columns = contract[entity].column_names
        with (out / f"{entity}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows([{c: row.get(c, "") for c in columns} for row in rows])

    first = raw.groupby("customer_id")["ordered_at"].min()
    write(
        "accounts",
        [
            {"account_id": f"C{c}", "account_name": f"CDNOW {c}", "created_at": at, "updated_at": at}
            for c, at in first.items()
        ],
    )
    write(
        "products",
        [
            {
                "product_id": "CD",
                "product_name": "CD",
                "product_family": "analytics",
                "tier": "basic",
                "list_price": "0",
                "unit_cost": "0",
                "is_subscription": "false",
                "updated_at": "1997-01-01T00:00:00Z",
            }
        ],
    )
    orders = [
        {
            "order_id": f"O{i}",
            "account_id": f"C{row.customer_id}",
            "ordered_at": row.ordered_at,
            "status": "completed",
            "currency": "USD",
            "updated_at": row.ordered_at,
        }
        for i, row in enumerate(raw.itertuples())
    ]
    write("orders", orders)
    write(
        "order_items",
        [
            {
                "order_item_id": f"I{i}",
                "order_id": f"O{i}",
                "product_id": "CD",
                "quantity": "1",
                "unit_price": f"{row.amount:.2f}",
                "discount_rate": "0",
                "unit_cost": "0",
            }
            for i, row in enumerate(raw.itertuples())
        ],
    )
    write("fx_rates", [{"rate_date": "1997-01-01", "currency": "USD", "rate_to_usd": "1"}])
    for entity, meta in contract.items():
        if entity not in MAPPED and not meta.optional:
            write(entity, [])


def test_cdnow_through_the_warehouse_reproduces_the_published_parameters(tmp_path: Path) -> None:
    samples = Path(os.environ.get("CRM_SAMPLES_DIR", REPO / "samples"))
    sample = samples / "cdnow" / "CDNOW_sample.txt"
    assert sample.is_file(), f"CDNOW sample not found at {sample}; set CRM_SAMPLES_DIR"
    extract = tmp_path / "extract"
    write_cdnow_extract(sample, extract)
    absent = [e for e, meta in load_contract().items() if e not in MAPPED and not meta.optional]
    dbt_vars = {
        "crm_absent_entities": absent,
        "as_of_date": "1998-07-01",
        "clv_calibration_end_date": "1997-09-30",
    }
    result = run_dbt(
        tmp_path,
        extract,
        "build",
        "--select",
        "+customer_value_model_parameters",
        "--exclude",
        "path:models/staging,resource_type:test",
        "--indirect-selection",
        "cautious",
        dbt_vars=dbt_vars,
    )
    assert_ok(result)
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as connection:
        row = connection.sql("select * from main.customer_value_model_parameters").df().iloc[0]
    print(row.to_string())
    assert str(row["calibration_end_date"])[:10] == "1997-09-30"
    assert (row["customers_fitted"], row["repeat_customers"]) == (2357, 946)
    assert row["fit_status"] == "fitted", row["fit_reason"]
    for name, published in PUBLISHED.items():
        assert row[name] == pytest.approx(published, rel=0.01), name
    assert row["bgnbd_log_likelihood"] == pytest.approx(-9582.43, abs=0.1)
