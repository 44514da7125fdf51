-- Do subscribers with unresolved support tickets churn more often than those without?
with customer_health as (
    select * from {{ ref('customer_health') }}
),

subscribers as (
    select
        account_id,
        subscription_state,
        open_tickets,
        open_escalated_tickets,
        case
            when open_tickets = 0 then '0'
            when open_tickets = 1 then '1'
            else '2+'
        end as open_tickets_band
    from customer_health
    where subscription_state in ('active', 'churned')
),

bands as (
    select
        open_tickets_band,
        count(*) as subscribers,
        count(*) filter (where subscription_state = 'churned') as churned_subscribers,
        cast(sum(open_tickets) as bigint) as open_tickets,
        cast(sum(open_escalated_tickets) as bigint) as open_escalated_tickets
    from subscribers
    group by 1
),

final as (
    select
        open_tickets_band,
        subscribers,
        churned_subscribers,
        {{ safe_divide('churned_subscribers', 'subscribers') }} as churned_share,
        open_tickets,
        open_escalated_tickets
    from bands
)

select * from final
order by 1
