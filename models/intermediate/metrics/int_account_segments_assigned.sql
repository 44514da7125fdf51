{#- One row per account with at least one completed order (customers known only from a subscription have no
    R, F or M and are left out): RFM, firmographic bands, value decile, behaviour flags, repeat-purchase
    likelihood and purchase-pattern consistency.
    RFM: R = days since the last completed order (as_of_date), F = completed orders, M = revenue (USD).
    Scores 1-5 = ntile(5) over all scored customers (R descending, so the most recent get 5; F and M ascending);
    account_id breaks ntile's ties, then customers with equal values share the lowest score any of them got, so
    equal behaviour never scores differently. Segment names: macro rfm_segment.
    value_decile = ntile(10) by historical CLV ascending (10 = the most valuable 10%), ties as for RFM.
    is_churned: active at some month start and not at the start of the as_of month, under the churn marts'
    activity rule (int_account_months_activity_flagged).
    Unknown order amounts (no order lines in the extract): M, rfm_score and value_decile are null and rfm_segment
    is decided on R and F alone (no customer is a champion, which needs M). -#}
with purchases as (
    select * from {{ ref('int_account_purchases_profiled') }}
),

profitability as (
    select * from {{ ref('int_account_profitability_calculated') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

activity_months as (
    select * from {{ ref('int_account_months_activity_flagged') }}
),

recent_engagement as (
    select distinct account_id
    from engagement_events
    where
        account_id is not null
        and event_type not in ('email_sent', 'list_unsubscribe')
        and event_date > cast({{ dbt.dateadd('day', -1 * var('engaged_recently_days'), as_of_date()) }} as date)
        and event_date <= {{ as_of_date() }}
),

churn_status as (
    select
        account_id,
        max(case when is_active_at_start then 1 else 0 end) = 1 as was_ever_active,
        max(
            case
                when month_start = cast({{ dbt.date_trunc('month', as_of_date()) }} as date) and is_active_at_start
                    then 1
                else 0
            end
        ) = 1 as is_active_now
    from activity_months
    where month_start <= {{ as_of_date() }}
    group by 1
),

ranked as (
    select
        purchases.*,
        profitability.customer_margin_usd,
        profitability.historical_clv_usd,
        profitability.predictive_clv_usd,
        ntile(5) over (order by purchases.recency_days desc, purchases.account_id asc) as r_ntile,
        ntile(5) over (order by purchases.order_count, purchases.account_id) as f_ntile,
        ntile(5) over (order by purchases.revenue_usd, purchases.account_id) as m_ntile,
        ntile(10) over (order by profitability.historical_clv_usd, purchases.account_id) as value_ntile
    from purchases
    inner join profitability
        on purchases.account_id = profitability.account_id
),

scored as (
    select
        ranked.*,
        min(ranked.r_ntile) over (partition by ranked.recency_days) as r_score,
        min(ranked.f_ntile) over (partition by ranked.order_count) as f_score,
        case when ranked.revenue_usd is not null then min(ranked.m_ntile) over (partition by ranked.revenue_usd) end
            as m_score,
        case
            when ranked.historical_clv_usd is not null
                then min(ranked.value_ntile) over (partition by ranked.historical_clv_usd)
        end as value_decile
    from ranked
),

final as (
    select
        scored.account_id,
        scored.recency_days,
        scored.order_count as frequency_orders,
        scored.revenue_usd as monetary_usd,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        cast(scored.r_score as {{ dbt.type_string() }})
        || cast(scored.f_score as {{ dbt.type_string() }})
        || cast(scored.m_score as {{ dbt.type_string() }}) as rfm_score,
        {{ rfm_segment('scored.r_score', 'scored.f_score', 'scored.m_score', 'scored.order_count') }} as rfm_segment,
        coalesce(accounts.industry, 'unknown') as industry,
        coalesce(accounts.size_band, 'unknown') as size_band,
        coalesce(accounts.region, 'unknown') as region,
        coalesce(accounts.tier, 'unknown') as account_tier,
        scored.value_decile,
        scored.customer_margin_usd,
        scored.historical_clv_usd,
        scored.predictive_clv_usd,
        scored.product_family_count,
        scored.product_family_count >= 2 as is_multi_family_buyer,
        coalesce(accounts.subscription_state = 'active', false) as is_subscription_holder,
        (
            recent_engagement.account_id is not null
            or scored.recency_days <= {{ var('engaged_recently_days') }}
        ) as is_engaged_recently,
        {{ repeat_purchase_likelihood('scored.order_count', 'scored.recency_days', 'scored.mean_gap_days') }}
            as repeat_purchase_likelihood,
        scored.mean_gap_days,
        scored.stddev_gap_days,
        scored.last_gap_days,
        scored.gap_trend_ratio,
        scored.average_purchase_value_usd,
        scored.stddev_order_value_usd,
        coalesce(churn_status.was_ever_active and not churn_status.is_active_now, false) as is_churned
    from scored
    left join accounts
        on scored.account_id = accounts.account_id
    left join recent_engagement
        on scored.account_id = recent_engagement.account_id
    left join churn_status
        on scored.account_id = churn_status.account_id
)

select * from final
