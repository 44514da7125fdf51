{#- Backtest of revenue_trends per series: the forecast made without the last known months (backtest_forecast_value)
    against what those months turned out to be. MAE = mean |actual - forecast|; MAPE = mean |actual - forecast| /
    actual over the months with a positive actual (a month with 0 has no percentage error; mape_months counts the
    others); mean_error = mean (forecast - actual), positive when the forecast ran high; coverage_95 = share of the
    months whose actual fell inside the backtest's 95% interval. -#}
with trends as (
    select * from {{ ref('revenue_trends') }}
    where backtest_forecast_value is not null and actual_value is not null
),

final as (
    select
        series_name,
        max(series_unit) as series_unit,
        max(backtest_model_name) as backtest_model_name,
        cast(count(*) as {{ dbt.type_int() }}) as backtest_months,
        min(series_month) as first_backtest_month,
        max(series_month) as last_backtest_month,
        cast(avg(actual_value) as double) as mean_actual_value,
        cast(avg(abs(actual_value - backtest_forecast_value)) as double) as mae,
        cast(
            avg(case when actual_value > 0 then abs(actual_value - backtest_forecast_value) / actual_value end)
            as double
        ) as mape,
        cast(count(case when actual_value > 0 then 1 end) as {{ dbt.type_int() }}) as mape_months,
        cast(avg(backtest_forecast_value - actual_value) as double) as mean_error,
        cast(
            count(case when actual_value between backtest_lower_95 and backtest_upper_95 then 1 end)
            as {{ dbt.type_int() }}
        ) as months_within_95,
        {{ safe_divide(
            'count(case when actual_value between backtest_lower_95 and backtest_upper_95 then 1 end)',
            'count(*)'
        ) }} as coverage_95
    from trends
    group by 1
)

select * from final
