{#- Cohort retention matrix: customers grouped by the month of their first purchase (first completed order or
    first subscription start, whichever is earlier), and how many of them are active at the end of each later
    month under the churn activity rule (var churn_activity_rule). -#}
with accounts as (
    select * from {{ ref('dim_accounts') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

account_months as (
    select * from {{ ref('int_account_months_activity_flagged') }}
),

first_subscriptions as (
    select
        account_id,
        min(started_at) as first_started_at
    from subscriptions
    group by 1
),

first_purchase_dates as (
    select
        accounts.account_id,
        case
            when first_subscriptions.first_started_at is null then cast(accounts.first_order_at as date)
            when accounts.first_order_at is null then first_subscriptions.first_started_at
            else least(cast(accounts.first_order_at as date), first_subscriptions.first_started_at)
        end as first_purchase_date
    from accounts
    left join first_subscriptions
        on accounts.account_id = first_subscriptions.account_id
    where accounts.is_customer
),

first_purchases as (
    select
        account_id,
        cast({{ dbt.date_trunc('month', 'first_purchase_date') }} as date) as cohort_month
    from first_purchase_dates
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_customers
    from first_purchases
    where cohort_month is not null
    group by 1
),

cohort_activity as (
    select
        first_purchases.cohort_month,
        account_months.month_start,
        account_months.activity_rule,
        sum(case when account_months.is_active_at_end then 1 else 0 end) as active_customers
    from first_purchases
    inner join account_months
        on
            first_purchases.account_id = account_months.account_id
            and first_purchases.cohort_month <= account_months.month_start
    where account_months.is_complete_month
    group by 1, 2, 3
),

cohort_cells as (
    select
        *,
        cast(
            {{ dbt.datediff('cohort_month', 'month_start', 'month') }}
            as integer
        ) as months_since_first_purchase
    from cohort_activity
),

final as (
    select
        cohort_cells.cohort_month,
        cohort_cells.month_start,
        cohort_cells.months_since_first_purchase,
        cohort_cells.activity_rule,
        cast(cohort_sizes.cohort_customers as bigint) as cohort_customers,
        cast(cohort_cells.active_customers as bigint) as active_customers,
        {{ safe_divide('cohort_cells.active_customers', 'cohort_sizes.cohort_customers') }} as retention_share
    from cohort_cells
    inner join cohort_sizes
        on cohort_cells.cohort_month = cohort_sizes.cohort_month
)

select * from final
