-- The lead engagement score must be a propensity signal: each score band converts leads to opportunities at least
-- as well as the band below it (lead_score_calibration). Returns the bands that convert worse than a lower band.
with calibration as (
    select * from {{ ref('lead_score_calibration') }}
),

final as (
    select
        higher_band.score_band,
        higher_band.lead_conversion_rate,
        lower_band.score_band as lower_score_band,
        lower_band.lead_conversion_rate as lower_band_conversion_rate
    from calibration as higher_band
    inner join calibration as lower_band
        on higher_band.score_band_order > lower_band.score_band_order
    where higher_band.lead_conversion_rate < lower_band.lead_conversion_rate
)

select * from final
