{#- Monthly revenue, new pipeline, won deals and won amount (one row per series and month, long form): the actual
    value with its month-over-month and year-over-year change (int_revenue_trend_months_compared), the ETS trend and
    seasonal components of the complete months, and the forecast of the next months with 80% / 95% prediction
    intervals; the last known months also carry the backtest forecast made without them
    (int_revenue_trends_forecasted, method in crm_warehouse.analytics.trends). -#}
with compared as (
    select * from {{ ref('int_revenue_trend_months_compared') }}
),

forecasted as (
    select * from {{ ref('int_revenue_trends_forecasted') }}
),

joined as (
    select
        coalesce(compared.series_name, forecasted.series_name) as series_name,
        coalesce(compared.month_start, forecasted.month_start) as series_month,
        coalesce(forecasted.is_forecast, false) as is_forecast,
        coalesce(compared.is_complete_month, false) as is_complete_month,
        compared.series_value as actual_value,
        compared.previous_month_value,
        compared.change_mom,
        compared.growth_mom,
        compared.same_month_last_year_value,
        compared.change_yoy,
        compared.growth_yoy,
        forecasted.fitted_value,
        forecasted.trend_value,
        forecasted.seasonal_value,
        forecasted.forecast_value,
        forecasted.forecast_lower_80,
        forecasted.forecast_upper_80,
        forecasted.forecast_lower_95,
        forecasted.forecast_upper_95,
        forecasted.backtest_forecast_value,
        forecasted.backtest_lower_95,
        forecasted.backtest_upper_95,
        forecasted.backtest_model_name,
        forecasted.model_name,
        forecasted.is_seasonal,
        forecasted.fit_months
    from compared
    full outer join forecasted
        on
            compared.series_name = forecasted.series_name
            and compared.month_start = forecasted.month_start
),

final as (
    select
        series_name,
        case when series_name = 'won_deals' then 'deals' else 'usd' end as series_unit,
        cast(series_month as date) as series_month,
        is_forecast,
        is_complete_month,
        cast(actual_value as double) as actual_value,
        cast(previous_month_value as double) as previous_month_value,
        cast(change_mom as double) as change_mom,
        cast(growth_mom as double) as growth_mom,
        cast(same_month_last_year_value as double) as same_month_last_year_value,
        cast(change_yoy as double) as change_yoy,
        cast(growth_yoy as double) as growth_yoy,
        cast(fitted_value as double) as fitted_value,
        cast(trend_value as double) as trend_value,
        cast(seasonal_value as double) as seasonal_value,
        cast(forecast_value as double) as forecast_value,
        cast(forecast_lower_80 as double) as forecast_lower_80,
        cast(forecast_upper_80 as double) as forecast_upper_80,
        cast(forecast_lower_95 as double) as forecast_lower_95,
        cast(forecast_upper_95 as double) as forecast_upper_95,
        cast(backtest_forecast_value as double) as backtest_forecast_value,
        cast(backtest_lower_95 as double) as backtest_lower_95,
        cast(backtest_upper_95 as double) as backtest_upper_95,
        cast(max(model_name) over (partition by series_name) as varchar) as model_name,
        cast(max(backtest_model_name) over (partition by series_name) as varchar) as backtest_model_name,
        cast(bool_or(is_seasonal) over (partition by series_name) as boolean) as is_seasonal,
        cast(max(fit_months) over (partition by series_name) as {{ dbt.type_int() }}) as fit_months
    from joined
)

select * from final
