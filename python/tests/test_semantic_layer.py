"""The semantic layer (models/semantic/, dbt MetricFlow) answers what the marts answer (issue 13, item 1).

One dbt build of a copy of the demo extract (models only, no data tests), then the real `mf` CLI in a scratch
project directory (dbt_project.yml, profiles.yml and this build's target/semantic_manifest.json), so nothing is
written to the project's own target/. Each metric is checked twice, per month:
  - against the mart column its description names (total / 'all' rows), every month of the mart;
  - for the metrics that need no currency conversion, against values computed here in plain Python from the
    fixture CSVs (seeds/demo: every row valid, so the raw rows are the fact rows).
`mf validate-configs` runs on the same build (semantic checks and the queries it runs against the warehouse).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from corpus.cases import DEMO_EXTRACT, copy_demo_extract
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT

MF = Path(sys.executable).parent / "mf"
REL = 1e-9


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("semantic")
    raw = copy_demo_extract(work / "extract")
    result = run_dbt(
        work, raw, "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test", "--quiet"
    )
    assert_ok(result)
    return {"work": work, "raw": raw, "database": work / "crm.duckdb", "project": mf_project(work, work / "target")}


def mf_project(work: Path, target: Path, name: str = "mf_project") -> Path:
    """A scratch project directory for mf: dbt_project.yml, profiles.yml and the semantic manifest in target."""
    project = work / name
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    shutil.copy(target / "semantic_manifest.json", project / "target" / "semantic_manifest.json")
    return project


DEAL_METRICS = [
    "win_rate", "win_rate_amount", "won_deals", "closed_deals", "sales_cycle_days_mean", "sales_cycle_days_median",
    "average_deal_size", "won_amount", "quota_attainment",
    "leads_created", "lead_conversion_rate", "lead_response_hours_mean", "lead_response_hours_median",
]  # fmt: skip
VALUE_METRICS = [
    "revenue", "net_new_revenue", "completed_orders", "average_purchase_value", "open_pipeline",
    "weighted_pipeline", "pipeline_coverage", "mrr", "net_revenue_retention", "gross_revenue_retention",
    "net_revenue_retention_ttm", "gross_revenue_retention_ttm",
    "logo_churn_rate", "cac", "clv_to_cac",
]  # fmt: skip
SERVICE_METRICS = [
    "nps", "csat", "ces", "tickets_opened", "first_response_hours_mean", "first_contact_resolution_rate",
    "sla_compliance_rate", "service_calls", "abandoned_call_rate", "crm_logins", "crm_logins_per_active_user",
    "crm_logins_per_user",
]  # fmt: skip


@pytest.fixture(scope="module")
def monthly(warehouse: dict[str, Path]) -> list[dict[str, str]]:
    """Every metric checked here, per month, in one `mf query` (one CLI start-up)."""
    return mf_query(warehouse, DEAL_METRICS + VALUE_METRICS + SERVICE_METRICS, ["metric_time__month"])


def run_mf(warehouse: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(warehouse["project"]),
        "CRM_DUCKDB_PATH": str(warehouse["database"]),
        "CRM_THREADS": "2",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("DBT_PROJECT_DIR", None)
    return subprocess.run(
        [str(MF), *args], cwd=warehouse["project"], env=env, capture_output=True, text=True, check=False
    )


def mf_query(warehouse: dict[str, Path], metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
    out = warehouse["work"] / f"mf_{len(list(warehouse['work'].glob('mf_*.csv')))}.csv"
    result = run_mf(
        warehouse, "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(out)
    )
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def month_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:7] + "-01")


def by_month(rows: list[dict[str, str]], metric: str) -> dict[dt.date, float | None]:
    """metric per month; no row may lack its month (an account never acquired has no acquisition month: the
    customer-value metrics filter it out, as acquisition_cost does)."""
    assert all(row["metric_time__month"] for row in rows), "a row without metric_time__month"
    return {month_of(row["metric_time__month"]): float(row[metric]) if row[metric] != "" else None for row in rows}


def mart_series(database: Path, sql: str) -> dict[dt.date, float | None]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {month: (None if value is None else float(value)) for month, value in con.sql(sql).fetchall()}


def assert_same(actual: dict, expected: dict, what: str, missing_is_zero: bool = False) -> None:
    """Every key of expected has the same value in actual (a missing or null value reads as 0 for counts: a
    query of several metrics has a row for every month any of them has, null for the others)."""
    assert expected, f"{what}: nothing to compare"
    checked = 0
    for key, value in expected.items():
        got = actual.get(key)
        if got is None and missing_is_zero:
            got = 0.0
        if value is None:
            assert got is None, f"{what} {key}: semantic layer {got}, expected null"
            continue
        assert got is not None, f"{what} {key}: semantic layer null, expected {value}"
        assert got == pytest.approx(value, rel=REL, abs=1e-9), f"{what} {key}: semantic layer {got}, expected {value}"
        checked += 1
    assert checked, f"{what}: every expected value is null"


# ---------------------------------------------------------------- the fixture, by hand


def rows(entity: str) -> list[dict[str, str]]:
    with (DEMO_EXTRACT / f"{entity}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def hand_deals() -> dict[str, dict[dt.date, float | None]]:
    won, lost, cycles = defaultdict(int), defaultdict(int), defaultdict(list)
    for deal in rows("opportunities"):
        if deal["stage"] not in ("closed_won", "closed_lost"):
            continue
        close = dt.date.fromisoformat(deal["close_date"])
        month = month_start(close)
        if deal["stage"] == "closed_won":
            won[month] += 1
            cycles[month].append((close - ts(deal["created_at"]).date()).days)
        else:
            lost[month] += 1
    months = set(won) | set(lost)
    return {
        "won_deals": {m: float(won[m]) for m in months},
        "closed_deals": {m: float(won[m] + lost[m]) for m in months},
        "win_rate": {m: ratio(won[m], won[m] + lost[m]) for m in months},
        "sales_cycle_days_mean": {m: statistics.fmean(c) for m, c in cycles.items()},
        "sales_cycle_days_median": {m: float(statistics.median(c)) for m, c in cycles.items()},
    }


def hand_leads() -> dict[str, dict[dt.date, float | None]]:
    created, converted, response = defaultdict(int), defaultdict(int), defaultdict(list)
    for lead in rows("leads"):
        created_at = ts(lead["created_at"])
        month = month_start(created_at.date())
        created[month] += 1
        converted[month] += bool(lead["converted_at"]) or lead["status"] == "converted"
        if lead["first_response_at"]:
            response[month].append((ts(lead["first_response_at"]) - created_at).total_seconds() / 3600)
    return {
        "leads_created": {m: float(n) for m, n in created.items()},
        "lead_conversion_rate": {m: ratio(converted[m], n) for m, n in created.items()},
        "lead_response_hours_mean": {m: statistics.fmean(h) for m, h in response.items()},
        "lead_response_hours_median": {m: statistics.median(h) for m, h in response.items()},
    }


def hand_service() -> dict[str, dict[dt.date, float | None]]:
    opened, resolved, first_contact, response = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(list)
    for ticket in rows("tickets"):
        opened_at = ts(ticket["opened_at"])
        month = month_start(opened_at.date())
        opened[month] += 1
        is_resolved = bool(ticket["resolved_at"]) or ticket["status"] in ("resolved", "closed")
        resolved[month] += is_resolved
        interactions = ticket["interactions_count"]
        first_contact[month] += is_resolved and interactions != "" and int(interactions) <= 1
        if ticket["first_response_at"]:
            response[month].append((ts(ticket["first_response_at"]) - opened_at).total_seconds() / 3600)
    calls, abandoned = defaultdict(int), defaultdict(int)
    for call in rows("service_calls"):
        month = month_start(ts(call["queued_at"]).date())
        calls[month] += 1
        abandoned[month] += call["outcome"] == "abandoned"
    return {
        "tickets_opened": {m: float(n) for m, n in opened.items()},
        "first_contact_resolution_rate": {m: ratio(first_contact[m], resolved[m]) for m in opened},
        "first_response_hours_mean": {m: statistics.fmean(h) for m, h in response.items()},
        "service_calls": {m: float(n) for m, n in calls.items()},
        "abandoned_call_rate": {m: ratio(abandoned[m], n) for m, n in calls.items()},
    }


def hand_surveys() -> dict[str, dict[dt.date, float | None]]:
    nps, csat, ces = defaultdict(list), defaultdict(list), defaultdict(list)
    for answer in rows("survey_responses"):
        month = month_start(ts(answer["responded_at"]).date())
        score, low, high = float(answer["score"]), float(answer["scale_min"]), float(answer["scale_max"])
        if answer["survey_type"] == "nps":
            assert (low, high) == (0, 10), "the fixture's NPS answers are on 0-10"
            nps[month].append(1 if score >= 9 else -1 if score <= 6 else 0)
        elif answer["survey_type"] == "csat":
            csat[month].append(1 + 4 * (score - low) / (high - low))
        elif answer["survey_type"] == "ces":
            ces[month].append(1 + 6 * (score - low) / (high - low))
    return {
        "nps": {m: 100 * sum(c) / len(c) for m, c in nps.items()},
        "csat": {m: statistics.fmean(s) for m, s in csat.items()},
        "ces": {m: statistics.fmean(s) for m, s in ces.items()},
    }


def hand_ces_higher_is_easier() -> dict[dt.date, float]:
    """CES of a survey asked "how easy was it?": every answer flipped on 1-7 (8 - rescaled), lower = easier."""
    return {month: 8 - value for month, value in hand_surveys()["ces"].items()}


def hand_logins() -> dict[dt.date, float]:
    """Log-ins of users on the roster: users of the extract, from the month they were hired."""
    hired = {
        u["user_id"]: month_start(dt.date.fromisoformat(u["hired_at"])) if u["hired_at"] else None
        for u in rows("users")
    }
    logins = defaultdict(int)
    for login in rows("crm_logins"):
        month = month_start(ts(login["logged_in_at"]).date())
        if login["user_id"] in hired and (hired[login["user_id"]] is None or month >= hired[login["user_id"]]):
            logins[month] += 1
    return {m: float(n) for m, n in logins.items()}


# ---------------------------------------------------------------- tests


def test_validate_configs(warehouse: dict[str, Path]) -> None:
    result = run_mf(warehouse, "validate-configs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "ERRORS: 0" in output and "Successfully validated the semantics" in output, output[-4000:]
    assert "against data warehouse" in output and "✖" not in output, output[-4000:]


def test_deal_and_lead_metrics_equal_marts_and_hand_values(
    warehouse: dict[str, Path], monthly: list[dict[str, str]]
) -> None:
    db = warehouse["database"]
    win_rates = "from win_rates where period_grain = 'month' and dimension_name = 'all'"
    cycle = "from sales_cycle where period_grain = 'month' and dimension_name = 'all'"
    funnel = "from lead_funnel where dimension_name = 'all'"
    marts = {
        "win_rate": f"select period_start, win_rate {win_rates}",
        "won_deals": f"select period_start, won_deals {win_rates}",
        "closed_deals": f"select period_start, closed_deals {win_rates}",
        "average_deal_size": f"select period_start, average_deal_size_usd {win_rates}",
        "won_amount": "select month_start, won_amount_usd from goal_attainment where dimension_name = 'all'",
        "quota_attainment": "select month_start, attainment_ratio from goal_attainment where dimension_name = 'all'",
        "sales_cycle_days_mean": f"select period_start, mean_cycle_days {cycle}",
        "sales_cycle_days_median": f"select period_start, median_cycle_days {cycle}",
        "leads_created": f"select month_start, new_leads {funnel}",
        "lead_conversion_rate": f"select month_start, lead_conversion_rate {funnel}",
        "lead_response_hours_mean": f"select month_start, avg_response_hours {funnel}",
        "lead_response_hours_median": f"select month_start, median_response_hours {funnel}",
    }
    for metric, sql in marts.items():
        counts = metric in ("won_deals", "closed_deals", "won_amount", "leads_created")
        assert_same(by_month(monthly, metric), mart_series(db, sql), f"{metric} vs mart", missing_is_zero=counts)
    for metric, expected in {**hand_deals(), **hand_leads()}.items():
        assert_same(by_month(monthly, metric), expected, f"{metric} vs hand")


def test_amount_win_rate_equals_amounts_summed_by_hand(
    warehouse: dict[str, Path], monthly: list[dict[str, str]]
) -> None:
    """No mart publishes the amount-based win rate: sum the built deals' USD amounts here (won / won + lost)."""
    with duckdb.connect(str(warehouse["database"]), read_only=True) as con:
        deals = con.execute(
            "select close_date, is_won, amount_usd from main.fct_opportunities where is_won or is_lost"
        ).fetchall()
    won: defaultdict[dt.date, float] = defaultdict(float)
    closed: defaultdict[dt.date, float] = defaultdict(float)
    for close_date, is_won, amount in deals:
        if amount is None:  # deals without amount are skipped by both sums
            continue
        won[month_start(close_date)] += float(amount) if is_won else 0.0
        closed[month_start(close_date)] += float(amount)
    expected = {m: ratio(won[m], closed[m]) for m in closed}
    assert len(expected) >= 12
    assert_same(by_month(monthly, "win_rate_amount"), expected, "win_rate_amount vs hand")


