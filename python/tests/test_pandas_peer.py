"""The pandas peer (crm_warehouse.benchmarks.pandas_peer) on a tiny hand-made extract, figures computed by hand.

The extract has a few rows in each entity the figures read; every other entity is its demo header only. Its
latest past event is a log-in on 2025-03-31, so the as-of date is 2025-04-01 (a survey answer dated 2099 is
ignored for the as-of date and, lying after it, for NPS).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from crm_warehouse.benchmarks import pandas_peer
from crm_warehouse.benchmarks.pandas_peer import MART_MAPPING, MART_SQL, headline_figures

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo"
UPDATED = "2025-03-01T00:00:00Z"

ROWS: dict[str, list[dict[str, str]]] = {
    "fx_rates": [
        {"rate_date": "2025-01-01", "currency": "USD", "rate_to_usd": "1.0"},
        {"rate_date": "2025-01-01", "currency": "EUR", "rate_to_usd": "1.10"},
        {"rate_date": "2025-02-01", "currency": "EUR", "rate_to_usd": "1.20"},
    ],
    # O1 won 1000 USD (cycle 10 days); its older version (earlier updated_at, later in the file) is dropped.
    # O2 won 1000 EUR at the 2025-02-10 rate 1.20 = 1200 USD (cycle 40); O3 won without amount (cycle 30);
    # O4 lost; O5 open 2000 USD x 50%; O6 open 1000 EUR without close date, as-of rate 1.20 = 1200 x 25%;
    # O7 is_closed unparseable -> dropped.
    "opportunities": [
        {"opportunity_id": "O1", "amount": "1000", "currency": "USD", "stage": "closed_won", "is_closed": "true",
         "is_won": "true", "close_date": "2025-01-11", "created_at": "2025-01-01T10:00:00Z",
         "updated_at": "2025-01-11T00:00:00Z"},
        {"opportunity_id": "O2", "amount": "1000", "currency": "EUR", "stage": "closed_won", "is_closed": "true",
         "is_won": "true", "close_date": "2025-02-10", "created_at": "2025-01-01T00:00:00Z", "updated_at": UPDATED},
        {"opportunity_id": "O3", "amount": "", "currency": "USD", "stage": "closed_won", "is_closed": "TRUE",
         "is_won": "true", "close_date": "2025-03-03", "created_at": "2025-02-01T00:00:00Z", "updated_at": UPDATED},
        {"opportunity_id": "O4", "amount": "500", "currency": "USD", "stage": "closed_lost", "is_closed": "true",
         "is_won": "false", "close_date": "2025-02-15", "created_at": "2025-01-15T00:00:00Z", "updated_at": UPDATED},
        {"opportunity_id": "O5", "amount": "2000", "currency": "USD", "stage": "proposal", "probability": "50",
         "is_closed": "false", "is_won": "false", "close_date": "2025-05-01", "created_at": "2025-03-01T00:00:00Z",
         "updated_at": UPDATED},
        {"opportunity_id": "O6", "amount": "1000", "currency": "EUR", "stage": "demo", "probability": "25",
         "is_closed": "false", "is_won": "false", "created_at": "2025-03-01T00:00:00Z", "updated_at": UPDATED},
        {"opportunity_id": "O7", "amount": "9999", "currency": "USD", "stage": "closed_won", "is_closed": "maybe",
         "is_won": "true", "close_date": "2025-03-01", "created_at": "2025-02-01T00:00:00Z", "updated_at": UPDATED},
        {"opportunity_id": "O1", "amount": "999", "currency": "USD", "stage": "demo", "is_closed": "false",
         "is_won": "false", "created_at": "2025-01-01T10:00:00Z", "updated_at": "2025-01-05T00:00:00Z"},
    ],
    # completed: ORD1 2x100 less 10% + 1x50 (no discount) = 230 USD in January; ORD2 100 EUR x 1.20 = 120 USD
    # in March; ORD3 cancelled. A line with quantity 'abc' is dropped.
    "orders": [
        {"order_id": "ORD1", "account_id": "A1", "ordered_at": "2025-01-20T09:00:00Z", "status": "completed",
         "currency": "USD", "updated_at": UPDATED},
        {"order_id": "ORD2", "account_id": "A2", "ordered_at": "2025-03-05T09:00:00Z", "status": "Completed",
         "currency": "EUR", "updated_at": UPDATED},
        {"order_id": "ORD3", "account_id": "A3", "ordered_at": "2025-02-10T09:00:00Z", "status": "cancelled",
         "currency": "USD", "updated_at": UPDATED},
    ],
    "order_items": [
        {"order_item_id": "L1", "order_id": "ORD1", "quantity": "2", "unit_price": "100", "discount_rate": "0.1"},
        {"order_item_id": "L2", "order_id": "ORD1", "quantity": "1", "unit_price": "50", "discount_rate": ""},
        {"order_item_id": "L3", "order_id": "ORD1", "quantity": "abc", "unit_price": "70", "discount_rate": "0"},
        {"order_item_id": "L4", "order_id": "ORD2", "quantity": "1", "unit_price": "100", "discount_rate": "0"},
        {"order_item_id": "L5", "order_id": "ORD3", "quantity": "1", "unit_price": "1000", "discount_rate": "0"},
    ],
    # MRR on each month's last day (as-of day 2025-04-01 for April):
    #   A1: Jan 100, Feb 150 (S3 added: expansion 50), Mar 150, Apr 150
    #   A2: Jan 200, Feb 0 (ended 02-15: churn 200)
    #   A3: Mar 120 (100 EUR at the 03-01 rate 1.20: new), Apr 120
    # start MRR (previous month, accounts with MRR): Feb 300 + Mar 150 + Apr 270 = 720
    # NRR = (720 - 200 + 50) / 720 = 570 / 720; GRR = (720 - 200) / 720 = 520 / 720
    # Logo churn, complete months Jan..Mar; active on the 1st: Jan {A1, A2}, Feb {A1, A2}, Mar {A1, A3},
    # Apr {A1, A3} -> churned 0 + 1 (A2) + 0 over 2 + 2 + 2 at start = 1 / 6
    "subscriptions": [
        {"subscription_id": "S1", "account_id": "A1", "plan": "pro", "mrr": "100", "currency": "USD",
         "started_at": "2025-01-01", "status": "active", "updated_at": UPDATED},
        {"subscription_id": "S2", "account_id": "A2", "plan": "pro", "mrr": "200", "currency": "USD",
         "started_at": "2025-01-01", "ended_at": "2025-02-15", "status": "cancelled", "updated_at": UPDATED},
        {"subscription_id": "S3", "account_id": "A1", "plan": "basic", "mrr": "50", "currency": "USD",
         "started_at": "2025-02-10", "status": "active", "updated_at": UPDATED},
        {"subscription_id": "S4", "account_id": "A3", "plan": "pro", "mrr": "100", "currency": "EUR",
         "started_at": "2025-03-01", "status": "active", "updated_at": UPDATED},
    ],
    # CAC: spend 300 USD + 100 EUR x 1.20 (C3's amount unparseable) = 420; customers acquired: A1, A2, A3
    # (A3 by its subscription; its cancelled order does not count) -> 420 / 3 = 140
    "acquisition_costs": [
        {"cost_id": "C1", "cost_month": "2025-01-01", "channel": "email", "category": "ad_spend", "amount": "300",
         "currency": "USD"},
        {"cost_id": "C2", "cost_month": "2025-03-01", "channel": "email", "category": "ad_spend", "amount": "100",
         "currency": "EUR"},
        {"cost_id": "C3", "cost_month": "2025-03-01", "channel": "email", "category": "other", "amount": "n/a",
         "currency": "USD"},
    ],
    # NPS: 10 (twice: an exact duplicate row), 9, 7, 6 -> 2 promoters, 1 passive, 1 detractor -> 25; 'ten' is dropped,
    # the 2099 answer lies after the as-of date. CSAT onto 1-5: 5, 3 and 10 of 0-10 = 5 -> 13 / 3.
    # CES onto 1-7: 2, 4 -> 3.
    "survey_responses": [
        {"response_id": "R1", "account_id": "A1", "survey_type": "nps", "score": "10", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R1", "account_id": "A1", "survey_type": "nps", "score": "10", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R2", "account_id": "A1", "survey_type": "nps", "score": "9", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R3", "account_id": "A2", "survey_type": "nps", "score": "7", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R4", "account_id": "A2", "survey_type": "NPS", "score": "6", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R5", "account_id": "A2", "survey_type": "nps", "score": "ten", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R6", "account_id": "A2", "survey_type": "nps", "score": "0", "scale_min": "0",
         "scale_max": "10", "responded_at": "2099-01-01T00:00:00Z"},
        {"response_id": "R7", "account_id": "A1", "survey_type": "csat", "score": "5", "scale_min": "1",
         "scale_max": "5", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R8", "account_id": "A1", "survey_type": "csat", "score": "3", "scale_min": "1",
         "scale_max": "5", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R9", "account_id": "A1", "survey_type": "csat", "score": "10", "scale_min": "0",
         "scale_max": "10", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R10", "account_id": "A1", "survey_type": "ces", "score": "2", "scale_min": "1",
         "scale_max": "7", "responded_at": "2025-02-01T00:00:00Z"},
        {"response_id": "R11", "account_id": "A1", "survey_type": "ces", "score": "4", "scale_min": "1",
         "scale_max": "7", "responded_at": "2025-02-01T00:00:00Z"},
    ],
    # first response 2 h and 6 h (T4's response precedes its opening: dropped) -> 4.0 h; SLA met on both by T1
    # only (T2 answered after 6 h > 4; T3 never answered; T4 no valid response) -> 1 / 4
    "tickets": [
        {"ticket_id": "T1", "account_id": "A1", "channel": "email", "priority": "low", "category": "billing",
         "status": "closed", "opened_at": "2025-01-10T08:00:00Z", "first_response_at": "2025-01-10T10:00:00Z",
         "resolved_at": "2025-01-11T08:00:00Z", "sla_first_response_hours": "4", "sla_resolution_hours": "48",
         "updated_at": UPDATED},
        {"ticket_id": "T2", "account_id": "A1", "channel": "email", "priority": "low", "category": "billing",
         "status": "closed", "opened_at": "2025-02-01T00:00:00Z", "first_response_at": "2025-02-01T06:00:00Z",
         "resolved_at": "2025-02-02T00:00:00Z", "sla_first_response_hours": "4", "sla_resolution_hours": "48",
         "updated_at": UPDATED},
        {"ticket_id": "T3", "account_id": "A2", "channel": "chat", "priority": "low", "category": "billing",
         "status": "open", "opened_at": "2025-03-01T00:00:00Z", "sla_first_response_hours": "4",
         "sla_resolution_hours": "48", "updated_at": UPDATED},
        {"ticket_id": "T4", "account_id": "A2", "channel": "chat", "priority": "low", "category": "billing",
         "status": "closed", "opened_at": "2025-03-02T00:00:00Z", "first_response_at": "2025-03-01T23:00:00Z",
         "resolved_at": "2025-03-02T01:00:00Z", "sla_first_response_hours": "4", "sla_resolution_hours": "48",
         "updated_at": UPDATED},
    ],
    # converted: L1 (converted_at), L2 (status only); L5's created_at unparseable -> 2 / 4
    "leads": [
        {"lead_id": "L1", "source": "website", "status": "converted", "created_at": "2025-01-01T00:00:00Z",
         "converted_at": "2025-01-05T00:00:00Z", "updated_at": UPDATED},
        {"lead_id": "L2", "source": "website", "status": "converted", "created_at": "2025-01-01T00:00:00Z",
         "updated_at": UPDATED},
        {"lead_id": "L3", "source": "website", "status": "working", "created_at": "2025-01-01T00:00:00Z",
         "updated_at": UPDATED},
        {"lead_id": "L4", "source": "website", "status": "qualified", "created_at": "2025-02-01T00:00:00Z",
         "updated_at": UPDATED},
        {"lead_id": "L5", "source": "website", "status": "converted", "created_at": "yesterday",
         "updated_at": UPDATED},
    ],
    # 1 abandoned of 4 calls (K5 without outcome is dropped) -> 0.25
    "service_calls": [
        {"call_id": f"K{n}", "queued_at": "2025-02-01T10:00:00Z", "outcome": outcome}
        for n, outcome in enumerate(["answered", "answered", "abandoned", "answered", ""], start=1)
    ],
    # 5 logins over the user-months U1-Jan, U1-Feb, U2-Jan, U2-Mar -> 5 / 4; the last one sets the as-of date
    "crm_logins": [
        {"login_id": f"G{n}", "user_id": user, "logged_in_at": at}
        for n, (user, at) in enumerate(
            [
                ("U1", "2025-01-05T08:00:00Z"),
                ("U1", "2025-01-06T08:00:00Z"),
                ("U1", "2025-02-01T08:00:00Z"),
                ("U2", "2025-01-07T08:00:00Z"),
                ("U2", "2025-03-31T12:00:00Z"),
            ],
            start=1,
        )
    ],
}  # fmt: skip


def demo_header(entity: str) -> list[str]:
    with (DEMO / f"{entity}.csv").open(newline="") as handle:
        return next(csv.reader(handle))


def write_extract(directory: Path) -> Path:
    """Every demo entity: the rows above in the demo header's column order, or the header alone."""
    directory.mkdir()
    for path in sorted(DEMO.glob("*.csv")):
        entity = path.stem
        with (directory / path.name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=demo_header(entity), restval="")
            writer.writeheader()
            writer.writerows(ROWS.get(entity, []))
    return directory


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return write_extract(tmp_path / "extract")


