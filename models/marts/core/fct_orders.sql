{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- One row per valid order with revenue, cost and margin in USD (sums of the converted lines of
-- int_order_items_converted). Revenue and cost count only for completed orders. Without any order line (order_items
-- declared absent, var crm_absent_entities, or a CRM source that has none) no order's amounts are known: they are
-- null, never 0, and every revenue figure built on them is null too.
-- Incremental on updated_at (new and changed orders) with a lookback of var incremental_lookback_days, plus orders
-- not loaded yet or whose line count changed; every order of an account touched by the batch is re-processed so
-- account_order_number stays exact.
with orders as (
    select * from {{ ref('int_orders_validated') }}
    where is_valid
),

order_items as (
    select * from {{ ref('int_order_items_converted') }}
),

lines_known as (
    select count(*) > 0 as amounts_known
    from order_items
),

order_totals as (
    select
        order_id,
        count(*) as item_count,
        sum(gross_revenue_usd) as gross_revenue_usd,
        sum(discount_usd) as discount_usd,
        sum(revenue_usd) as revenue_usd,
        -- unknown when a line's cost is (a line kept without unit_cost): never a partial sum
        case when count(cost_usd) = count(revenue_usd) then sum(cost_usd) end as cost_usd
    from order_items
    group by 1
),

-- An order without lines counts 0; when the extract has no line at all, no order's amounts are known (null).
order_amounts as (
    select
        orders.order_id,
        case when lines_known.amounts_known then coalesce(order_totals.gross_revenue_usd, 0) end as gross_revenue_usd,
        case when lines_known.amounts_known then coalesce(order_totals.discount_usd, 0) end as discount_usd,
        case when lines_known.amounts_known then coalesce(order_totals.revenue_usd, 0) end as revenue_usd,
        case
            when lines_known.amounts_known and order_totals.order_id is null then 0
            when lines_known.amounts_known then order_totals.cost_usd
        end as cost_usd
    from orders
    cross join lines_known
    left join order_totals
        on orders.order_id = order_totals.order_id
),

completed_order_numbers as (
    select
        order_id,
        row_number() over (partition by account_id order by ordered_at, order_id) as account_order_number
    from orders
    where status = 'completed'
),

{% if is_incremental() %}
    touched_accounts as (
        -- accounts with an order updated in the lookback window, new to the table, or whose lines changed in
        -- number since it was loaded (a line added without the order's updated_at moving)
        select distinct orders.account_id
        from orders
        left join order_totals
            on orders.order_id = order_totals.order_id
        left join {{ this }} as loaded
            on orders.order_id = loaded.order_id
        where
            orders.updated_at >= (
                select {{ dbt.dateadd('day', -var('incremental_lookback_days'), 'max(updated_at)') }}
                from {{ this }}
            )
            or loaded.order_id is null
            or loaded.item_count <> coalesce(order_totals.item_count, 0)
    ),
{% endif %}

new_orders as (
    select * from orders
    {% if is_incremental() %}
        where account_id in (select touched_accounts.account_id from touched_accounts)
    {% endif %}
),

final as (
    select
        new_orders.order_id,
        new_orders.account_id,
        new_orders.opportunity_id,
        new_orders.ordered_at,
        cast(new_orders.ordered_at as date) as order_date,
        cast({{ dbt.date_trunc('month', 'new_orders.ordered_at') }} as date) as order_month,
        new_orders.status,
        new_orders.currency,
        fx.rate_to_usd as fx_rate_to_usd,
        -- An order whose currency has no rate on or before its day (flagged no_fx_rate) is not converted: its
        -- USD amounts stay null, never 0 or a later rate; sums over orders leave it out.
        cast(case when fx.rate_to_usd is not null then order_amounts.gross_revenue_usd end as decimal(18, 2))
            as gross_revenue_usd,
        cast(case when fx.rate_to_usd is not null then order_amounts.discount_usd end as decimal(18, 2))
            as discount_usd,
        cast(case when fx.rate_to_usd is not null then order_amounts.revenue_usd end as decimal(18, 2))
            as revenue_usd,
        cast(case when fx.rate_to_usd is not null then order_amounts.cost_usd end as decimal(18, 2))
            as cost_usd,
        cast(
            case when fx.rate_to_usd is not null then order_amounts.revenue_usd - order_amounts.cost_usd end
            as decimal(18, 2)
        ) as margin_usd,
        cast(coalesce(order_totals.item_count, 0) as {{ dbt.type_int() }}) as item_count,
        cast(completed_order_numbers.account_order_number as {{ dbt.type_int() }}) as account_order_number,
        coalesce(completed_order_numbers.account_order_number = 1, false) as is_first_order,
        new_orders.updated_at
    from new_orders
    left join order_totals
        on new_orders.order_id = order_totals.order_id
    left join completed_order_numbers
        on new_orders.order_id = completed_order_numbers.order_id
    left join order_amounts
        on new_orders.order_id = order_amounts.order_id
    {{ join_fx_rate('new_orders.currency', 'cast(new_orders.ordered_at as date)') }}
)

select * from final
