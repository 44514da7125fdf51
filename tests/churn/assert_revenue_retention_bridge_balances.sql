-- The MRR bridge adds up: every month's end MRR equals start + new + expansion + reactivation - contraction -
-- churned (macro mrr_bridge_end), and each month's start MRR equals the previous month's end MRR.
-- Returns the months that break either identity (to the cent).
with revenue_retention as (
    select * from {{ ref('revenue_retention') }}
),

checked_months as (
    select
        month_start,
        end_mrr_usd,
        {{ mrr_bridge_end('start_mrr_usd', 'new_mrr_usd', 'expansion_mrr_usd', 'reactivation_mrr_usd',
            'contraction_mrr_usd', 'churned_mrr_usd') }} as bridged_end_mrr_usd,
        start_mrr_usd,
        lag(end_mrr_usd) over (order by month_start) as previous_end_mrr_usd
    from revenue_retention
),

final as (
    select *
    from checked_months
    where
        abs(end_mrr_usd - bridged_end_mrr_usd) > 0.01
        or abs(start_mrr_usd - coalesce(previous_end_mrr_usd, 0)) > 0.01
)

select * from final
