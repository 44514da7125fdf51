-- Sales cycle length of won deals (mean, median, p90 days) in long form: one row per dimension value and
-- period. Dimensions: all, account_tier (segment), rep, team, lead_source. Periods: close month, close quarter
-- and all_time (period_start null). Two definitions side by side: from opportunity created and from first
-- contact (lead created, else opportunity created). Formulas: macros sales_cycle_mean / sales_cycle_percentile.
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

won as (
    select
        opportunity_id,
        owner_user_id,
        owner_team,
        account_tier,
        lead_source,
        is_won,
        cycle_days,
        cycle_days_from_first_contact,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as close_month,
        cast({{ dbt.date_trunc('quarter', 'close_date') }} as date) as close_quarter
    from opportunities
    where is_won
),

deal_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        won.*
    from won
    union all
    select
        'account_tier' as dimension_name,
        coalesce(account_tier, 'unknown') as dimension_value,
        won.*
    from won
    union all
    select
        'rep' as dimension_name,
        coalesce(owner_user_id, 'unknown') as dimension_value,
        won.*
    from won
    union all
    select
        'team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        won.*
    from won
    union all
    select
        'lead_source' as dimension_name,
        coalesce(lead_source, 'unknown') as dimension_value,
        won.*
    from won
),

deal_periods as (
    select
        'month' as period_grain,
        deal_dimensions.close_month as period_start,
        deal_dimensions.*
    from deal_dimensions
    union all
    select
        'quarter' as period_grain,
        deal_dimensions.close_quarter as period_start,
        deal_dimensions.*
    from deal_dimensions
    union all
    select
        'all_time' as period_grain,
        cast(null as date) as period_start,
        deal_dimensions.*
    from deal_dimensions
),

aggregated as (
    select
        dimension_name,
        dimension_value,
        period_grain,
        period_start,
        count(distinct opportunity_id) as won_deals,
        {{ sales_cycle_mean() }} as mean_cycle_days,
        {{ sales_cycle_percentile(0.5) }} as median_cycle_days,
        {{ sales_cycle_percentile(0.9) }} as p90_cycle_days,
        {{ sales_cycle_mean('cycle_days_from_first_contact') }} as mean_cycle_days_from_first_contact,
        {{ sales_cycle_percentile(0.5, 'cycle_days_from_first_contact') }} as median_cycle_days_from_first_contact,
        {{ sales_cycle_percentile(0.9, 'cycle_days_from_first_contact') }} as p90_cycle_days_from_first_contact
    from deal_periods
    group by 1, 2, 3, 4
),

final as (
    select
        dimension_name,
        dimension_value,
        period_grain,
        period_start,
        cast(won_deals as bigint) as won_deals,
        cast(mean_cycle_days as double) as mean_cycle_days,
        cast(median_cycle_days as double) as median_cycle_days,
        cast(p90_cycle_days as double) as p90_cycle_days,
        cast(mean_cycle_days_from_first_contact as double) as mean_cycle_days_from_first_contact,
        cast(median_cycle_days_from_first_contact as double) as median_cycle_days_from_first_contact,
        cast(p90_cycle_days_from_first_contact as double) as p90_cycle_days_from_first_contact
    from aggregated
)

select * from final
