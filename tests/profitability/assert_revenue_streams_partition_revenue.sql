-- Net new + renewal + repeat revenue must add up to each month's revenue (the streams partition it), and upsell
-- plus cross-sell revenue (disjoint line classes) cannot exceed it. Returns the offending months.
with revenue_monthly as (
    select * from {{ ref('revenue_monthly') }}
),

final as (
    select
        month_start,
        revenue_usd,
        net_new_revenue_usd,
        renewal_revenue_usd,
        repeat_revenue_usd,
        upsell_revenue_usd,
        cross_sell_revenue_usd
    from revenue_monthly
    where
        abs(net_new_revenue_usd + renewal_revenue_usd + repeat_revenue_usd - revenue_usd) >= 0.01
        or upsell_revenue_usd + cross_sell_revenue_usd > revenue_usd + 0.01
)

select * from final
