-- Which customers in the at_risk health tier have brought the most revenue, and how much revenue sits with them?
with customer_health as (
    select * from {{ ref('customer_health') }}
),

at_risk as (
    select
        account_id,
        account_name,
        owner_user_id,
        owner_team,
        tier,
        region,
        health_score,
        churn_risk_score,
        revenue_last_12m_usd,
        lifetime_revenue_usd,
        current_mrr_usd,
        open_tickets,
        days_since_last_activity
    from customer_health
    where risk_tier = 'at_risk'
),

ranked as (
    select
        *,
        row_number() over (
            order by lifetime_revenue_usd desc nulls last, revenue_last_12m_usd desc nulls last, account_id asc
        ) as revenue_rank,
        sum(lifetime_revenue_usd) over (
            order by lifetime_revenue_usd desc nulls last, revenue_last_12m_usd desc nulls last, account_id asc
            rows between unbounded preceding and current row
        ) as cumulative_lifetime_revenue_usd
    from at_risk
),

final as (
    select
        revenue_rank,
        account_id,
        account_name,
        owner_user_id,
        owner_team,
        tier,
        region,
        health_score,
        churn_risk_score,
        revenue_last_12m_usd,
        lifetime_revenue_usd,
        current_mrr_usd,
        open_tickets,
        days_since_last_activity,
        cumulative_lifetime_revenue_usd
    from ranked
)

select * from final
order by 1
