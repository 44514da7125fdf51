{#- Every flagged value of a kept row, one row each: the row stayed in the warehouse with this value mended
    (set to null or 'other', or an unknown reference kept for the dimension's inferred member). -#}
with
{%- for entity in crm_entities() %}

    {{ entity }}_flagged as (

        select * from {{ ref('int_' ~ entity ~ '_validated') }}
        where has_value_issues

    ),
{%- endfor %}
{%- for entity in crm_entities() %}

    {{ entity }}_value_issues as (

        {{ flagged_values(entity, entity ~ '_flagged') | indent(4) }}

    ),
{%- endfor %}

unioned as (
    {%- for entity in crm_entities() %}

        select * from {{ entity }}_value_issues
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        unioned.*,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as detected_at
    from unioned

)

select * from final