def test_revenue_pipeline_and_retention_metrics_equal_marts(
    warehouse: dict[str, Path], monthly: list[dict[str, str]]
) -> None:
    result = monthly
    db = warehouse["database"]
    pipeline = "from pipeline where dimension_name = 'all'"
    costs = "from acquisition_cost where attribution_level = 'total'"
    marts = {
        "revenue": "select month_start, revenue_usd from revenue_monthly",
        "net_new_revenue": "select month_start, net_new_revenue_usd from revenue_monthly",
        "completed_orders": "select month_start, orders from revenue_monthly",
        "average_purchase_value": "select month_start, average_purchase_value_usd from revenue_monthly",
        "open_pipeline": f"select month_start, pipeline_value_usd {pipeline}",
        "weighted_pipeline": f"select month_start, weighted_pipeline_usd {pipeline}",
        "pipeline_coverage": f"select month_start, pipeline_coverage_ratio {pipeline}",
        "mrr": "select month_start, end_mrr_usd from revenue_retention",
        "net_revenue_retention": "select month_start, net_revenue_retention from revenue_retention",
        "gross_revenue_retention": "select month_start, gross_revenue_retention from revenue_retention",
        "net_revenue_retention_ttm": "select month_start, net_revenue_retention_ttm from revenue_retention",
        "gross_revenue_retention_ttm": "select month_start, gross_revenue_retention_ttm from revenue_retention",
        "logo_churn_rate": "select month_start, logo_churn_rate from customer_churn",
        "cac": f"select month_start, cac_usd {costs}",
        "clv_to_cac": f"select month_start, clv_to_cac_ratio {costs}",
    }
    for metric, sql in marts.items():
        # sums the mart writes as 0 for a month without rows (pipeline: a snapshot without open deals)
        counts = metric in ("revenue", "net_new_revenue", "completed_orders", "open_pipeline", "weighted_pipeline")
        assert_same(by_month(result, metric), mart_series(db, sql), f"{metric} vs mart", missing_is_zero=counts)


