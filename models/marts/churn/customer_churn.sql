{#- Monthly logo churn: customers active at the start of the month, how many were no longer active at its end,
    and how many became active (new or reactivated). Activity rule: var churn_activity_rule. -#}
with account_months as (
    select * from {{ ref('int_account_months_activity_flagged') }}
),

monthly_counts as (
    select
        month_start,
        activity_rule,
        sum(case when is_active_at_start then 1 else 0 end) as customers_active_at_start,
        sum(case when is_churned then 1 else 0 end) as customers_churned,
        sum(case when is_active_at_start and is_active_at_end then 1 else 0 end) as customers_retained,
        sum(case when is_new then 1 else 0 end) as new_customers,
        sum(case when is_reactivated then 1 else 0 end) as reactivated_customers,
        sum(case when is_active_at_end then 1 else 0 end) as customers_active_at_end
    from account_months
    where is_complete_month
    group by 1, 2
),

final as (
    select
        month_start,
        activity_rule,
        cast(customers_active_at_start as bigint) as customers_active_at_start,
        cast(customers_churned as bigint) as customers_churned,
        cast(customers_retained as bigint) as customers_retained,
        cast(new_customers as bigint) as new_customers,
        cast(reactivated_customers as bigint) as reactivated_customers,
        cast(customers_active_at_end as bigint) as customers_active_at_end,
        {{ logo_churn_rate('customers_churned', 'customers_active_at_start') }} as logo_churn_rate,
        {{ logo_retention_rate('customers_churned', 'customers_active_at_start') }} as retention_rate
    from monthly_counts
)

select * from final
