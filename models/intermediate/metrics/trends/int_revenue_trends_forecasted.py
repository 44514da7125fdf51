"""ETS fit of each monthly series of int_revenue_trend_months_compared (revenue, new pipeline, won deals, won
amount): trend and seasonal components of its complete months, a forecast of the months after with 80% and 95%
prediction intervals, and the backtest forecast of its last known months. Method: crm_warehouse.analytics.trends.
"""

from crm_warehouse.model_imports import import_method

trends = import_method("crm_warehouse.analytics.trends")


def model(dbt, session):
    dbt.config(materialized="table")
    series = dbt.ref("int_revenue_trend_months_compared").df().rename(columns={"series_value": "value"})
    settings = trends.TrendSettings(
        horizon_months=int(dbt.config.get("revenue_trends_horizon_months")),
        backtest_months=int(dbt.config.get("revenue_trends_backtest_months")),
        seasonal_min_months=int(dbt.config.get("revenue_trends_seasonal_min_months")),
        min_fit_months=int(dbt.config.get("revenue_trends_min_fit_months")),
    )
    return trends.forecast_trends(series[["series_name", "month_start", "value", "is_complete_month"]], settings)
