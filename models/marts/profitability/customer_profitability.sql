-- Per account: revenue, cost of goods, cost to serve, margins, lifetime value and CLV : CAC.
-- Every formula lives in int_account_profitability_calculated (and its macros); this mart exposes it. The
-- probabilistic CLV and P(alive) come from customer_value_forecast (BG/NBD x Gamma-Gamma; null when not fitted).
with profitability as (
    select * from {{ ref('int_account_profitability_calculated') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

forecast as (
    select * from {{ ref('customer_value_forecast') }}
),

final as (
    select
        profitability.account_id,
        accounts.account_name,
        profitability.is_customer,
        profitability.acquisition_channel,
        profitability.acquisition_campaign_id,
        profitability.acquired_month,
        cast(profitability.order_count as {{ dbt.type_int() }}) as order_count,
        profitability.first_order_date,
        profitability.last_order_date,
        cast(profitability.revenue_usd as decimal(18, 2)) as revenue_usd,
        cast(profitability.cost_of_goods_usd as decimal(18, 2)) as cost_of_goods_usd,
        cast(profitability.gross_margin_usd as decimal(18, 2)) as gross_margin_usd,
        cast(profitability.ticket_count as {{ dbt.type_int() }}) as ticket_count,
        cast(profitability.call_minutes as double) as call_minutes,
        cast(profitability.support_cost_usd as double) as support_cost_usd,
        cast(profitability.allocated_retention_spend_usd as double) as allocated_retention_spend_usd,
        cast(profitability.cost_to_serve_usd as double) as cost_to_serve_usd,
        cast(profitability.customer_margin_usd as double) as customer_margin_usd,
        cast(profitability.margin_pct as double) as margin_pct,
        cast(profitability.average_purchase_value_usd as double) as average_purchase_value_usd,
        cast(profitability.purchases_per_year as double) as purchases_per_year,
        cast(profitability.historical_clv_usd as double) as historical_clv_usd,
        cast(profitability.predictive_clv_usd as double) as predictive_clv_usd,
        cast(forecast.predicted_clv_usd as double) as probabilistic_clv_usd,
        cast(forecast.p_alive as double) as p_alive,
        cast(profitability.cac_usd as double) as cac_usd,
        cast(profitability.clv_to_cac_ratio as double) as clv_to_cac_ratio
    from profitability
    left join accounts
        on profitability.account_id = accounts.account_id
    left join forecast
        on profitability.account_id = forecast.account_id
)

select * from final
