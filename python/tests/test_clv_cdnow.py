"""BG/NBD and Gamma-Gamma reproduce the published CDNOW parameters (Fader, Hardie and Lee 2005).

The sample is found via CRM_SAMPLES_DIR (default <repo>/samples); a missing sample fails the test.
Expected values are the published ones, not what this code printed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from crm_warehouse.clv import bgnbd, gamma_gamma
from crm_warehouse.clv.summary import rfm_summary

REPO = Path(__file__).resolve().parents[2]
CALIBRATION_END = pd.Timestamp("1997-09-30")
# Holdout 1997-10-01..1998-06-30 = 273 days = 39 weeks (weeks 40-78 of the study).
HOLDOUT_WEEKS = 39.0


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    samples = Path(os.environ.get("CRM_SAMPLES_DIR", REPO / "samples"))
    path = samples / "cdnow" / "CDNOW_sample.txt"
    assert path.is_file(), f"CDNOW sample not found at {path}; set CRM_SAMPLES_DIR"
    raw = pd.read_csv(
        path,
        sep=r"\s+",
        header=None,
        names=["customer_id", "master_id", "date", "quantity", "amount"],
        dtype={"date": str},
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw


def test_cdnow_published_parameters_and_holdout(cdnow: pd.DataFrame) -> None:
    summary = rfm_summary(cdnow, "customer_id", "date", "amount", CALIBRATION_END)
    assert len(summary) == 2357
    assert int((summary["frequency"] > 0).sum()) == 946

    bg = bgnbd.fit(summary["frequency"], summary["recency"], summary["T"])
    for name, published in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert getattr(bg, name) == pytest.approx(published, rel=0.01), name
    assert bg.log_likelihood == pytest.approx(-9582.43, abs=0.1)

    gg = gamma_gamma.fit(summary["frequency"], summary["monetary_value"])
    for name, published in {"p": 6.25, "q": 3.74, "v": 15.44}.items():
        assert getattr(gg, name) == pytest.approx(published, rel=0.01), name

    holdout = cdnow[cdnow["date"] > CALIBRATION_END]
    actual = holdout.groupby(["customer_id", "date"]).ngroups
    expected = float(
        bgnbd.conditional_expected_transactions(
            bg, HOLDOUT_WEEKS, summary["frequency"], summary["recency"], summary["T"]
        ).sum()
    )
    print(f"CDNOW holdout transactions: actual {actual}, BG/NBD conditional expectation {expected:.1f}")
    assert expected == pytest.approx(actual, rel=0.15)

    alive = bgnbd.probability_alive(bg, summary["frequency"], summary["recency"], summary["T"])
    assert ((alive > 0) & (alive <= 1)).all()
