{#- Lead funnel per month of lead creation and breakdown dimension (long form): volume, qualification,
    conversion to opportunity and to paying customer, response time and SLA share. -#}
{%- set dimensions = {
    'all': "'all'",
    'source': "source",
    'campaign': "coalesce(campaign_id, '(none)')",
    'campaign_channel': "coalesce(campaign_channel, '(none)')",
    'source_campaign': dbt.concat(["source", "' / '", "coalesce(campaign_id, '(none)')"]),
    'rep': "coalesce(owner_user_id, '(unassigned)')",
    'team': "coalesce(owner_team, 'unknown')",
} -%}

with leads as (
    select * from {{ ref('int_leads_enriched') }}
),

leads_by_dimension as (
    {%- for dimension_name, dimension_expression in dimensions.items() %}
        select
            created_month as month_start,
            '{{ dimension_name }}' as dimension_name,
            cast({{ dimension_expression }} as {{ dbt.type_string() }}) as dimension_value,
            lead_id,
            is_qualified,
            is_converted,
            is_paying_conversion,
            response_hours,
            responded_within_sla
        from leads
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        month_start,
        dimension_name,
        dimension_value,
        count(distinct lead_id) as new_leads,
        count(distinct case when is_qualified then lead_id end) as qualified_leads,
        {{ lead_conversion_rate('is_qualified') }} as lead_qualification_rate,
        count(distinct case when is_converted then lead_id end) as converted_leads,
        {{ lead_conversion_rate('is_converted') }} as lead_conversion_rate,
        count(distinct case when is_paying_conversion then lead_id end) as paying_customer_leads,
        {{ lead_conversion_rate('is_paying_conversion') }} as lead_to_customer_rate,
        count(distinct case when response_hours is not null then lead_id end) as responded_leads,
        cast(avg(response_hours) as double) as avg_response_hours,
        cast({{ percentile('response_hours', 0.5) }} as double) as median_response_hours,
        count(distinct case when responded_within_sla then lead_id end) as answered_within_sla_leads,
        {{ lead_conversion_rate('coalesce(responded_within_sla, false)') }} as answered_within_sla_share,
        cast({{ var('lead_response_sla_hours') }} as double) as response_sla_hours
    from leads_by_dimension
    group by 1, 2, 3
)

select * from final
