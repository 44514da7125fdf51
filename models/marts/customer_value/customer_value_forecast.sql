-- Per account with a completed order in the calibration period: BG/NBD expected purchases and P(alive),
-- Gamma-Gamma expected order value, predicted CLV and churn-risk tier. The scores come from the dbt Python model
-- int_customer_value_scored; the CLV formula and the tier are macros (macros/metrics/churn_risk_tier.sql).
-- Guard: every value of a fit that is not 'fitted' is null here, whatever the score model holds.
with summary as (
    select * from {{ ref('int_account_rfm_summarised') }}
),

scores as (
    select * from {{ ref('int_customer_value_scored') }}
),

parameters as (
    select * from {{ ref('customer_value_model_parameters') }}
),

profitability as (
    select * from {{ ref('int_account_profitability_calculated') }}
),

guarded as (
    select
        summary.account_id,
        summary.calibration_end_date,
        summary.first_purchase_date,
        summary.last_purchase_date,
        summary.order_count,
        summary.frequency,
        summary.recency_weeks,
        summary.t_weeks,
        summary.monetary_value_usd,
        summary.unconverted_order_count,
        parameters.forecast_horizon_months,
        scores.horizon_weeks,
        parameters.bgnbd_fit_status,
        parameters.gamma_gamma_fit_status,
        case when parameters.bgnbd_fit_status = 'fitted' then scores.expected_purchases end as expected_purchases,
        case
            when parameters.bgnbd_fit_status = 'fitted' then scores.discounted_expected_purchases
        end as discounted_expected_purchases,
        case when parameters.bgnbd_fit_status = 'fitted' then scores.p_alive end as p_alive,
        case
            when parameters.gamma_gamma_fit_status = 'fitted' then scores.expected_average_order_value_usd
        end as expected_average_order_value_usd,
        profitability.margin_pct
    from summary
    cross join parameters
    left join scores
        on summary.account_id = scores.account_id
    left join profitability
        on summary.account_id = profitability.account_id
),

final as (
    select
        account_id,
        calibration_end_date,
        first_purchase_date,
        last_purchase_date,
        cast(order_count as {{ dbt.type_int() }}) as order_count,
        cast(frequency as {{ dbt.type_int() }}) as frequency,
        cast(recency_weeks as double) as recency_weeks,
        cast(t_weeks as double) as t_weeks,
        cast(monetary_value_usd as double) as monetary_value_usd,
        cast(unconverted_order_count as {{ dbt.type_int() }}) as unconverted_order_count,
        cast(forecast_horizon_months as double) as forecast_horizon_months,
        cast(horizon_weeks as double) as horizon_weeks,
        cast(bgnbd_fit_status as varchar) as bgnbd_fit_status,
        cast(gamma_gamma_fit_status as varchar) as gamma_gamma_fit_status,
        cast(expected_purchases as double) as expected_purchases,
        cast(discounted_expected_purchases as double) as discounted_expected_purchases,
        cast(p_alive as double) as p_alive,
        cast({{ churn_risk_tier('p_alive') }} as varchar) as churn_risk_tier,
        cast(expected_average_order_value_usd as double) as expected_average_order_value_usd,
        cast(margin_pct as double) as margin_pct,
        cast(
            {{ probabilistic_clv('discounted_expected_purchases', 'expected_average_order_value_usd', 'margin_pct') }}
            as double
        ) as predicted_clv_usd
    from guarded
)

select * from final