def assert_hand_figures(figures: dict[str, object]) -> None:
    assert figures["as_of_date"] == "2025-04-01"
    assert figures["win_rate"] == pytest.approx(3 / 4)
    assert figures["won_value_usd"] == pytest.approx(2200.0)
    assert figures["median_sales_cycle_days"] == pytest.approx(30.0)
    assert figures["average_deal_size_usd"] == pytest.approx(1100.0)
    assert figures["open_pipeline_usd"] == pytest.approx(3200.0)
    assert figures["weighted_pipeline_usd"] == pytest.approx(2000 * 0.5 + 1200 * 0.25)
    assert figures["revenue_by_month"] == {
        "2025-01-01": 230.0,
        "2025-02-01": 0.0,
        "2025-03-01": 120.0,
        "2025-04-01": 0.0,
    }
    assert figures["average_purchase_value_usd"] == pytest.approx(350 / 2)
    assert figures["net_revenue_retention"] == pytest.approx(570 / 720)
    assert figures["gross_revenue_retention"] == pytest.approx(520 / 720)
    assert figures["logo_churn_rate"] == pytest.approx(1 / 6)
    assert figures["nps"] == pytest.approx(25.0)
    assert figures["csat_mean"] == pytest.approx(13 / 3)
    assert figures["ces_mean"] == pytest.approx(3.0)
    assert figures["avg_first_response_hours"] == pytest.approx(4.0)
    assert figures["sla_compliance_rate"] == pytest.approx(1 / 4)
    assert figures["cac_usd"] == pytest.approx(140.0)
    assert figures["lead_conversion_rate"] == pytest.approx(2 / 4)
    assert figures["call_abandonment_rate"] == pytest.approx(1 / 4)
    assert figures["crm_logins_per_active_user"] == pytest.approx(5 / 4)


