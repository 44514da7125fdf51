{#- The trailing-twelve-month (TTM) retention cohort, per month and account: every account with MRR twelve months
    before the month (the cohort), its MRR then, its MRR now (0 once it churned: an account's rows stop the month
    after it churned) and, capped at its MRR then, what it retained. revenue_retention adds these up per month and
    the semantic layer per any account dimension; NRR TTM = end / start, GRR TTM = retained / start. -#}
with subscription_mrr as (
    select * from {{ ref('fct_subscription_mrr') }}
),

bridge_months as (
    select distinct month_start
    from subscription_mrr
    where month_start <= cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
),

final as (
    select
        bridge_months.month_start,
        cohort_then.account_id,
        cast(cohort_then.mrr_usd as double) as cohort_start_mrr_usd,
        cast(coalesce(account_now.mrr_usd, 0) as double) as cohort_end_mrr_usd,
        cast(least(coalesce(account_now.mrr_usd, 0), cohort_then.mrr_usd) as double) as cohort_retained_mrr_usd
    from bridge_months
    inner join subscription_mrr as cohort_then
        on
            cohort_then.month_start = cast({{ dbt.dateadd('month', -12, 'bridge_months.month_start') }} as date)
            and cohort_then.mrr_usd > 0
    left join subscription_mrr as account_now
        on
            cohort_then.account_id = account_now.account_id
            and bridge_months.month_start = account_now.month_start
)

select * from final
