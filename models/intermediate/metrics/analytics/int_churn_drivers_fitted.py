"""Logistic regression of churn at each subscription renewal (int_subscription_renewals_observed) on tickets,
satisfaction, recency, tenure, product mix and segment: one row per term. Method:
crm_warehouse.analytics.churn_drivers (fit_churn_drivers).
"""

from crm_warehouse.model_imports import import_method

churn_drivers = import_method("crm_warehouse.analytics.churn_drivers")


def model(dbt, session):
    dbt.config(materialized="table")
    observations = dbt.ref("int_subscription_renewals_observed").df()
    drivers = churn_drivers.fit_churn_drivers(observations)
    drivers["is_significant_5pct"] = drivers["is_significant_5pct"].astype("boolean")
    for column in [*churn_drivers.ESTIMATES, "planted_log_odds", "pseudo_r_squared"]:
        drivers[column] = drivers[column].astype("float64")
    return drivers