def test_peer_figures_match_hand_computed_values(extract: Path) -> None:
    figures = headline_figures(extract)
    assert_hand_figures(figures)
    # 20 figures plus the as-of date, and every figure names its mart column
    assert len(figures) == 21
    assert set(MART_MAPPING) == set(figures) - {"as_of_date"}


def test_peer_reads_parquet_extracts_the_same(extract: Path, tmp_path: Path) -> None:
    parquet_dir = tmp_path / "parquet"
    parquet_dir.mkdir()
    for path in extract.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_parquet(parquet_dir / f"{path.stem}.parquet", index=False)
    assert_hand_figures(headline_figures(parquet_dir, "parquet"))


def test_optional_entities_absent_give_none(extract: Path) -> None:
    for entity in ("subscriptions", "survey_responses", "tickets", "service_calls", "crm_logins"):
        (extract / f"{entity}.csv").unlink()
    figures = headline_figures(extract)
    for name in ("net_revenue_retention", "gross_revenue_retention", "logo_churn_rate", "nps", "csat_mean",
                 "avg_first_response_hours", "sla_compliance_rate", "call_abandonment_rate",
                 "crm_logins_per_active_user"):  # fmt: skip
        assert figures[name] is None, name
    # without the 2025-03-31 log-in the latest event is ORD2 (2025-03-05); A3's subscription is gone, so
    # 2 customers acquired: 420 / 2
    assert figures["as_of_date"] == "2025-03-06"
    assert figures["cac_usd"] == pytest.approx(210.0)


