{#- One row per account with a completed order on or before the calibration end
    (int_customer_value_calibration_dated): the inputs of BG/NBD and Gamma-Gamma, time in weeks.
    A purchase day = the account's completed orders of one order_date (one transaction; revenue summed).
      frequency         = purchase days - 1 (repeat purchase days)
      recency_weeks     = (last purchase day - first purchase day) / 7
      t_weeks           = (calibration end - first purchase day) / 7 (the customer's age)
      monetary_value_usd = mean revenue of the repeat purchase days (the first day is left out, as Gamma-Gamma
                          expects); null without a repeat day, and null when a repeat day has an order whose amount
                          could not be converted to USD (fct_orders.revenue_usd null, flagged no_fx_rate): the
                          account keeps its row and its purchase counts, only the order value is unknown. -#}
with calibration as (
    select * from {{ ref('int_customer_value_calibration_dated') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where status = 'completed'
),

purchase_days as (
    select
        orders.account_id,
        orders.order_date as purchase_date,
        count(*) as order_count,
        sum(cast(orders.revenue_usd as double)) as revenue_usd,
        count(*) - count(orders.revenue_usd) as unconverted_order_count
    from orders
    cross join calibration
    where orders.order_date <= calibration.calibration_end_date
    group by 1, 2
),

numbered_days as (
    select
        purchase_days.*,
        row_number()
            over (partition by purchase_days.account_id order by purchase_days.purchase_date)
            as purchase_day_number
    from purchase_days
),

account_totals as (
    select
        account_id,
        count(*) as purchase_days,
        sum(order_count) as order_count,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        sum(case when purchase_day_number > 1 then revenue_usd end) as repeat_revenue_usd,
        sum(case when purchase_day_number > 1 then unconverted_order_count else 0 end) as repeat_unconverted_orders,
        sum(unconverted_order_count) as unconverted_order_count
    from numbered_days
    group by 1
),

final as (
    select
        account_totals.account_id,
        calibration.calibration_end_date,
        account_totals.first_purchase_date,
        account_totals.last_purchase_date,
        cast(account_totals.order_count as {{ dbt.type_int() }}) as order_count,
        cast(account_totals.purchase_days as {{ dbt.type_int() }}) as purchase_days,
        cast(account_totals.purchase_days - 1 as {{ dbt.type_int() }}) as frequency,
        cast(
            {{ dbt.datediff('account_totals.first_purchase_date', 'account_totals.last_purchase_date', 'day') }}
            as double
        ) / 7.0 as recency_weeks,
        cast(
            {{ dbt.datediff('account_totals.first_purchase_date', 'calibration.calibration_end_date', 'day') }}
            as double
        ) / 7.0 as t_weeks,
        case
            when account_totals.purchase_days > 1 and account_totals.repeat_unconverted_orders = 0
                then account_totals.repeat_revenue_usd / (account_totals.purchase_days - 1)
        end as monetary_value_usd,
        cast(account_totals.unconverted_order_count as {{ dbt.type_int() }}) as unconverted_order_count
    from account_totals
    cross join calibration
)

select * from final
