-- Sales forecast made at each monthly snapshot (the latest one is as of the as-of date) for the next three
-- calendar months. The first target month is the month of the day after the snapshot (December for a
-- 30 November snapshot, November for a 23 November as-of date).
--   expected_revenue_usd = sum(amount_usd x age_adjusted_win_probability) of the deals open at the snapshot,
--     each placed in the month of its expected close date; overdue deals (close date before the first target
--     month) are placed in the first target month; deals expected after the third month are left out.
--   run_rate_revenue_usd = completed-order revenue (fct_orders.revenue_usd) of the three calendar months before
--     the first target month / 3 (months without orders count as zero); the same for the three target months.
--   forecast range: deal outcomes as independent win/lose draws with those probabilities; their revenue has
--     variance sum(amount_usd^2 x p x (1 - p)); p10 / p90 = expected -/+ 1.2816 standard deviations (normal
--     approximation of what a Monte Carlo simulation of the deals converges to), p10 floored at 0.
--   quota_usd = sum of the reps' quotas of the target month; actuals are null for months not started yet.
-- Target months run up to three months past the as-of month: the forecast's horizon, the one mart with months
-- after the as-of date. No data is null, never 0: amounts are 0 for a target month without deals (or orders) only
-- when the extract has deals (orders), and null when the deals placed in it carry no amount.
--   Incomplete deals: a deal without amount is placed and counted in open_opportunities but adds nothing to the
--     amounts (open_opportunities_missing_amount says how many per target month); an open deal without expected
--     close date is expected in no month: it is in no target month and open_opportunities_without_close_date
--     counts it per forecast (the same on its three rows). A won deal without amount adds nothing to
--     actual_won_amount_usd.
{%- set placed = {} -%}
{%- for column in ('pipeline_value_usd', 'expected_revenue_usd', 'expected_revenue_variance') -%}
    {%- do placed.update({column: amount_or_no_data(
        'pipeline_forecast.' ~ column, 'pipeline_forecast.open_opportunities',
        'pipeline_forecast.pipeline_value_usd', 'extract_presence.has_deals'
    )}) -%}
{%- endfor %}
with snapshots as (
    select * from {{ ref('int_opportunities_snapshotted_monthly') }}
),

