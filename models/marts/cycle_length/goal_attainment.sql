-- Actual bookings vs quota per month in long form: dimension rep, team or all. Actual = amount_usd of deals won
-- with close_date in the month (rep and team of the deal owner); quota = int_quotas_by_dimension (quotas summed
-- per rep / team of the quota's rep / all reps). Months up to the as-of month; the current month
-- is month-to-date (is_month_complete false). Year-over-year: the same dimension value's won amount twelve months
-- earlier, and revenue_growth() of this month's over it. A won deal without amount counts in won_deals, not in
-- won_amount_usd (won_deals_missing_amount says how many).
with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

targets as (
    select * from {{ ref('int_quotas_by_dimension') }}
),

won_deals as (
    select
        opportunity_id,
        owner_user_id,
        owner_team,
        amount_usd,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as month_start
    from opportunities
    where is_won
),

won_dimensions as (
    select
        'all' as dimension_name,
        'all' as dimension_value,
        won_deals.*
    from won_deals
    union all
    select
        'team' as dimension_name,
        coalesce(owner_team, 'unknown') as dimension_value,
        won_deals.*
    from won_deals
    union all
    select
        'rep' as dimension_name,
        coalesce(owner_user_id, 'unknown') as dimension_value,
        won_deals.*
    from won_deals
),

actuals as (
    select
        month_start,
        dimension_name,
        dimension_value,
        count(*) as won_deals,
        sum(amount_usd) as won_amount_usd,
        {{ missing_amount_count() }} as won_deals_missing_amount
    from won_dimensions
    group by 1, 2, 3
),

row_keys as (
    select
        month_start,
        dimension_name,
        dimension_value
    from actuals
    union
    select
        month_start,
        dimension_name,
        dimension_value
    from targets
),

joined as (
    select
        row_keys.month_start,
        row_keys.dimension_name,
        row_keys.dimension_value,
        coalesce(actuals.won_deals, 0) as won_deals,
        coalesce(actuals.won_amount_usd, 0) as won_amount_usd,
        coalesce(actuals.won_deals_missing_amount, 0) as won_deals_missing_amount,
        coalesce(prior_year.won_amount_usd, 0) as won_amount_prior_year_usd,
        targets.quota_usd
    from row_keys
    left join actuals
        on
            row_keys.month_start = actuals.month_start
            and row_keys.dimension_name = actuals.dimension_name
            and row_keys.dimension_value = actuals.dimension_value
    left join actuals as prior_year
        on
            cast({{ dbt.dateadd('month', -12, 'row_keys.month_start') }} as date) = prior_year.month_start
            and row_keys.dimension_name = prior_year.dimension_name
            and row_keys.dimension_value = prior_year.dimension_value
    left join targets
        on
            row_keys.month_start = targets.month_start
            and row_keys.dimension_name = targets.dimension_name
            and row_keys.dimension_value = targets.dimension_value
    where row_keys.month_start <= {{ as_of_date() }}
),

final as (
    select
        month_start,
        dimension_name,
        dimension_value,
        cast(won_deals as bigint) as won_deals,
        cast(won_amount_usd as double) as won_amount_usd,
        cast(won_deals_missing_amount as bigint) as won_deals_missing_amount,
        cast(quota_usd as double) as quota_usd,
        {{ safe_divide('won_amount_usd', 'quota_usd') }} as attainment_ratio,
        cast(quota_usd - won_amount_usd as double) as gap_to_quota_usd,
        cast(won_amount_prior_year_usd as double) as won_amount_prior_year_usd,
        {{ revenue_growth('won_amount_usd', 'won_amount_prior_year_usd') }} as won_growth_vs_prior_year,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) <= {{ as_of_date() }} as is_month_complete
    from joined
)

select * from final
