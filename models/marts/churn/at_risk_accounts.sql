{#- At-risk high-value customers: health tier at_risk and a value decile (historical CLV) or MRR decile of at
    least var at_risk_min_decile (default 8: the top 30%), or flagged "high predicted value, low P(alive)"
    (customer_health.is_high_value_low_p_alive), with their owner, ranked for outreach. -#}
with customer_health as (
    select * from {{ ref('customer_health') }}
),

final as (
    select
        account_id,
        account_name,
        owner_user_id,
        owner_team,
        tier,
        region,
        health_score,
        churn_risk_score,
        lifetime_revenue_usd,
        revenue_last_12m_usd,
        current_mrr_usd,
        value_decile,
        mrr_decile,
        days_since_last_activity,
        open_tickets,
        open_escalated_tickets,
        is_recently_unsatisfied,
        p_alive,
        predicted_value_decile,
        coalesce(is_high_value_low_p_alive, false) as is_high_value_low_p_alive,
        row_number() over (
            order by churn_risk_score desc, lifetime_revenue_usd desc, account_id asc
        ) as outreach_rank
    from customer_health
    where
        (
            risk_tier = 'at_risk'
            and (
                value_decile >= {{ var('at_risk_min_decile') }}
                or mrr_decile >= {{ var('at_risk_min_decile') }}
            )
        )
        or is_high_value_low_p_alive
)

select * from final