def test_service_perception_and_adoption_metrics_equal_marts_and_hand_values(
    warehouse: dict[str, Path], monthly: list[dict[str, str]]
) -> None:
    result = monthly
    db = warehouse["database"]
    perception = "from customer_perception where dimension_name = 'all'"
    support = "from support_performance where channel = 'all'"
    teams = "from crm_adoption_teams group by 1"
    marts = {
        "nps": f"select month_start, nps {perception}",
        "csat": f"select month_start, csat_mean {perception}",
        "ces": f"select month_start, ces_mean {perception}",
        "tickets_opened": f"select month_start, tickets_opened {support}",
        "first_response_hours_mean": f"select month_start, avg_first_response_hours {support}",
        "first_contact_resolution_rate": f"select month_start, first_contact_resolution_rate {support}",
        "sla_compliance_rate": f"select month_start, sla_compliance_rate {support}",
        "service_calls": f"select month_start, service_calls {support}",
        "abandoned_call_rate": f"select month_start, call_abandonment_rate {support}",
        "crm_logins": f"select month_start, sum(logins) {teams}",
        "crm_logins_per_active_user": f"select month_start, sum(logins) / nullif(sum(active_users), 0) {teams}",
        "crm_logins_per_user": f"select month_start, sum(logins) / sum(users_on_roster) {teams}",
    }
    for metric, sql in marts.items():
        counts = metric in ("tickets_opened", "service_calls", "crm_logins")
        assert_same(by_month(result, metric), mart_series(db, sql), f"{metric} vs mart", missing_is_zero=counts)
    hand = {**hand_service(), **hand_surveys(), "crm_logins": hand_logins()}
    for metric, expected in hand.items():
        assert_same(by_month(result, metric), expected, f"{metric} vs hand")


