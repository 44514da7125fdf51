-- Do the reps who discount deepest win a larger share of their closed deals?
with order_items as (
    select * from {{ ref('fct_order_items') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

win_rates as (
    select * from {{ ref('win_rates') }}
),

won_deal_lines as (
    select
        opportunities.owner_user_id,
        order_items.gross_revenue_usd,
        order_items.discount_usd
    from order_items
    inner join orders on order_items.order_id = orders.order_id
    inner join opportunities on orders.opportunity_id = opportunities.opportunity_id
    where orders.status = 'completed'
),

rep_discounts as (
    select
        owner_user_id as user_id,
        sum(gross_revenue_usd) as gross_revenue_usd,
        sum(discount_usd) as discount_usd
    from won_deal_lines
    group by 1
),

rep_deals as (
    select
        dimension_value as user_id,
        cast(sum(won_deals) as bigint) as won_deals,
        cast(sum(lost_deals) as bigint) as lost_deals
    from win_rates
    where period_grain = 'month' and dimension_name = 'rep'
    group by 1
),

final as (
    select
        rep_deals.user_id,
        rep_deals.won_deals,
        rep_deals.lost_deals,
        {{ win_rate_from_counts('rep_deals.won_deals', 'rep_deals.lost_deals') }} as win_rate,
        rep_discounts.gross_revenue_usd,
        rep_discounts.discount_usd,
        {{ safe_divide('rep_discounts.discount_usd', 'rep_discounts.gross_revenue_usd') }} as discount_depth
    from rep_deals
    left join rep_discounts on rep_deals.user_id = rep_discounts.user_id
)

select * from final
order by 7 desc nulls last, 1 asc
