"""Every metric query the app runs, by name: metrics of the semantic layer and what they are grouped by.

Compiled once per build by MetricFlow (crm_warehouse.semantic.compile, at publish) into parameterised SQL stored in
the published copy; the pages ask for a query by name with the sidebar filters (app/metrics.py). Kept free of
Streamlit so the publish step can import it.
"""

from __future__ import annotations

from crm_warehouse.semantic.compile import MetricQuery

MONTH = ("metric_time__month",)
QUARTER = ("metric_time__quarter",)

# The Overview's tiles: one query per tile, so each tile takes every filter its own metric can.
KPI_METRICS: tuple[str, ...] = (
    "revenue",
    "net_new_revenue",
    "win_rate",
    "open_pipeline",
    "sales_cycle_days_median",
    "logo_churn_rate",
    "net_revenue_retention",
    "net_revenue_retention_ttm",
    "nps",
    "cac",
    "clv_to_cac",
)

APP_QUERIES: dict[str, MetricQuery] = {
    **{f"kpi_{metric}": MetricQuery((metric,)) for metric in KPI_METRICS},
    "overview_revenue": MetricQuery(("revenue", "net_new_revenue")),
    "overview_win_rate": MetricQuery(("win_rate", "win_rate_amount")),
    "overview_retention": MetricQuery(("logo_churn_rate", "net_revenue_retention", "gross_revenue_retention")),
    "pipeline_open": MetricQuery(("open_pipeline", "weighted_pipeline", "next_month_quota", "pipeline_coverage")),
    "pipeline_goals": MetricQuery(("won_amount", "quota", "quota_attainment")),
    "funnel_leads": MetricQuery(("leads_created", "converted_leads_count", "lead_conversion_rate")),
    "funnel_lead_response": MetricQuery(("lead_response_hours_mean", "lead_response_hours_median")),
    "funnel_win_rate_by_source": MetricQuery(
        ("win_rate", "won_deals", "closed_deals"), (*QUARTER, "opportunity__lead_source")
    ),
    "funnel_win_rate_by_rep": MetricQuery(("win_rate", "won_deals", "closed_deals"), (*QUARTER, "rep")),
    "cycle_trend": MetricQuery(("sales_cycle_days_mean", "sales_cycle_days_median", "won_deals")),
    "churn_logos": MetricQuery(("logo_churn_rate", "customers_churned", "customers_active_at_start")),
    "churn_bridge": MetricQuery(("start_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "mrr")),
    "churn_retention": MetricQuery(
        ("net_revenue_retention", "gross_revenue_retention", "net_revenue_retention_ttm", "gross_revenue_retention_ttm")
    ),
    "service_tickets": MetricQuery(
        ("tickets_opened", "first_response_hours_mean", "first_contact_resolution_rate", "sla_compliance_rate")
    ),
    "service_calls": MetricQuery(("service_calls", "abandoned_calls", "abandoned_call_rate")),
    "service_perception": MetricQuery(("nps", "nps_responses", "csat", "ces")),
    "adoption_teams": MetricQuery(
        ("crm_logins", "active_crm_users", "crm_logins_per_active_user"), (*MONTH, "rep__team")
    ),
    "profitability_revenue": MetricQuery(("revenue", "gross_margin", "completed_orders", "average_purchase_value")),
    "profitability_acquisition": MetricQuery(("acquisition_spend", "new_customers_acquired", "cac", "clv_to_cac")),
}

# Metric or group-by name -> the column name the app shows it under (its mart column, so labels.py and the
# definitions apply; the Definitions page names the metric).
COLUMNS: dict[str, str] = {
    "metric_time__month": "month_start",
    "metric_time__quarter": "period_start",
    "opportunity__lead_source": "lead_source",
    "rep": "owner_user_id",
    "rep__team": "team",
    "revenue": "revenue_usd",
    "net_new_revenue": "net_new_revenue_usd",
    "gross_margin": "gross_margin_usd",
    "average_purchase_value": "average_purchase_value_usd",
    "acquisition_spend": "acquisition_spend_usd",
    "cac": "cac_usd",
    "clv_to_cac": "clv_to_cac_ratio",
    "win_rate_amount": "amount_win_rate",
    "won_amount": "won_amount_usd",
    "open_pipeline": "open_pipeline_usd",
    "weighted_pipeline": "weighted_pipeline_usd",
    "next_month_quota": "next_month_quota_usd",
    "pipeline_coverage": "pipeline_coverage_ratio",
    "quota": "quota_usd",
    "quota_attainment": "attainment_ratio",
    "converted_leads_count": "converted_leads",
    "leads_created": "new_leads",
    "lead_response_hours_mean": "mean_lead_response_hours",
    "lead_response_hours_median": "median_lead_response_hours",
    "sales_cycle_days_mean": "mean_sales_cycle_days",
    "sales_cycle_days_median": "median_sales_cycle_days",
    "start_mrr": "start_mrr_usd",
    "expansion_mrr": "expansion_mrr_usd",
    "contraction_mrr": "contraction_mrr_usd",
    "churned_mrr": "churned_mrr_usd",
    "mrr": "mrr_usd",
    "first_response_hours_mean": "avg_first_response_hours",
    "csat": "csat_mean",
    "ces": "ces_mean",
    "crm_logins": "logins",
    "crm_logins_per_active_user": "logins_per_active_user",
}
