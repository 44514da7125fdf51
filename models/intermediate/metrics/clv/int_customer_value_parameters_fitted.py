"""BG/NBD and Gamma-Gamma fitted on int_account_rfm_summarised: one row of parameters, fit status and reason.

A dbt Python model (dbt-duckdb runs it in the dbt process), so the build fits with the very functions
python/tests/test_clv_cdnow.py validates (crm_warehouse.clv); the guard is crm_warehouse.clv.warehouse.
Contracts cannot be enforced on Python models: the mart customer_value_model_parameters types and checks it.
"""

from crm_warehouse.model_imports import import_method

clv = import_method("crm_warehouse.clv.warehouse")


def model(dbt, session):
    dbt.config(materialized="table")
    summary = dbt.ref("int_account_rfm_summarised").df()
    calibration = dbt.ref("int_customer_value_calibration_dated").df()
    settings = clv.FitSettings(
        min_customers=int(dbt.config.get("clv_min_customers")),
        min_repeat_customers=int(dbt.config.get("clv_min_repeat_customers")),
        max_shape_parameter=float(dbt.config.get("clv_max_shape_parameter")),
    )
    return clv.fit_parameters(summary, calibration["calibration_end_date"].iloc[0], settings)
