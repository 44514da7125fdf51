-- Which first-purchase cohort keeps the largest share of its customers 3, 6 and 12 months on?
with cohort_retention as (
    select * from {{ ref('cohort_retention') }}
),

cohorts as (
    select
        cohort_month,
        max(cohort_customers) as cohort_customers,
        max(months_since_first_purchase) as months_observed,
        max(retention_share) filter (where months_since_first_purchase = 3) as retention_month_3,
        max(retention_share) filter (where months_since_first_purchase = 6) as retention_month_6,
        max(retention_share) filter (where months_since_first_purchase = 12) as retention_month_12
    from cohort_retention
    group by 1
),

final as (
    select
        cohort_month,
        cohort_customers,
        months_observed,
        retention_month_3,
        retention_month_6,
        retention_month_12,
        case
            when retention_month_12 is not null
                then rank() over (order by retention_month_12 desc nulls last)
        end as rank_month_12
    from cohorts
)

select * from final
order by 7 asc nulls last, 5 desc nulls last, 1 asc
