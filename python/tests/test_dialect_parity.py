"""One generated world, built from its contract, its Salesforce and its HubSpot export (issue 11): the marts agree.

`python -m crm_warehouse.generate --scale 0.05 --dialect contract|salesforce|hubspot` writes the same world three
times; the three builds run side by side (about 2 minutes on two cores). For each CRM dialect, every mart of the
warehouse is either compared row for row with the contract build's (table_mismatches: doubles within 1e-9
relative) or listed in the dialect's not_compared with why; a compared mart may leave out columns, each with why
(excluded_columns). The CRM's ids in its build are mapped back to the contract ids they were derived from (the
dialect's contract_id, in any letter case: staging upper-cases ids) before comparing.

What differs is what the adapter cannot know from the export (fields with no standard source in that CRM, or not
read by the adapter), not a difference of the generated world: each reason below names the field.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import assert_ok, run_dbt, table_mismatches, tables_in

from crm_warehouse.analytics.clusters import Z_COLUMNS
from crm_warehouse.generate.__main__ import main as generate_main
from crm_warehouse.generate.dialects import hubspot, salesforce

SCALE = "0.05"

# --- Salesforce: reasons shared by several marts ------------------------------------------------------------------
NO_PRICE_OR_COST = (
    "Product2 and OpportunityLineItem carry no list price (pricebook entries are not read) and no unit cost, both "
    "required by the contract: the door quarantines every product and order line of the Salesforce build, so "
    "revenue, cost and product figures are empty or zero there"
)
ONE_CURRENCY = (
    "the adapter reads every amount in var salesforce_currency (USD; no currency_iso_code column is read) while "
    "the generated world prices deals and orders in five currencies, so every *_usd amount of a deal differs"
)
ACCOUNT_SEGMENTS = "account region and tier have no standard Salesforce field (null in the Salesforce build)"
LEAD_TIMES = (
    "lead campaign_id, first_response_at and qualified_at have no standard Salesforce lead field (null), so lead "
    "attribution, response times and qualification dates differ"
)
USER_ROLES = "the adapter gives every Salesforce user role sales_rep (the role hierarchy names teams, not roles)"
CREATED_BY = "accounts' and opportunities' created_by_user_id are not read by the adapter (null)"

SALESFORCE_NOT_COMPARED: dict[str, str] = {
    "fct_order_items": NO_PRICE_OR_COST,
    "dim_products": NO_PRICE_OR_COST,
    "next_best_offer": NO_PRICE_OR_COST,
    "pareto_curve": NO_PRICE_OR_COST,
    "product_affinity": NO_PRICE_OR_COST,
    "revenue_monthly": NO_PRICE_OR_COST,
    "revenue_quarterly": NO_PRICE_OR_COST,
    "customer_profitability": NO_PRICE_OR_COST + "; " + LEAD_TIMES,
    "customer_segments": NO_PRICE_OR_COST + "; " + ACCOUNT_SEGMENTS,
    "customer_value_forecast": NO_PRICE_OR_COST,
    "segment_summary": NO_PRICE_OR_COST + "; " + ACCOUNT_SEGMENTS,
    "customer_health": NO_PRICE_OR_COST + "; " + ACCOUNT_SEGMENTS,
    "kpi_overview": NO_PRICE_OR_COST + "; " + ONE_CURRENCY,
    "acquisition_cost": NO_PRICE_OR_COST + "; " + LEAD_TIMES,
    "forecast": NO_PRICE_OR_COST + "; " + ONE_CURRENCY,
    "pipeline": ONE_CURRENCY,
    "goal_attainment": ONE_CURRENCY,
    "win_rates": ONE_CURRENCY + "; " + ACCOUNT_SEGMENTS + " (rows per tier and region)",
    "sales_cycle": ACCOUNT_SEGMENTS + " (rows per tier and region)",
    "rep_scorecard": USER_ROLES + " (one row per user and role)",
    "rep_workspace": USER_ROLES + " (role column); " + LEAD_TIMES + " (the first_contact rule reads first_response_at)",
    "forecast_simulation": ONE_CURRENCY,
    "forecast_simulation_backtest": ONE_CURRENCY + " (which actuals fall inside P10-P90)",
    "revenue_trends": NO_PRICE_OR_COST + " (the revenue series); " + ONE_CURRENCY + " (new pipeline, won amount)",
    "revenue_trends_backtest": NO_PRICE_OR_COST + "; " + ONE_CURRENCY + " (the errors of those series)",
    "lead_funnel": LEAD_TIMES + " (rows per campaign; response and qualification figures)",
    "lead_scores": LEAD_TIMES + " (scores are taken at qualified_at)",
    "lead_score_calibration": LEAD_TIMES + " (scores are taken at qualified_at)",
    "campaign_performance": LEAD_TIMES + " (leads per campaign)",
    "customer_journey": LEAD_TIMES + " (lead response touches); account created_at is the last sync",
    "customer_journey_summary": LEAD_TIMES + "; contact is_decision_maker has no standard Salesforce field",
    "customer_360": NO_PRICE_OR_COST
    + " (revenue, margins, CLV, RFM score, next best offer); "
    + ACCOUNT_SEGMENTS
    + "; "
    + ONE_CURRENCY
    + " (open pipeline); "
    + LEAD_TIMES
    + " (acquisition channel); account created_at is the last sync",
    "customer_perception": ACCOUNT_SEGMENTS + " (rows per tier and region)",
    "preferred_channel": "contact preferred_channel has no standard Salesforce field (null)",
    "behaviour_cluster_profiles": NO_PRICE_OR_COST + " (revenue, products and typical products of each cluster, "
    "and the clusters themselves)",
    "churn_drivers": ACCOUNT_SEGMENTS + " (the tier terms cannot be estimated, which changes every coefficient)",
}

# behaviour_clusters is compared on the behaviour it is fitted on that the adapter carries (won deals, activities,
# engagement, tickets, tenure, churn state); the clusters themselves are fitted on revenue and products too.
SALESFORCE_CLUSTERS_FITTED = NO_PRICE_OR_COST + " (revenue and products are k-means inputs, so the clusters differ)"

SALESFORCE_EXCLUDED_COLUMNS: dict[str, dict[str, str]] = {
    "feedback_sentiment": {"account_tier": ACCOUNT_SEGMENTS, "region": ACCOUNT_SEGMENTS},
    "behaviour_clusters": {
        **dict.fromkeys(
            (
                "cluster_id",
                "cluster_label",
                "cluster_description",
                "clusters_chosen",
                "silhouette_score",
                *Z_COLUMNS.values(),
            ),
            SALESFORCE_CLUSTERS_FITTED,
        ),
        "lifetime_revenue_usd": NO_PRICE_OR_COST,
        "products": NO_PRICE_OR_COST + " (order lines are quarantined: only subscribed products count)",
        "tier": ACCOUNT_SEGMENTS,
    },
    "activity_effectiveness": {
        "connected_calls": "activities' is_connected has no Salesforce task field (null)",
        "call_connect_rate": "activities' is_connected has no Salesforce task field (null)",
    },
    "crm_adoption": {
        "role": USER_ROLES,
        "account_records_created": CREATED_BY,
        "opportunity_records_created": CREATED_BY,
        "records_created": CREATED_BY,
    },
    "crm_adoption_teams": {"records_created": CREATED_BY, "records_created_per_user": CREATED_BY},
    "customer_value_model_parameters": {
        "gamma_gamma_customers_fitted": NO_PRICE_OR_COST,
        "gamma_gamma_fit_reason": NO_PRICE_OR_COST,
    },
    "dim_accounts": {
        "region": ACCOUNT_SEGMENTS,
        "tier": ACCOUNT_SEGMENTS,
        "created_at": "the adapter takes an account's created_at from _fivetran_synced (created_date is not read)",
        "acquisition_channel": LEAD_TIMES,
        "acquisition_campaign_id": LEAD_TIMES,
    },
    "dim_contacts": {
        "is_decision_maker": "no standard Salesforce contact field (null)",
        "preferred_channel": "no standard Salesforce contact field (null)",
    },
    "dim_users": {
        "role": USER_ROLES,
        "region": "no standard Salesforce user field the adapter reads (null)",
        "hired_at": "no standard Salesforce user field (null)",
    },
    "fct_activities": {"is_connected": "no Salesforce task or event field (null)"},
    "fct_leads": {
        "campaign_id": LEAD_TIMES,
        "campaign_channel": LEAD_TIMES,
        "first_response_at": LEAD_TIMES,
        "qualified_at": LEAD_TIMES,
        "response_hours": LEAD_TIMES,
        "responded_within_sla": LEAD_TIMES,
        "hours_to_qualification": LEAD_TIMES,
    },
    "fct_opportunities": {
        "product_id": "an opportunity's product is not an Opportunity field (null)",
        "product_family": "an opportunity's product is not an Opportunity field (null)",
        "loss_reason": "no standard Salesforce Opportunity field (null)",
        "currency": ONE_CURRENCY,
        "amount_usd": ONE_CURRENCY,
        "account_tier": ACCOUNT_SEGMENTS,
        "account_region": ACCOUNT_SEGMENTS,
    },
    "fct_opportunity_stage_transitions": {
        "stage_history_id": "the adapter names a history version <opportunity id>-<_fivetran_start>",
    },
    "fct_orders": {
        "currency": ONE_CURRENCY,
        "fx_rate_to_usd": ONE_CURRENCY,
        "gross_revenue_usd": NO_PRICE_OR_COST,
        "discount_usd": NO_PRICE_OR_COST,
        "revenue_usd": NO_PRICE_OR_COST,
        "cost_usd": NO_PRICE_OR_COST,
        "margin_usd": NO_PRICE_OR_COST,
        "item_count": NO_PRICE_OR_COST,
    },
    "customer_journey_won_deals": {
        "amount_usd": ONE_CURRENCY,
        "touchpoints": LEAD_TIMES + " (no lead_qualified touch in a deal's window)",
        "decision_makers_involved": "contact is_decision_maker has no standard Salesforce field (null)",
    },
    "customer_journey_paths": {
        "mean_touchpoints_to_win": LEAD_TIMES + " (no lead_qualified touch in a deal's window)",
    },
    "sales_cycle_deals": {"account_tier": ACCOUNT_SEGMENTS, "amount_usd": ONE_CURRENCY},
    "support_performance": {
        "serviced_customer_revenue_usd": NO_PRICE_OR_COST,
        "revenue_per_service_interaction_usd": NO_PRICE_OR_COST,
    },
    "warehouse_build_info": {"built_at": "when each build ran"},
}

# --- HubSpot: reasons shared by several marts --------------------------------------------------------------------
HS_ACCOUNT_SEGMENTS = (
    "account region and tier have no standard HubSpot company property (company carries property_country only): "
    "null in the HubSpot build"
)
HS_DEAL_LEAD = (
    "no deal property or deal_* table names the lead a deal came from or its campaign (the world's leads are a "
    "contract file beside the export): deal lead_id and campaign_id are null, so deals' lead source and first "
    "contact differ"
)
HS_DEAL_PRODUCT = "a deal's product would come from line_item / deal_line_item, which the adapter does not read"
HS_PROBABILITY = (
    "a deal's probability is its stage's (deal_pipeline_stage.probability); the world's open deals have their own "
    "(the stage's, give or take 10 points), which no deal property the adapter reads carries"
)
HS_TODO_TASKS = (
    "the world's sample and proposal activities are engagement_task rows of property_hs_task_type TODO (HubSpot's "
    "task types are CALL, EMAIL, TODO), and the door quarantines activity_type todo, no contract type: those "
    "activities are missing from the HubSpot build"
)
HS_CONNECTED = "engagement_call has no connected flag the adapter reads (hs_call_disposition): is_connected null"
HS_ACTIVITY_LEAD = (
    "engagements link to contacts, companies and deals only (engagement_contact / _company / _deal): an "
    "activity's lead_id is null"
)
HS_EMAIL_EVENTS = (
    "email_event holds email events only (SENT, OPEN, CLICK): the world's web visits, form submissions, events, "
    "webinars, social engagements and list (un)subscribes are not in a HubSpot export"
)
HS_OWNERS = "owner carries no role, manager, region or active flag: every owner is a sales_rep, the rest null"
HS_CREATED_BY = "company, contact and deal carry no creator the adapter reads (hs_created_by_user_id): null"
HS_CONTACT_FIELDS = "contact's is_decision_maker and preferred_channel have no standard HubSpot contact property (null)"
HS_TICKET_FIELDS = (
    "ticket carries no contact (ticket_contact is not read), escalation time, interaction count or SLA target "
    "the adapter reads (null), so escalation, first-contact resolution and SLA figures differ"
)

HUBSPOT_NOT_COMPARED: dict[str, str] = {
    "fct_activities": HS_TODO_TASKS + "; " + HS_ACTIVITY_LEAD + "; " + HS_CONNECTED,
    "fct_engagement_events": HS_EMAIL_EVENTS,
    "engagement": HS_EMAIL_EVENTS + " (web visits, forms, events per account)",
    "email_list_growth": HS_EMAIL_EVENTS + " (the list (un)subscribes)",
    "campaign_performance": HS_EMAIL_EVENTS + "; " + HS_DEAL_LEAD,
    "lead_scores": HS_EMAIL_EVENTS + " (scores count a lead's engagement events)",
    "lead_score_calibration": HS_EMAIL_EVENTS + " (scores count a lead's engagement events)",
    "customer_journey": HS_EMAIL_EVENTS + "; " + HS_ACTIVITY_LEAD + "; " + HS_TODO_TASKS,
    "customer_journey_summary": HS_EMAIL_EVENTS + "; " + HS_TODO_TASKS + "; " + HS_CONTACT_FIELDS,
    "customer_journey_won_deals": HS_EMAIL_EVENTS + "; " + HS_TODO_TASKS + "; " + HS_CONTACT_FIELDS,
    "customer_journey_paths": HS_EMAIL_EVENTS + " (marketing steps of the paths); " + HS_TODO_TASKS,
    "customer_360": HS_ACCOUNT_SEGMENTS
    + "; "
    + HS_EMAIL_EVENTS
    + " (last touch); "
    + HS_TODO_TASKS
    + " (last touch, health score)",
    "customer_health": HS_ACCOUNT_SEGMENTS + "; " + HS_TODO_TASKS + " (last activity, recency)",
    "customer_perception": HS_ACCOUNT_SEGMENTS + " (rows per tier and region)",
    "segment_summary": HS_ACCOUNT_SEGMENTS + " (rows per tier and region)",
    "sales_cycle": HS_ACCOUNT_SEGMENTS + "; " + HS_DEAL_LEAD + " (rows per tier, region and lead source)",
    "win_rates": HS_ACCOUNT_SEGMENTS + "; " + HS_DEAL_LEAD + " (rows per tier, region and lead source)",
    "rep_scorecard": HS_OWNERS + " (one row per user and role)",
    "preferred_channel": HS_CONTACT_FIELDS + " (the stated channel); " + HS_TODO_TASKS,
    "rep_workspace": HS_OWNERS
    + " (role column); "
    + HS_TODO_TASKS
    + " (last activity, the demo / proposal rules); "
    + HS_ACTIVITY_LEAD
    + " (a lead's last activity)",
    "forecast_simulation": HS_PROBABILITY + " (rep_entered_forecast_usd is amount x the deal's own probability)",
    "behaviour_clusters": HS_TODO_TASKS + " (activities feature); " + HS_EMAIL_EVENTS + " (engagement feature): "
    "the k-means input differs; " + HS_ACCOUNT_SEGMENTS + " (tier column)",
    "behaviour_cluster_profiles": HS_TODO_TASKS + "; " + HS_EMAIL_EVENTS + " (the clusters are fitted on them)",
    "churn_drivers": HS_TICKET_FIELDS
    + " (the escalated-ticket count); "
    + HS_ACCOUNT_SEGMENTS
    + " (tier terms); "
    + HS_TODO_TASKS
    + " (recency)",
}

HUBSPOT_EXCLUDED_COLUMNS: dict[str, dict[str, str]] = {
    "feedback_sentiment": {"account_tier": HS_ACCOUNT_SEGMENTS, "region": HS_ACCOUNT_SEGMENTS},
    "activity_effectiveness": {
        **dict.fromkeys(
            (
                "interactions",
                "samples",
                "proposals",
                "activities_on_won_deals",
                "interactions_per_won_deal",
                "closed_deals_with_sample",
                "won_deals_with_sample",
                "sample_conversion_rate",
                "interactions_per_account",
            ),
            HS_TODO_TASKS,
        ),
        "connected_calls": HS_CONNECTED,
        "call_connect_rate": HS_CONNECTED,
    },
    "crm_adoption": {
        "role": HS_OWNERS,
        **dict.fromkeys(
            ("account_records_created", "contact_records_created", "opportunity_records_created", "records_created"),
            HS_CREATED_BY,
        ),
        "activities_logged": HS_TODO_TASKS,
    },
    "crm_adoption_teams": {
        "records_created": HS_CREATED_BY,
        "records_created_per_user": HS_CREATED_BY,
        "activities_logged": HS_TODO_TASKS,
        "activities_logged_per_user": HS_TODO_TASKS,
    },
    "customer_segments": {
        "region": HS_ACCOUNT_SEGMENTS,
        "account_tier": HS_ACCOUNT_SEGMENTS,
    },
    "dim_accounts": {"region": HS_ACCOUNT_SEGMENTS, "tier": HS_ACCOUNT_SEGMENTS},
    "dim_contacts": {"is_decision_maker": HS_CONTACT_FIELDS, "preferred_channel": HS_CONTACT_FIELDS},
    "dim_users": dict.fromkeys(("role", "manager_user_id", "region", "is_active"), HS_OWNERS),
    "fct_opportunities": {
        **dict.fromkeys(
            ("lead_id", "lead_source", "campaign_id", "first_contact_at", "cycle_days_from_first_contact"),
            HS_DEAL_LEAD,
        ),
        "product_id": HS_DEAL_PRODUCT,
        "product_family": HS_DEAL_PRODUCT,
        "probability": HS_PROBABILITY,
        "account_tier": HS_ACCOUNT_SEGMENTS,
        "account_region": HS_ACCOUNT_SEGMENTS,
    },
    "fct_opportunity_stage_transitions": {
        "stage_history_id": "the adapter names a deal_stage version <deal_id>-<_fivetran_start>",
    },
    "fct_tickets": dict.fromkeys(
        (
            "contact_id",
            "escalated_at",
            "hours_to_escalation",
            "is_escalated",
            "is_first_contact_resolution",
            "met_first_response_sla",
            "met_resolution_sla",
            "interactions_count",
            "sla_first_response_hours",
            "sla_resolution_hours",
        ),
        HS_TICKET_FIELDS,
    ),
    "sales_cycle_deals": {
        "account_tier": HS_ACCOUNT_SEGMENTS,
        **dict.fromkeys(("lead_source", "first_contact_date", "cycle_days_from_first_contact"), HS_DEAL_LEAD),
    },
    "support_performance": dict.fromkeys(
        (
            "first_contact_resolutions",
            "first_contact_resolution_rate",
            "escalated_tickets",
            "escalation_rate",
            "avg_hours_to_escalation",
            "first_response_sla_rate",
            "resolution_sla_rate",
            "sla_compliance_rate",
        ),
        HS_TICKET_FIELDS,
    ),
    "warehouse_build_info": {"built_at": "when each build ran"},
}


@dataclass(frozen=True)
class Dialect:
    name: str
    contract_id: Callable[[str | None], str | None]
    not_compared: dict[str, str]
    excluded_columns: dict[str, dict[str, str]]
    seeds: frozenset[str]  # the adapter's seeds (lookups, not marts) in its build


DIALECTS = {
    "salesforce": Dialect(
        "salesforce",
        salesforce.contract_id,
        SALESFORCE_NOT_COMPARED,
        SALESFORCE_EXCLUDED_COLUMNS,
        frozenset({"salesforce_picklist_map"}),
    ),
    "hubspot": Dialect(
        "hubspot",
        hubspot.contract_id,
        HUBSPOT_NOT_COMPARED,
        HUBSPOT_EXCLUDED_COLUMNS,
        frozenset({"hubspot_stage_map", "hubspot_activity_type_map"}),
    ),
}

# Compared marts without rows in this small world (so their equality proves little).
EMPTY_IN_THIS_WORLD = {"at_risk_accounts": "no account of the scale-0.05 world is at risk on its last day"}


@dataclass(frozen=True)
class Builds:
    contract: Path
    crm: dict[str, Path]  # dialect -> its build
    exports: dict[str, Path]  # dialect (and contract) -> its export
    work: Path


def build(work: Path, raw: Path, crm_source: str | None) -> Path:
    # Models and seeds only: the data tests of a build are other tests' business, and leaving them out halves the
    # time. (A full Salesforce build also needs quarantine_error_share 1.0: NO_PRICE_OR_COST quarantines 100% of
    # products and order lines, which the quarantine gate, a data test, stops.)
    env = {"CRM_SOURCE": crm_source, "CRM_SOURCE_FILE_PATTERN": None}
    result = run_dbt(work, raw, "build", "--exclude-resource-type", "test", "unit_test", env_overrides=env)
    assert_ok(result)
    return work / "crm.duckdb"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    work = tmp_path_factory.mktemp("dialect_parity")
    exports = {dialect: work / f"export_{dialect}" for dialect in ("contract", *DIALECTS)}
    for dialect, out in exports.items():
        assert generate_main(["--scale", SCALE, "--out", str(out), "--dialect", dialect, "--quiet"]) == 0
    with ThreadPoolExecutor(max_workers=len(exports)) as pool:
        futures = {
            dialect: pool.submit(build, work / f"build_{dialect}", out, None if dialect == "contract" else dialect)
            for dialect, out in exports.items()
        }
        built = {dialect: future.result() for dialect, future in futures.items()}
    contract = built.pop("contract")
    yield Builds(contract, built, exports, work)


def projected(database: Path, out: Path, marts: list[str], dialect: Dialect, map_ids: bool) -> Path:
    """The marts of database without the dialect's excluded columns, its ids mapped back when map_ids, into out."""
    with duckdb.connect(str(out)) as connection:
        connection.create_function("contract_id", dialect.contract_id, ["VARCHAR"], "VARCHAR", null_handling="special")
        connection.execute(f"attach '{database}' as source (read_only)")
        for mart in marts:
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_catalog = 'source' and table_schema = 'main' and table_name = ?"
                " order by ordinal_position",
                [mart],
            ).fetchall()
            kept = [
                (f'contract_id("{name}")' if map_ids and data_type == "VARCHAR" else f'"{name}"') + f' as "{name}"'
                for name, data_type in columns
                if name not in dialect.excluded_columns.get(mart, {})
            ]
            connection.execute(f"create table main.{mart} as select {', '.join(kept)} from source.main.{mart}")
    return out