month_ends as (
    select * from {{ ref('int_month_end_snapshot_dates') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

quotas as (
    select * from {{ ref('int_quotas_converted') }}
),

extract_presence as (
    select
        (select count(*) from opportunities) > 0 as has_deals,
        (select count(*) from orders) > 0 as has_orders
),

forecasts as (
    select
        month_start as forecast_month_start,
        snapshot_date,
        cast({{ dbt.date_trunc('month', dbt.dateadd('day', 1, 'snapshot_date')) }} as date) as first_target_month
    from month_ends
),

horizon as (
    {% for months_ahead in range(1, 4) %}
        select
            forecast_month_start,
            snapshot_date,
            first_target_month,
            {{ months_ahead }} as months_ahead,
            cast({{ dbt.dateadd('month', months_ahead - 1, 'first_target_month') }} as date) as target_month_start
        from forecasts
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

placed_deals as (
    select
        snapshots.month_start as forecast_month_start,
        snapshots.amount_usd,
        snapshots.age_adjusted_win_probability,
        greatest(
            cast({{ dbt.date_trunc('month', 'snapshots.expected_close_date') }} as date),
            forecasts.first_target_month
        ) as target_month_start
    from snapshots
    inner join forecasts
        on snapshots.month_start = forecasts.forecast_month_start
    where snapshots.expected_close_date is not null
),

unplaced_deals as (
    select
        month_start as forecast_month_start,
        count(*) as open_opportunities_without_close_date
    from snapshots
    where expected_close_date is null
    group by 1
),

pipeline_forecast as (
    select
        forecast_month_start,
        target_month_start,
        count(*) as open_opportunities,
        sum(amount_usd) as pipeline_value_usd,
        sum(amount_usd * age_adjusted_win_probability) as expected_revenue_usd,
        sum(
            amount_usd * amount_usd * age_adjusted_win_probability * (1 - age_adjusted_win_probability)
        ) as expected_revenue_variance,
        {{ missing_amount_count() }} as open_opportunities_missing_amount
    from placed_deals
    group by 1, 2
),

monthly_revenue as (
    select
        order_month,
        sum(revenue_usd) as revenue_usd
    from orders
    group by 1
),

run_rate as (
    select
        forecasts.forecast_month_start,
        coalesce(sum(monthly_revenue.revenue_usd), 0) / 3.0 as run_rate_revenue_usd
    from forecasts
    left join monthly_revenue
        on
            monthly_revenue.order_month >= cast({{ dbt.dateadd('month', -3, 'forecasts.first_target_month') }} as date)
            and forecasts.first_target_month > monthly_revenue.order_month
    group by 1
),

monthly_quota as (
    select
        month_start,
        sum(quota_usd) as quota_usd
    from quotas
    group by 1
),

monthly_won as (
    select
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as close_month,
        sum(amount_usd) as won_amount_usd
    from opportunities
    where is_won
    group by 1
),

final as (
    select
        horizon.forecast_month_start,
        horizon.snapshot_date,
        horizon.snapshot_date = {{ as_of_date() }} as is_latest_forecast,
        horizon.target_month_start,
        cast(horizon.months_ahead as integer) as months_ahead,
        cast(coalesce(pipeline_forecast.open_opportunities, 0) as bigint) as open_opportunities,
        cast(
            coalesce(pipeline_forecast.open_opportunities_missing_amount, 0) as bigint
        ) as open_opportunities_missing_amount,
        cast(
            coalesce(unplaced_deals.open_opportunities_without_close_date, 0) as bigint
        ) as open_opportunities_without_close_date,
        cast({{ placed['pipeline_value_usd'] }} as double) as pipeline_value_usd,
        cast({{ placed['expected_revenue_usd'] }} as double) as expected_revenue_usd,
        cast(sqrt({{ placed['expected_revenue_variance'] }}) as double) as expected_revenue_stddev_usd,
        -- greatest() skips nulls: keep p10 null when the expectation is.
        cast(round(case when ({{ placed['expected_revenue_usd'] }}) is not null then greatest(
            {{ placed['expected_revenue_usd'] }}
            - 1.2816 * sqrt({{ placed['expected_revenue_variance'] }}),
            0
        ) end, 2) as double) as expected_revenue_p10_usd,
        cast(round(
            {{ placed['expected_revenue_usd'] }}
            + 1.2816 * sqrt({{ placed['expected_revenue_variance'] }}),
            2
        ) as double) as expected_revenue_p90_usd,
        cast(case when extract_presence.has_orders then run_rate.run_rate_revenue_usd end as double)
            as run_rate_revenue_usd,
        cast(monthly_quota.quota_usd as double) as quota_usd,
        cast(
            case
                when horizon.target_month_start > {{ as_of_date() }} then null
                when monthly_won.close_month is not null then monthly_won.won_amount_usd
                when extract_presence.has_deals then 0
            end as double
        ) as actual_won_amount_usd,
        cast(
            case
                when horizon.target_month_start > {{ as_of_date() }} then null
                when monthly_revenue.order_month is not null then monthly_revenue.revenue_usd
                when extract_presence.has_orders then 0
            end as double
        ) as actual_revenue_usd
    from horizon
    cross join extract_presence
    left join pipeline_forecast
        on
            horizon.forecast_month_start = pipeline_forecast.forecast_month_start
            and horizon.target_month_start = pipeline_forecast.target_month_start
    left join unplaced_deals
        on horizon.forecast_month_start = unplaced_deals.forecast_month_start
    left join run_rate
        on horizon.forecast_month_start = run_rate.forecast_month_start
    left join monthly_quota
        on horizon.target_month_start = monthly_quota.month_start
    left join monthly_won
        on horizon.target_month_start = monthly_won.close_month
    left join monthly_revenue
        on horizon.target_month_start = monthly_revenue.order_month
)

select * from final
