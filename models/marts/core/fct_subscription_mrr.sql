-- Monthly MRR per account and its movement against the previous month. MRR of a month = the USD MRR of the
-- account's subscriptions in service on the month's last day (on as_of_date for the current month).
-- Rows run from the month of the account's first subscription through the month after its last month with MRR
-- (the churn month), capped at the as_of month; months in between with no MRR are 'flat' at 0.
-- Movement amounts are positive: end MRR = previous + new + expansion + reactivation - contraction - churned.
with subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

account_first_months as (
    select
        account_id,
        cast({{ dbt.date_trunc('month', 'min(started_at)') }} as date) as first_month
    from subscriptions
    group by 1
),

spine_bounds as (
    select min(first_month) as first_month
    from account_first_months
),

month_numbers as (
    -- 100 years of months; the filter below keeps first subscription month .. as_of month.
    {{ dbt.generate_series(1200) }}
),

months as (
    select
        cast(
            {{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'spine_bounds.first_month') }} as date
        ) as month_start
    from month_numbers
    cross join spine_bounds
    where
        month_numbers.generated_number - 1
        <= {{ dbt.datediff('spine_bounds.first_month', dbt.date_trunc('month', as_of_date()), 'month') }}
),

account_months as (
    select
        account_first_months.account_id,
        months.month_start,
        case
            when {{ last_day_of_month('months.month_start') }} > {{ as_of_date() }} then {{ as_of_date() }}
            else {{ last_day_of_month('months.month_start') }}
        end as snapshot_date
    from account_first_months
    inner join months
        on account_first_months.first_month <= months.month_start
),

monthly_mrr as (
    select
        account_months.account_id,
        account_months.month_start,
        coalesce(sum(subscriptions.mrr_usd), 0) as mrr_usd
    from account_months
    left join subscriptions
        on
            account_months.account_id = subscriptions.account_id
            and {{ is_in_service(
                'subscriptions.started_at', 'subscriptions.ended_at', 'account_months.snapshot_date'
            ) }}
    group by 1, 2
),

with_history as (
    select
        account_id,
        month_start,
        mrr_usd,
        coalesce(lag(mrr_usd) over (partition by account_id order by month_start), 0) as previous_mrr_usd,
        coalesce(
            max(case when mrr_usd > 0 then 1 else 0 end) over (
                partition by account_id order by month_start rows between unbounded preceding and 1 preceding
            ),
            0
        ) as had_mrr_before,
        max(case when mrr_usd > 0 then month_start end) over (partition by account_id) as last_month_with_mrr,
        min(month_start) over (partition by account_id) as first_month
    from monthly_mrr
),

classified as (
    select
        account_id,
        month_start,
        mrr_usd,
        previous_mrr_usd,
        case
            when previous_mrr_usd = 0 and mrr_usd > 0 and had_mrr_before = 0 then 'new'
            when previous_mrr_usd = 0 and mrr_usd > 0 then 'reactivation'
            when previous_mrr_usd > 0 and mrr_usd = 0 then 'churn'
            when mrr_usd > previous_mrr_usd then 'expansion'
            when mrr_usd < previous_mrr_usd then 'contraction'
            else 'flat'
        end as movement
    from with_history
    where
        month_start
        <= coalesce(cast({{ dbt.dateadd('month', 1, 'last_month_with_mrr') }} as date), first_month)
),

final as (
    select
        account_id,
        month_start,
        cast(mrr_usd as decimal(18, 2)) as mrr_usd,
        cast(previous_mrr_usd as decimal(18, 2)) as previous_mrr_usd,
        movement,
        cast(case when movement = 'new' then mrr_usd else 0 end as decimal(18, 2)) as new_mrr_usd,
        cast(case when movement = 'expansion' then mrr_usd - previous_mrr_usd else 0 end as decimal(18, 2))
            as expansion_mrr_usd,
        cast(case when movement = 'contraction' then previous_mrr_usd - mrr_usd else 0 end as decimal(18, 2))
            as contraction_mrr_usd,
        cast(case when movement = 'churn' then previous_mrr_usd else 0 end as decimal(18, 2)) as churned_mrr_usd,
        cast(case when movement = 'reactivation' then mrr_usd else 0 end as decimal(18, 2)) as reactivation_mrr_usd
    from classified
)

select * from final