def first_difference(left: Path, right: Path, mart: str, crm: str) -> tuple[str, object]:
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        row = connection.execute(f"select * from l.main.{mart} except all select * from r.main.{mart} limit 1")
        found = row.fetchone()
        if found is not None:
            return f"contract row not in the {crm} build", found
        other = connection.execute(f"select * from r.main.{mart} except all select * from l.main.{mart} limit 1")
        return f"{crm} row not in the contract build", other.fetchone()


def compared_marts(builds: Builds, dialect: Dialect) -> list[str]:
    return [mart for mart in tables_in(builds.contract) if mart not in dialect.not_compared]


@pytest.mark.parametrize("name", DIALECTS)
def test_every_mart_is_compared_or_excluded_with_a_reason(builds: Builds, name: str) -> None:
    dialect = DIALECTS[name]
    marts = set(tables_in(builds.contract))
    # The CRM's build also has its adapter's seeds (lookups, not marts).
    assert set(tables_in(builds.crm[name])) == marts | dialect.seeds
    assert set(dialect.not_compared) <= marts, sorted(set(dialect.not_compared) - marts)
    assert set(dialect.excluded_columns) <= marts - set(dialect.not_compared)
    assert all(dialect.not_compared.values())
    assert all(reason for columns in dialect.excluded_columns.values() for reason in columns.values())
    # At least half the marts are compared.
    assert len(compared_marts(builds, dialect)) >= len(marts) / 2


