-- The lead engagement score must be a propensity signal (lead_score_calibration): every band above the lowest
-- converts leads to opportunities better than the lowest band does, and converted leads score higher on average
-- than the others. (Strict band-over-band monotony is shown in converts_at_least_as_well_as_lower_band but not
-- asserted: with a few dozen leads in the top band it moves with sampling noise.)
-- Returns one row per failed check.
with calibration as (
    select * from {{ ref('lead_score_calibration') }}
),

scored_leads as (
    select * from {{ ref('lead_scores') }}
),

lowest_band as (
    select lead_conversion_rate
    from calibration
    where score_band_order = 1
),

bands_not_above_lowest as (
    select
        'band converts no better than the lowest band' as failed_check,
        calibration.score_band as detail
    from calibration
    cross join lowest_band
    where
        calibration.score_band_order > 1
        and calibration.leads > 0
        and calibration.lead_conversion_rate <= lowest_band.lead_conversion_rate
),

score_by_outcome as (
    select
        avg(case when is_converted then engagement_score end) as converted_mean_score,
        avg(case when not is_converted then engagement_score end) as other_mean_score
    from scored_leads
),

converted_not_higher as (
    select
        'converted leads do not score higher' as failed_check,
        cast(converted_mean_score as {{ dbt.type_string() }}) as detail
    from score_by_outcome
    where converted_mean_score <= other_mean_score
),

final as (
    select * from bands_not_above_lowest
    union all
    select * from converted_not_higher
)

select * from final
