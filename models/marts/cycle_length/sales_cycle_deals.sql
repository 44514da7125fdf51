-- One row per won opportunity with both cycle lengths and the dimensions sales_cycle groups by: the
-- distribution behind the mean / median / p90 (histograms, drill-down).
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

won as (
    select * from opportunities
    where is_won
),

final as (
    select
        opportunity_id,
        owner_user_id,
        coalesce(owner_team, 'unknown') as owner_team,
        coalesce(account_tier, 'unknown') as account_tier,
        coalesce(lead_source, 'unknown') as lead_source,
        cast(amount_usd as double) as amount_usd,
        cast(first_contact_at as date) as first_contact_date,
        created_date,
        close_date,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as close_month,
        cast({{ dbt.date_trunc('quarter', 'close_date') }} as date) as close_quarter,
        cast(cycle_days as integer) as cycle_days,
        cast(cycle_days_from_first_contact as integer) as cycle_days_from_first_contact
    from won
)

select * from final
