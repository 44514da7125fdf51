-- One row: the fitted BG/NBD and Gamma-Gamma parameters with their fit status and reason (the fit and its guard:
-- int_customer_value_parameters_fitted, a dbt Python model; this mart types it under an enforced contract).
with fitted as (
    select * from {{ ref('int_customer_value_parameters_fitted') }}
),

final as (
    select
        cast(calibration_end_date as date) as calibration_end_date,
        cast(customers_fitted as {{ dbt.type_int() }}) as customers_fitted,
        cast(repeat_customers as {{ dbt.type_int() }}) as repeat_customers,
        cast(gamma_gamma_customers_fitted as {{ dbt.type_int() }}) as gamma_gamma_customers_fitted,
        cast(fit_status as varchar) as fit_status,
        cast(fit_reason as varchar) as fit_reason,
        cast(bgnbd_fit_status as varchar) as bgnbd_fit_status,
        cast(bgnbd_fit_reason as varchar) as bgnbd_fit_reason,
        cast(gamma_gamma_fit_status as varchar) as gamma_gamma_fit_status,
        cast(gamma_gamma_fit_reason as varchar) as gamma_gamma_fit_reason,
        cast(r as double) as r,
        cast(alpha as double) as alpha,
        cast(a as double) as a,
        cast(b as double) as b,
        cast(bgnbd_log_likelihood as double) as bgnbd_log_likelihood,
        cast(p as double) as p,
        cast(q as double) as q,
        cast(gamma as double) as gamma,
        cast(gamma_gamma_log_likelihood as double) as gamma_gamma_log_likelihood,
        cast({{ var('clv_forecast_horizon_months') }} as double) as forecast_horizon_months,
        cast({{ var('clv_annual_discount_rate') }} as double) as annual_discount_rate
    from fitted
)

select * from final
