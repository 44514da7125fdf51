"""Per account of int_account_rfm_summarised: BG/NBD expected purchases over the horizon (plain and discounted),
P(alive) and the Gamma-Gamma expected order value, from the parameters of int_customer_value_parameters_fitted
(null where that fit is not 'fitted'). Formulas: crm_warehouse.clv (bgnbd, gamma_gamma, warehouse.score_customers).
"""

from crm_warehouse.model_imports import import_method

clv = import_method("crm_warehouse.clv.warehouse")


def model(dbt, session):
    dbt.config(materialized="table")
    summary = dbt.ref("int_account_rfm_summarised").df()
    parameters = dbt.ref("int_customer_value_parameters_fitted").df()
    return clv.score_customers(
        summary,
        parameters,
        horizon_months=float(dbt.config.get("clv_forecast_horizon_months")),
        annual_discount_rate=float(dbt.config.get("clv_annual_discount_rate")),
    )
