-- Per customer (account with a completed order): RFM, firmographic bands, value decile, behaviour flags,
-- repeat-purchase likelihood and purchase-pattern consistency. Rules live in int_account_segments_assigned.
-- Predicted value (probabilistic CLV, customer_value_forecast): predicted_value_decile = ntile(10) by predicted CLV
-- ascending among customers that have one (10 = the most valuable 10%), ties sharing the lowest decile of their
-- value, as value_decile does; null without a predicted CLV (fit not 'fitted', unknown order value, no margin).
with segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

forecast as (
    select * from {{ ref('customer_value_forecast') }}
),

predicted as (
    select
        account_id,
        predicted_clv_usd,
        ntile(10) over (order by predicted_clv_usd, account_id) as predicted_value_ntile
    from forecast
    where predicted_clv_usd is not null
),

predicted_deciles as (
    select
        account_id,
        predicted_clv_usd,
        min(predicted_value_ntile) over (partition by predicted_clv_usd) as predicted_value_decile
    from predicted
),

joined as (
    select
        segments.*,
        predicted_deciles.predicted_clv_usd as probabilistic_clv_usd,
        predicted_deciles.predicted_value_decile
    from segments
    left join predicted_deciles
        on segments.account_id = predicted_deciles.account_id
),

final as (
    select
        account_id,
        cast(recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(frequency_orders as {{ dbt.type_int() }}) as frequency_orders,
        cast(monetary_usd as decimal(18, 2)) as monetary_usd,
        cast(r_score as {{ dbt.type_int() }}) as r_score,
        cast(f_score as {{ dbt.type_int() }}) as f_score,
        cast(m_score as {{ dbt.type_int() }}) as m_score,
        rfm_score,
        rfm_segment,
        industry,
        size_band,
        region,
        account_tier,
        cast(value_decile as {{ dbt.type_int() }}) as value_decile,
        cast(historical_clv_usd as double) as historical_clv_usd,
        cast(predictive_clv_usd as double) as predictive_clv_usd,
        cast(probabilistic_clv_usd as double) as probabilistic_clv_usd,
        cast(predicted_value_decile as {{ dbt.type_int() }}) as predicted_value_decile,
        cast(product_family_count as {{ dbt.type_int() }}) as product_family_count,
        is_multi_family_buyer,
        is_subscription_holder,
        is_engaged_recently,
        repeat_purchase_likelihood,
        cast(mean_gap_days as double) as mean_gap_days,
        cast(stddev_gap_days as double) as stddev_gap_days,
        cast(last_gap_days as double) as last_gap_days,
        cast(gap_trend_ratio as double) as gap_trend_ratio,
        cast(average_purchase_value_usd as double) as average_purchase_value_usd,
        cast(stddev_order_value_usd as double) as stddev_order_value_usd,
        is_churned
    from joined
)

select * from final
