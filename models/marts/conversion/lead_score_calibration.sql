{#- Check of the lead engagement score against outcomes: qualification and conversion rates per score band.
    A useful score converts better in each higher band (converts_at_least_as_well_as_lower_band). -#}
{%- set bands = [(1, 'cold'), (2, 'warm'), (3, 'hot')] -%}

with scored_leads as (
    select * from {{ ref('int_leads_scored') }}
),

band_catalogue as (
    {%- for band_order, band in bands %}
        select
            {{ band_order }} as score_band_order,
            '{{ band }}' as score_band
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

band_outcomes as (
    select
        score_band_order,
        count(*) as leads,
        min(engagement_score) as min_score,
        max(engagement_score) as max_score,
        avg(engagement_score) as avg_score,
        count(case when is_qualified then 1 end) as qualified_leads,
        {{ lead_conversion_rate('is_qualified') }} as lead_qualification_rate,
        count(case when is_converted then 1 end) as converted_leads,
        {{ lead_conversion_rate('is_converted') }} as lead_conversion_rate,
        count(case when is_paying_conversion then 1 end) as paying_customer_leads,
        {{ lead_conversion_rate('is_paying_conversion') }} as lead_to_customer_rate
    from scored_leads
    group by 1
),

overall as (
    select {{ lead_conversion_rate('is_converted') }} as overall_conversion_rate
    from scored_leads
),

final as (
    select
        band_catalogue.score_band_order,
        band_catalogue.score_band,
        coalesce(band_outcomes.leads, 0) as leads,
        cast(band_outcomes.min_score as double) as min_score,
        cast(band_outcomes.max_score as double) as max_score,
        cast(band_outcomes.avg_score as double) as avg_score,
        coalesce(band_outcomes.qualified_leads, 0) as qualified_leads,
        band_outcomes.lead_qualification_rate,
        coalesce(band_outcomes.converted_leads, 0) as converted_leads,
        band_outcomes.lead_conversion_rate,
        coalesce(band_outcomes.paying_customer_leads, 0) as paying_customer_leads,
        band_outcomes.lead_to_customer_rate,
        {{ safe_divide('band_outcomes.lead_conversion_rate', 'overall.overall_conversion_rate') }} as conversion_lift,
        band_outcomes.lead_conversion_rate >= lag(band_outcomes.lead_conversion_rate) over (
            order by band_catalogue.score_band_order
        ) as converts_at_least_as_well_as_lower_band
    from band_catalogue
    left join band_outcomes
        on band_catalogue.score_band_order = band_outcomes.score_band_order
    cross join overall
)

select * from final