def test_win_rate_by_month_and_account_tier(warehouse: dict[str, Path]) -> None:
    """The issue's query: win rate per month and account tier (joined from dim_accounts) = the segment rows."""
    result = mf_query(warehouse, ["win_rate"], ["metric_time__month", "account__tier"])
    actual = {
        (month_of(r["metric_time__month"]), r["account__tier"]): float(r["win_rate"]) if r["win_rate"] else None
        for r in result
    }
    with duckdb.connect(str(warehouse["database"]), read_only=True) as con:
        expected = dict(
            ((month, tier), rate)
            for month, tier, rate in con.sql(
                "select period_start, dimension_value, win_rate from win_rates"
                " where period_grain = 'month' and dimension_name = 'segment' and dimension_value != 'unknown'"
            ).fetchall()
        )
    assert len({tier for _, tier in expected}) >= 2
    assert_same(actual, expected, "win_rate by account tier")
    # and by hand: one month and tier from the fixture rows
    tiers = {a["account_id"]: a["tier"] for a in rows("accounts")}
    won, closed = defaultdict(int), defaultdict(int)
    for deal in rows("opportunities"):
        if deal["stage"] in ("closed_won", "closed_lost") and deal["account_id"] in tiers:
            key = (month_start(dt.date.fromisoformat(deal["close_date"])), tiers[deal["account_id"]])
            closed[key] += 1
            won[key] += deal["stage"] == "closed_won"
    assert_same(actual, {key: won[key] / n for key, n in closed.items()}, "win_rate by account tier vs hand")