def test_cli_prints_every_figure_and_the_wall_time(extract: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pandas_peer.main([str(extract), "--as-of", "2025-04-01"]) == 0
    out = capsys.readouterr().out
    assert "win_rate                      0.7500" in out
    assert "    2025-01-01  230.00" in out
    assert "wall time" in out


def test_peer_gives_the_worked_example_figures(tmp_path: Path) -> None:
    """examples/sales_pipeline mapped to the contract: the README's hand figures (sales_pipeline_expected.yml)."""
    from crm_warehouse.mapping import apply_mapping

    example = DEMO.parents[1] / "examples" / "sales_pipeline"
    mapped = apply_mapping(example / "mapping.yml", example, tmp_path / "mapped")
    figures = headline_figures(mapped.raw_dir)
    assert figures["win_rate"] == pytest.approx(20 / 32)
    assert figures["won_value_usd"] == pytest.approx(98_953.0)
    assert figures["average_deal_size_usd"] == pytest.approx(98_953 / 20)
    # open deals carry no amount: no pipeline value (null, as the mart); no orders, surveys or tickets
    assert figures["open_pipeline_usd"] is None
    assert figures["revenue_by_month"] == {}
    assert figures["nps"] is None


SQL_WORDS = {"select", "sum", "avg", "from", "where", "and", "order", "by", "desc", "limit", "case", "when", "then",
             "else", "end", "strftime"}  # fmt: skip


def mart_columns() -> dict[str, set[str]]:
    root = DEMO.parents[1] / "models" / "marts"
    columns: dict[str, set[str]] = {}
    for path in root.glob("*/_*__models.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            columns[model["name"]] = {column["name"] for column in model.get("columns", [])}
    return columns


def test_every_figure_names_real_mart_columns() -> None:
    """MART_SQL reads only documented mart columns, of a mart MART_MAPPING names."""
    columns = mart_columns()
    assert set(MART_SQL) == set(MART_MAPPING)
    for figure, sql in MART_SQL.items():
        table = re.search(r"\bfrom (\w+)", sql).group(1)
        assert table in columns, (figure, table)
        assert table in " ".join(MART_MAPPING[figure]), figure
        identifiers = set(re.findall(r"[a-z_]+", re.sub(r"'[^']*'", "", sql))) - SQL_WORDS - {table}
        assert identifiers <= columns[table], (figure, identifiers - columns[table])
