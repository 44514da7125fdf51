-- revenue_trends: a forecast month is not complete (only the running as-of month may also hold its actual value so
-- far), its point forecast is trend + seasonal component, and its intervals nest around it (95% outside 80%; a
-- lower end may be clipped at 0). Returns the offending rows.
with trends as (
    select * from {{ ref('revenue_trends') }}
),

final as (
    select
        series_name,
        series_month
    from trends
    where
        is_forecast
        and (
            is_complete_month
            or forecast_value is null
            or abs(forecast_value - (trend_value + coalesce(seasonal_value, 0))) > 1e-6 * (1 + abs(forecast_value))
            or forecast_lower_95 > forecast_lower_80
            or forecast_upper_80 > forecast_upper_95
            or forecast_upper_80 < forecast_value
            or (forecast_lower_80 > 0 and forecast_lower_80 > forecast_value)
        )
)

select * from final
