"""The analysts' analyses (analyses/*.sql) and the app's exposure (models/marts/_exposures.yml).

One `dbt compile --select resource_type:analysis` for the module; every compiled analysis then runs read-only
against one built demo warehouse (the default build when present, else one private build) and must return the
columns analyses/_analyses.yml documents. Six analyses are checked against figures recomputed here from the
facts and marts with independent SQL or pandas (the quarantine one on a hand-made quarantine table). The
exposure test parses the app's source for the tables it queries, so the exposure's depends_on cannot go stale.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from dbt_helpers import DBT, assert_ok, run_dbt

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.publish import APP_TABLES
from crm_warehouse.semantic.filters import FILTERS

ANALYSES_DIR = PROJECT_ROOT / "analyses"
APP_DIR = PROJECT_ROOT / "python" / "crm_warehouse" / "app"
# queries.<function>(table, ...) and mart_where(table, ...): how a page reads a mart; the metric queries read the
# semantic layer's tables, and the sidebar its filters' option tables.
APP_READ_FUNCTIONS = frozenset({"select", "distinct", "table_columns"})
# The shared helpers take the table as an argument from the pages (which are parsed).
APP_HELPERS = frozenset({"queries.py", "filters.py"})


def documented_analyses() -> dict[str, dict]:
    doc = yaml.safe_load((ANALYSES_DIR / "_analyses.yml").read_text())
    return {entry["name"]: entry for entry in doc["analyses"]}


def built_warehouse() -> Path:
    """The full demo warehouse (facts included; the app's published copy holds marts only): CRM_DUCKDB_PATH or
    warehouse/crm.duckdb when built, else one private build into a temp dir."""
    for candidate in (os.environ.get("CRM_DUCKDB_PATH"), str(PROJECT_ROOT / "warehouse" / "crm.duckdb")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    work = Path(tempfile.mkdtemp(prefix="crm_analyses_test_"))
    built = work / "crm.duckdb"
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT), "CRM_DUCKDB_PATH": str(built), "CRM_THREADS": "2"}
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    subprocess.run(
        [str(DBT), "build", "--quiet", "--exclude-resource-type", "unit_test", *paths],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    return built


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict]:
    """(analysis name -> compiled SQL, manifest) from one dbt compile into an empty scratch database."""
    work = tmp_path_factory.mktemp("analyses")
    result = run_dbt(work, PROJECT_ROOT / "seeds" / "demo", "compile", "--select", "resource_type:analysis")
    assert_ok(result)
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    sql = {
        node["name"]: (work / "target" / "compiled" / "crm_warehouse" / node["original_file_path"]).read_text()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "analysis"
    }
    return sql, manifest


@pytest.fixture(scope="module")
def warehouse(compiled: tuple[dict[str, str], dict]) -> duckdb.DuckDBPyConnection:
    """The built warehouse attached read-only under the catalog name the compiled SQL uses."""
    _, manifest = compiled
    catalog = manifest["nodes"]["model.crm_warehouse.kpi_overview"]["database"]
    connection = duckdb.connect()
    connection.execute(f"attach '{built_warehouse()}' as \"{catalog}\" (read_only)")
    connection.execute(f'use "{catalog}"')
    yield connection
    connection.close()


def run_analysis(warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict], name: str):
    return warehouse.execute(compiled[0][name]).df()


def as_of(warehouse: duckdb.DuckDBPyConnection) -> date:
    return warehouse.execute("select as_of_date from main.warehouse_build_info").fetchone()[0]


def test_every_analysis_is_documented_and_compiled(compiled: tuple[dict[str, str], dict]) -> None:
    documented = documented_analyses()
    files = {path.stem for path in ANALYSES_DIR.glob("*.sql")}
    assert files == set(documented), "every analyses/*.sql needs an entry in analyses/_analyses.yml, and back"
    assert set(compiled[0]) == files
    assert len(files) >= 9
    for name, entry in documented.items():
        assert "Reads" in entry["description"], f"{name}: say which marts it reads"
        assert entry.get("columns"), f"{name}: document its columns"


@pytest.mark.parametrize("name", sorted(documented_analyses()))
def test_analysis_runs_read_only_with_documented_columns(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict], name: str
) -> None:
    frame = run_analysis(warehouse, compiled, name)
    assert list(frame.columns) == [column["name"] for column in documented_analyses()[name]["columns"]]
    if name == "quarantine_by_entity_and_reason":
        # The demo extract is clean: one row per (entity, reason) in quarantine, none for the demo.
        (groups,) = warehouse.execute(
            "select count(*) from (select distinct entity, reason from main_intermediate.quarantine)"
        ).fetchone()
        assert len(frame) == groups
    else:
        assert len(frame) > 0, f"{name} returned no rows on the demo warehouse"


def test_quarantine_by_entity_and_reason_counts_a_hand_made_quarantine(compiled: tuple[dict[str, str], dict]) -> None:
    """The demo extract quarantines nothing, so the analysis runs here on a small quarantine table made by hand."""
    sql, manifest = compiled
    catalog = manifest["nodes"]["model.crm_warehouse.kpi_overview"]["database"]
    with duckdb.connect() as connection:
        connection.execute(f"attach ':memory:' as \"{catalog}\"")
        connection.execute(f'create schema "{catalog}".main_intermediate')
        connection.execute(
            f'create table "{catalog}".main_intermediate.quarantine as select * from (values'
            " ('orders', 'orphan_reference', 'ORD-2'), ('orders', 'orphan_reference', 'ORD-1'),"
            " ('orders', 'orphan_reference', 'ORD-3'), ('orders', 'negative_amount', 'ORD-9'),"
            " ('tickets', 'unparseable_value', 'TCK-5')) as t(entity, reason, source_key)"
        )
        rows = connection.execute(sql["quarantine_by_entity_and_reason"]).fetchall()
    assert rows[0] == ("orders", "orphan_reference", 3, "ORD-1")
    assert sorted(rows[1:]) == [("orders", "negative_amount", 1, "ORD-9"), ("tickets", "unparseable_value", 1, "TCK-5")]


def test_lead_sources_by_clv_to_cac_matches_hand_pooling(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict]
) -> None:
    answer = run_analysis(warehouse, compiled, "lead_sources_by_clv_to_cac")
    rows = warehouse.execute("select * from main.acquisition_cost where attribution_level = 'channel'").df()
    expected = {}
    for channel, group in rows.groupby("channel"):
        customers = group["new_customers"].sum()
        cac = group["acquisition_spend_usd"].sum() / customers if customers else None
        with_clv = group[group["avg_predictive_clv_usd"].notna()]
        clv = (
            (with_clv["avg_predictive_clv_usd"] * with_clv["new_customers"]).sum() / with_clv["new_customers"].sum()
            if with_clv["new_customers"].sum()
            else None
        )
        expected[channel] = clv / cac if clv is not None and cac else None
    assert set(answer["channel"]) == set(expected)
    ranked = sorted((ratio, channel) for channel, ratio in expected.items() if ratio is not None)
    best_ratio, best_channel = ranked[-1]
    assert answer.iloc[0]["channel"] == best_channel
    assert answer.iloc[0]["clv_to_cac_ratio"] == pytest.approx(best_ratio, rel=1e-9)
    for channel, ratio in expected.items():
        got = answer.loc[answer["channel"] == channel, "clv_to_cac_ratio"].iloc[0]
        assert (pd.isna(got) and ratio is None) or got == pytest.approx(ratio, rel=1e-9), channel


def test_reps_high_activity_low_win_rate_matches_facts(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict]
) -> None:
    answer = run_analysis(warehouse, compiled, "reps_high_activity_low_win_rate").set_index("user_id")
    as_of_day = as_of(warehouse)
    first_month = (pd.Timestamp(as_of_day).to_period("M") - 11).to_timestamp().date()
    deals = warehouse.execute(
        "select owner_user_id, sum(is_won::int) as won, sum(is_lost::int) as lost from main.fct_opportunities"
        " where is_closed and close_date >= ? and close_date <= ? group by 1",
        [first_month, as_of_day],
    ).df()
    activities = warehouse.execute(
        "select user_id, count(*) as activities from main.fct_activities"
        " where activity_date >= ? and activity_date <= ? group by 1",
        [first_month, as_of_day],
    ).df()
    reps = set(
        warehouse.execute("select user_id from main.dim_users where role in ('sales_rep', 'sales_manager')").df()[
            "user_id"
        ]
    )
    working = (set(activities["user_id"]) | set(deals["owner_user_id"])) & reps
    assert set(answer.index) == working
    overall = deals["won"].sum() / (deals["won"].sum() + deals["lost"].sum())
    assert answer["overall_win_rate"].iloc[0] == pytest.approx(overall, rel=1e-9)
    for user_id, rep in answer.iterrows():
        rep_deals = deals[deals["owner_user_id"] == user_id]
        won, lost = (int(rep_deals["won"].sum()), int(rep_deals["lost"].sum()))
        assert (rep["won_deals"], rep["closed_deals"]) == (won, won + lost), user_id
        if won + lost:
            assert rep["win_rate"] == pytest.approx(won / (won + lost), rel=1e-9)
        logged = activities.loc[activities["user_id"] == user_id, "activities"].sum()
        assert rep["activities"] == logged, user_id
    median = answer["activities"].median()
    flagged = {u for u, r in answer.iterrows() if r["activities"] > median and r["win_rate"] < overall}
    assert set(answer.index[answer["is_high_activity_low_win_rate"]]) == flagged


def test_deals_stuck_longest_in_stage_matches_facts(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict]
) -> None:
    answer = run_analysis(warehouse, compiled, "deals_stuck_longest_in_stage")
    as_of_day = pd.Timestamp(as_of(warehouse))
    history = warehouse.execute(
        "select t.opportunity_id, t.stage, t.entered_at from main.fct_opportunity_stage_transitions as t"
        " inner join main.fct_opportunities as o on t.opportunity_id = o.opportunity_id where not o.is_closed"
    ).df()
    latest = history.sort_values("entered_at").groupby("opportunity_id").tail(1)
    latest = latest.assign(days=(as_of_day - pd.to_datetime(latest["entered_at"]).dt.normalize()).dt.days)
    (open_deals,) = warehouse.execute("select count(*) from main.fct_opportunities where not is_closed").fetchone()
    assert len(answer) == len(latest) == open_deals
    top = latest.sort_values(["days", "opportunity_id"], ascending=[False, True]).iloc[0]
    assert (answer.iloc[0]["opportunity_id"], answer.iloc[0]["stage"]) == (top["opportunity_id"], top["stage"])
    assert answer.iloc[0]["days_in_current_stage"] == top["days"]
    assert answer["days_in_current_stage"].is_monotonic_decreasing


def test_unresolved_tickets_and_churn_matches_facts(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict]
) -> None:
    answer = run_analysis(warehouse, compiled, "unresolved_tickets_and_churn").set_index("open_tickets_band")
    accounts = warehouse.execute(
        "select account_id, subscription_state from main.dim_accounts"
        " where is_customer and subscription_state in ('active', 'churned')"
    ).df()
    tickets = warehouse.execute(
        "select account_id, count(*) as open_tickets from main.fct_tickets"
        " where not is_resolved and opened_date <= ? group by 1",
        [as_of(warehouse)],
    ).df()
    merged = accounts.merge(tickets, on="account_id", how="left").fillna({"open_tickets": 0})
    merged["band"] = merged["open_tickets"].map(lambda n: "0" if n == 0 else "1" if n == 1 else "2+")
    for band, group in merged.groupby("band"):
        churned = int((group["subscription_state"] == "churned").sum())
        assert (answer.loc[band, "subscribers"], answer.loc[band, "churned_subscribers"]) == (len(group), churned)
        assert answer.loc[band, "churned_share"] == pytest.approx(churned / len(group), rel=1e-9)
        assert answer.loc[band, "open_tickets"] == group["open_tickets"].sum()
    assert answer["subscribers"].sum() == len(merged)


def test_forecast_vs_actual_by_quarter_matches_won_deals(
    warehouse: duckdb.DuckDBPyConnection, compiled: tuple[dict[str, str], dict]
) -> None:
    answer = run_analysis(warehouse, compiled, "forecast_vs_actual_by_quarter")
    complete = answer[answer["is_quarter_complete"]]
    assert len(complete) >= 4
    won = warehouse.execute(
        "select date_trunc('quarter', close_date)::date as quarter_start, sum(amount_usd) as won_usd"
        " from main.fct_opportunities where is_won group by 1"
    ).df()
    won_by_quarter = {row.quarter_start: row.won_usd for row in won.itertuples()}
    for row in complete.itertuples():
        assert row.months_with_actuals == 3
        assert row.actual_won_amount_usd == pytest.approx(won_by_quarter.get(row.target_quarter_start, 0), abs=0.01)
        assert row.forecast_error_usd == pytest.approx(row.actual_won_amount_usd - row.expected_revenue_usd)


def app_tables_queried() -> set[str]:
    """Every table the app's source passes to queries.select / distinct / table_columns (a literal, or a module
    constant); a table given any other way fails, so the parse cannot silently miss a read."""
    tables: set[str] = {table for spec in FILTERS for table, _ in spec.options}
    for path in sorted(APP_DIR.rglob("*.py")):
        if path.name in APP_HELPERS:
            continue
        tree = ast.parse(path.read_text())
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            is_mart_where = (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "mart_where"
            )
            if not is_mart_where and not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "queries"
                and node.func.attr in APP_READ_FUNCTIONS
            ):
                continue
            table = node.args[0] if node.args else None
            if isinstance(table, ast.Constant) and isinstance(table.value, str):
                tables.add(table.value)
            elif isinstance(table, ast.Name) and table.id in constants:
                tables.add(constants[table.id])
            else:
                pytest.fail(f"{path.name}:{node.lineno}: table of queries.{node.func.attr} is not a literal")
    return tables


def test_app_exposure_names_every_table_the_app_queries(compiled: tuple[dict[str, str], dict]) -> None:
    _, manifest = compiled
    exposure = manifest["exposures"]["exposure.crm_warehouse.crm_app"]
    assert exposure["type"] == "application"
    assert exposure["owner"]["name"]
    assert exposure["url"].startswith("http://localhost")
    depends_on = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    marts = app_tables_queried()
    assert len(marts) >= 20
    assert marts <= APP_TABLES, "the app queries a table publish does not copy"
    # The metric queries read what the semantic models are built on (published beside the marts).
    semantic = {model["node_relation"]["alias"] for model in manifest["semantic_models"].values()}
    semantic |= {node["name"] for node in manifest["nodes"].values() if node.get("time_spine")}
    assert {"fct_opportunities", "fct_orders", "dim_date"} <= semantic
    queried = marts | semantic
    assert depends_on == queried, (
        f"update models/marts/_exposures.yml: missing {sorted(queried - depends_on)},"
        f" not read by the app {sorted(depends_on - queried)}"
    )
