-- Churn drivers: one row per term of a logistic regression of churn at each subscription renewal on what was known
-- on the renewal day (int_churn_drivers_fitted, Python: crm_warehouse.analytics.churn_drivers; observations:
-- int_subscription_renewals_observed). Coefficients are log-odds per unit; odds ratios exp(coefficient); 95%
-- Wald intervals. planted_effect: the effect the synthetic generator plants (none for most terms).
with fitted as (
    select * from {{ ref('int_churn_drivers_fitted') }}
),

final as (
    select
        cast(term_order as integer) as term_order,
        cast(term as varchar) as term,
        cast(term_label as varchar) as term_label,
        cast(round(coefficient, 6) as double) as coefficient,
        cast(round(std_error, 6) as double) as std_error,
        cast(round(z_value, 4) as double) as z_value,
        cast(p_value as double) as p_value,
        cast(round(ci_low, 6) as double) as ci_low,
        cast(round(ci_high, 6) as double) as ci_high,
        cast(round(odds_ratio, 6) as double) as odds_ratio,
        cast(round(odds_ratio_ci_low, 6) as double) as odds_ratio_ci_low,
        cast(round(odds_ratio_ci_high, 6) as double) as odds_ratio_ci_high,
        cast(is_significant_5pct as boolean) as is_significant_5pct,
        cast(planted_effect as varchar) as planted_effect,
        cast(planted_log_odds as double) as planted_log_odds,
        cast(n_obs as bigint) as n_obs,
        cast(n_events as bigint) as n_events,
        cast(fit_status as varchar) as fit_status,
        cast(round(pseudo_r_squared, 4) as double) as pseudo_r_squared
    from fitted
)

select * from final
