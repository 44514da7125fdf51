-- Per customer (account with a completed order): RFM, firmographic bands, value decile, behaviour flags,
-- repeat-purchase likelihood and purchase-pattern consistency. Rules live in int_account_segments_assigned.
with segments as (
    select * from {{ ref('int_account_segments_assigned') }}
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
    from segments
)

select * from final
