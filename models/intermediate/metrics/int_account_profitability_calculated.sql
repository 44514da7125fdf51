{#- One row per account (every valid account, plus any account that appears only on orders or support rows, so no
    revenue or cost is lost): revenue, cost of goods, cost to serve, margins and lifetime value.
      gross_margin_usd    = revenue - cost of goods (completed orders, all time to as_of_date)
      cost_to_serve_usd   = sum of int_account_months_cost_to_serve (support cost + allocated retention spend)
      customer_margin_usd = revenue - cost of goods - cost to serve (customer profitability)
      margin_pct          = customer_margin / revenue (null without revenue)
      historical_clv_usd  = customer_margin_usd (macro historical_clv: margin to date)
      predictive_clv_usd  = APV x purchases per year x var clv_expected_lifespan_years x margin_pct
      cac_usd             = CAC of the account's acquisition channel in its acquisition month (channel level of
                            int_acquisition_costs_monthly); clv_to_cac_ratio = predictive CLV / that CAC
    An account without orders has revenue 0; a customer whose order amounts are unknown (no order lines in the
    extract, or no fx rate) has revenue, margins and CLV null, never 0. -#}
with accounts as (
    select * from {{ ref('dim_accounts') }}
),

purchases as (
    select * from {{ ref('int_account_purchases_profiled') }}
),

cost_to_serve_months as (
    select * from {{ ref('int_account_months_cost_to_serve') }}
),

customers_acquired as (
    select * from {{ ref('int_customers_acquired') }}
),

acquisition_costs as (
    select * from {{ ref('int_acquisition_costs_monthly') }}
    where attribution_level = 'channel'
),

cost_to_serve as (
    select
        account_id,
        sum(ticket_count) as ticket_count,
        sum(call_minutes) as call_minutes,
        sum(support_cost_usd) as support_cost_usd,
        sum(allocated_retention_spend_usd) as allocated_retention_spend_usd,
        sum(cost_to_serve_usd) as cost_to_serve_usd
    from cost_to_serve_months
    where account_id is not null
    group by 1
),

account_keys as (
    select account_id from accounts
    union
    select account_id from purchases
    union
    select account_id from cost_to_serve
),

combined as (
    select
        account_keys.account_id,
        coalesce(accounts.is_customer, purchases.account_id is not null) as is_customer,
        coalesce(
            customers_acquired.acquisition_channel,
            {{ acquisition_spend_channel('accounts.acquisition_channel') }},
            'unattributed'
        ) as acquisition_channel,
        coalesce(customers_acquired.acquisition_campaign_id, accounts.acquisition_campaign_id)
            as acquisition_campaign_id,
        customers_acquired.acquired_month,
        coalesce(purchases.order_count, 0) as order_count,
        purchases.first_order_date,
        purchases.last_order_date,
        case when purchases.account_id is null then 0 else purchases.revenue_usd end as revenue_usd,
        case when purchases.account_id is null then 0 else purchases.cost_of_goods_usd end as cost_of_goods_usd,
        coalesce(cost_to_serve.ticket_count, 0) as ticket_count,
        coalesce(cost_to_serve.call_minutes, 0) as call_minutes,
        coalesce(cost_to_serve.support_cost_usd, 0) as support_cost_usd,
        coalesce(cost_to_serve.allocated_retention_spend_usd, 0) as allocated_retention_spend_usd,
        coalesce(cost_to_serve.cost_to_serve_usd, 0) as cost_to_serve_usd,
        purchases.average_purchase_value_usd,
        purchases.purchases_per_year
    from account_keys
    left join accounts
        on account_keys.account_id = accounts.account_id
    left join purchases
        on account_keys.account_id = purchases.account_id
    left join cost_to_serve
        on account_keys.account_id = cost_to_serve.account_id
    left join customers_acquired
        on account_keys.account_id = customers_acquired.account_id
),

margins as (
    select
        combined.*,
        combined.revenue_usd - combined.cost_of_goods_usd as gross_margin_usd,
        {{ historical_clv('revenue_usd', 'cost_of_goods_usd', 'cost_to_serve_usd') }} as customer_margin_usd,
        {{ safe_divide(historical_clv('revenue_usd', 'cost_of_goods_usd', 'cost_to_serve_usd'), 'revenue_usd') }}
            as margin_pct
    from combined
),

valued as (
    select
        margins.*,
        margins.customer_margin_usd as historical_clv_usd,
        {{ predictive_clv('average_purchase_value_usd', 'purchases_per_year', 'margin_pct') }} as predictive_clv_usd
    from margins
),

final as (
    select
        valued.*,
        acquisition_costs.cac_usd,
        {{ clv_to_cac('valued.predictive_clv_usd', 'acquisition_costs.cac_usd') }} as clv_to_cac_ratio
    from valued
    left join acquisition_costs
        on
            valued.acquired_month = acquisition_costs.month_start
            and valued.acquisition_channel = acquisition_costs.channel
)

select * from final