@pytest.mark.parametrize("name", DIALECTS)
def test_compared_marts_equal_row_for_row(builds: Builds, name: str) -> None:
    dialect = DIALECTS[name]
    marts = compared_marts(builds, dialect)
    left = projected(builds.contract, builds.work / f"left_{name}.duckdb", marts, dialect, map_ids=False)
    right = projected(builds.crm[name], builds.work / f"right_{name}.duckdb", marts, dialect, map_ids=True)
    counts = {}
    with duckdb.connect(str(left), read_only=True) as connection:
        for mart in marts:
            counts[mart] = connection.execute(f"select count(*) from main.{mart}").fetchone()[0]
    failures = []
    for mart, mismatched in table_mismatches(left, right, marts).items():
        if mismatched:
            side, row = first_difference(left, right, mart, name)
            failures.append(f"{mart}: {mismatched} rows differ; first: {side}: {row}")
    assert not failures, "\n".join(failures)
    empty = {mart for mart, count in counts.items() if count == 0}
    assert empty == set(EMPTY_IN_THIS_WORLD), empty


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def source_accounting(database: Path) -> dict[str, tuple[int, int]]:
    """{source table: (rows excluded, rows mapped)} of a CRM build."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            table: (excluded, mapped)
            for table, excluded, mapped in connection.execute(
                "select source_table, rows_excluded, rows_mapped"
                " from main_intermediate.data_quality__source_row_accounting"
            ).fetchall()
        }


def test_salesforce_quirk_rows_excluded_and_counted(builds: Builds) -> None:
    # The writer adds, outside the world: 2 deleted accounts, 1 contact, 1 lead, 2 opportunities (each with one
    # active history version: excluded as versions of a deleted opportunity), 2 tasks, 1 event, 1 product, 1 order,
    # 1 line item, 1 _fivetran_deleted user and role, and a superseded version for every 10th opportunity (those
    # with stage history). Mapped = the contract file's rows (the role lookup: one role per distinct team).
    export = builds.exports["salesforce"]
    contract = builds.exports["contract"]
    history = rows(export / "opportunity_history.csv")
    superseded = sum(1 for row in history if row["_fivetran_active"] == "false")
    assert superseded > 0
    activities = len(rows(contract / "activities.csv"))
    teams = {row["team"] for row in rows(contract / "users.csv") if row["team"]}
    expected = {
        "account": (2, len(rows(contract / "accounts.csv"))),
        "contact": (1, len(rows(contract / "contacts.csv"))),
        "lead": (1, len(rows(contract / "leads.csv"))),
        "opportunity": (2, len(rows(contract / "opportunities.csv"))),
        "opportunity_history": (superseded + 2, len(rows(contract / "opportunity_stage_history.csv"))),
        "product_2": (1, len(rows(contract / "products.csv"))),
        "order": (1, len(rows(contract / "orders.csv"))),
        "opportunity_line_item": (1, len(rows(contract / "order_items.csv"))),
        "user": (1, len(rows(contract / "users.csv"))),
        "user_role": (1, len(teams)),
    }
    accounted = source_accounting(builds.crm["salesforce"])
    assert {table: accounted[table] for table in expected} == expected
    # Tasks and events together are the world's activities, less 2 + 1 deleted.
    assert accounted["task"][0] == 2 and accounted["event"][0] == 1
    assert accounted["task"][1] + accounted["event"][1] == activities


def test_hubspot_quirk_rows_excluded_and_counted(builds: Builds) -> None:
    # The writer adds, outside the world: 2 deleted companies, 1 deleted contact, 2 deleted deals and 2 deals
    # merged into the first two (a deal row, a primary deal_company link and a deal_stage version each), a deleted
    # call, email, note and task, 1 deleted ticket, a superseded deal_stage version for every 10th deal (those with
    # stage history), type-341 (not primary) deal_company links (every 5th deal's to the first company, one to a
    # deleted company), and email events the adapter leaves out: PROCESSED + DELIVERED for every 5th send and 2
    # filtered opens. Mapped = the contract file's rows of each table's share of the world.
    export = builds.exports["hubspot"]
    contract = builds.exports["contract"]
    superseded = sum(1 for row in rows(export / "deal_stage.csv") if row["_fivetran_active"] == "false")
    not_primary = sum(1 for row in rows(export / "deal_company.csv") if row["type_id"] == "341")
    assert superseded > 0 and not_primary > 1
    opportunities = rows(contract / "opportunities.csv")
    activities = rows(contract / "activities.csv")
    events = rows(contract / "engagement_events.csv")
    sends = sum(1 for e in events if e["event_type"] == "email_sent")

    def of_type(*types: str) -> int:
        return sum(1 for a in activities if a["activity_type"] in types)

    expected = {
        "company": (2, len(rows(contract / "accounts.csv"))),
        "contact": (1, len(rows(contract / "contacts.csv"))),
        "deal": (2 + 2, len(opportunities)),
        "deal_company": (not_primary + 2, sum(1 for o in opportunities if o["account_id"])),
        "deal_stage": (superseded + 2 + 2, len(rows(contract / "opportunity_stage_history.csv"))),
        "engagement_call": (1, of_type("call")),
        "engagement_email": (1, of_type("email")),
        "engagement_meeting": (0, of_type("meeting", "demo", "event")),
        "engagement_note": (1, 0),
        "engagement_task": (1, of_type("sample", "proposal")),
        "ticket": (1, len(rows(contract / "tickets.csv"))),
        # Every 5th send: the 1st, 6th, 11th, ... -> ceil(sends / 5) sends with 2 delivery events each.
        "email_event": (
            2 * ((sends + 4) // 5) + 2,
            sum(1 for e in events if e["event_type"] in ("email_sent", "email_open", "email_click")),
        ),
        "owner": (0, len(rows(contract / "users.csv"))),
    }
    accounted = source_accounting(builds.crm["hubspot"])
    assert {table: accounted[table] for table in expected} == expected
    assert set(accounted) == set(expected)