def test_gross_margin_per_account_equals_customer_profitability(warehouse: dict[str, Path]) -> None:
    result = mf_query(warehouse, ["gross_margin"], ["account"])
    actual = {r["account"]: float(r["gross_margin"]) for r in result if r["gross_margin"]}
    with duckdb.connect(str(warehouse["database"]), read_only=True) as con:
        expected = dict(
            con.sql(
                "select account_id, cast(gross_margin_usd as double) from customer_profitability where order_count > 0"
            ).fetchall()
        )
    assert_same(actual, expected, "gross_margin per account")


def test_ces_follows_ces_higher_is_easier(warehouse: dict[str, Path]) -> None:
    """The CES metric flips its answers under var ces_higher_is_easier, like macro ces_effort_score (the score is
    stored as answered, so the same warehouse serves both readings)."""
    result = run_dbt(warehouse["work"], warehouse["raw"], "parse", "--quiet", dbt_vars={"ces_higher_is_easier": True})
    assert_ok(result)
    flipped = {**warehouse, "project": mf_project(warehouse["work"], warehouse["work"] / "target", "mf_ces_flipped")}
    rows_flipped = mf_query(flipped, ["ces"], ["metric_time__month"])
    assert_same(by_month(rows_flipped, "ces"), hand_ces_higher_is_easier(), "ces flipped vs hand")


def test_win_rate_by_account_tier_within_team(warehouse: dict[str, Path]) -> None:
    """Two dimensions at once, which no mart holds: win rate per account tier and owner team, over all time."""
    result = mf_query(warehouse, ["win_rate", "closed_deals"], ["account__tier", "rep__team"])
    actual = {(r["account__tier"], r["rep__team"]): float(r["win_rate"]) for r in result if r["win_rate"]}
    tiers = {a["account_id"]: a["tier"] for a in rows("accounts")}
    teams = {u["user_id"]: u["team"] or "unknown" for u in rows("users")}
    won, closed = defaultdict(int), defaultdict(int)
    for deal in rows("opportunities"):
        if deal["stage"] in ("closed_won", "closed_lost") and deal["account_id"] in tiers:
            key = (tiers[deal["account_id"]], teams[deal["owner_user_id"]])
            closed[key] += 1
            won[key] += deal["stage"] == "closed_won"
    assert len(closed) >= 4
    assert_same(actual, {key: won[key] / n for key, n in closed.items()}, "win_rate by tier and team vs hand")
