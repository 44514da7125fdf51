{#- Monthly MRR bridge (start MRR, movements, end MRR), gross and net revenue retention, and renewal rate.
    Movements come from fct_subscription_mrr (one row per account and month); this mart only adds them up.
    Beside the monthly retention, the trailing-twelve-month (TTM) figures benchmarks quote: the accounts with MRR
    twelve months earlier (the cohort), their MRR now over their MRR then (NRR, expansion counted, new accounts
    left out) and, capping each account at its MRR then, GRR (contraction and churn only). -#}
with subscription_mrr as (
    select * from {{ ref('fct_subscription_mrr') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

ttm_cohorts as (
    select * from {{ ref('int_account_mrr_ttm_cohorts') }}
),

mrr_bridge as (
    select
        month_start,
        sum(coalesce(previous_mrr_usd, 0)) as start_mrr_usd,
        sum(new_mrr_usd) as new_mrr_usd,
        sum(expansion_mrr_usd) as expansion_mrr_usd,
        sum(contraction_mrr_usd) as contraction_mrr_usd,
        sum(churned_mrr_usd) as churned_mrr_usd,
        sum(reactivation_mrr_usd) as reactivation_mrr_usd,
        sum(mrr_usd) as end_mrr_usd,
        sum(case when coalesce(previous_mrr_usd, 0) > 0 then 1 else 0 end) as accounts_at_start,
        sum(case when movement = 'churn' then 1 else 0 end) as accounts_churned
    from subscription_mrr
    where month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
    group by 1
),

trailing_cohorts as (
    select
        month_start,
        sum(cohort_start_mrr_usd) as cohort_start_mrr_usd,
        sum(cohort_end_mrr_usd) as cohort_end_mrr_usd,
        sum(cohort_retained_mrr_usd) as cohort_retained_mrr_usd
    from ttm_cohorts
    group by 1
),

-- A subscription is up for renewal in the month of its renewal_date (once that date has passed). It renewed when
-- service continued past the renewal date: either the subscription itself ran on (ended_at open or after the
-- renewal date) or the account started another subscription within 31 days of its end (a plan change ends one
-- subscription and starts the next).
subscriptions_with_successor as (
    select distinct subscriptions.subscription_id
    from subscriptions
    inner join subscriptions as successors
        on
            subscriptions.account_id = successors.account_id
            and subscriptions.subscription_id != successors.subscription_id
            and subscriptions.ended_at <= successors.started_at
            and successors.started_at <= cast({{ dbt.dateadd('day', 31, 'subscriptions.ended_at') }} as date)
),

renewal_outcomes as (
    select
        subscriptions.subscription_id,
        cast({{ dbt.date_trunc('month', 'subscriptions.renewal_date') }} as date) as month_start,
        (
            subscriptions.ended_at is null
            or subscriptions.ended_at > subscriptions.renewal_date
            or subscriptions_with_successor.subscription_id is not null
        ) as is_renewed
    from subscriptions
    left join subscriptions_with_successor
        on subscriptions.subscription_id = subscriptions_with_successor.subscription_id
    where
        subscriptions.renewal_date is not null
        and subscriptions.renewal_date <= {{ as_of_date() }}
),

monthly_renewals as (
    select
        month_start,
        count(*) as subscriptions_up_for_renewal,
        sum(case when is_renewed then 1 else 0 end) as subscriptions_renewed
    from renewal_outcomes
    group by 1
),

final as (
    select
        mrr_bridge.month_start,
        cast(mrr_bridge.start_mrr_usd as double) as start_mrr_usd,
        cast(mrr_bridge.new_mrr_usd as double) as new_mrr_usd,
        cast(mrr_bridge.expansion_mrr_usd as double) as expansion_mrr_usd,
        cast(mrr_bridge.contraction_mrr_usd as double) as contraction_mrr_usd,
        cast(mrr_bridge.churned_mrr_usd as double) as churned_mrr_usd,
        cast(mrr_bridge.reactivation_mrr_usd as double) as reactivation_mrr_usd,
        cast(mrr_bridge.end_mrr_usd as double) as end_mrr_usd,
        cast(mrr_bridge.end_mrr_usd - mrr_bridge.start_mrr_usd as double) as net_mrr_change_usd,
        cast(mrr_bridge.accounts_at_start as bigint) as accounts_at_start,
        cast(mrr_bridge.accounts_churned as bigint) as accounts_churned,
        {{ safe_divide('mrr_bridge.churned_mrr_usd + mrr_bridge.contraction_mrr_usd', 'mrr_bridge.start_mrr_usd') }}
            as gross_revenue_churn_rate,
        {{ gross_revenue_retention('mrr_bridge.start_mrr_usd', 'mrr_bridge.churned_mrr_usd',
            'mrr_bridge.contraction_mrr_usd') }} as gross_revenue_retention,
        {{ net_revenue_retention('mrr_bridge.start_mrr_usd', 'mrr_bridge.churned_mrr_usd',
            'mrr_bridge.contraction_mrr_usd', 'mrr_bridge.expansion_mrr_usd') }} as net_revenue_retention,
        cast(trailing_cohorts.cohort_start_mrr_usd as double) as ttm_cohort_start_mrr_usd,
        {{ safe_divide('trailing_cohorts.cohort_end_mrr_usd', 'trailing_cohorts.cohort_start_mrr_usd') }}
            as net_revenue_retention_ttm,
        {{ safe_divide('trailing_cohorts.cohort_retained_mrr_usd', 'trailing_cohorts.cohort_start_mrr_usd') }}
            as gross_revenue_retention_ttm,
        cast(coalesce(monthly_renewals.subscriptions_up_for_renewal, 0) as bigint) as subscriptions_up_for_renewal,
        cast(coalesce(monthly_renewals.subscriptions_renewed, 0) as bigint) as subscriptions_renewed,
        {{ safe_divide('monthly_renewals.subscriptions_renewed', 'monthly_renewals.subscriptions_up_for_renewal') }}
            as renewal_rate
    from mrr_bridge
    left join monthly_renewals
        on mrr_bridge.month_start = monthly_renewals.month_start
    left join trailing_cohorts
        on mrr_bridge.month_start = trailing_cohorts.month_start
)

select * from final
