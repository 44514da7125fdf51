{#- Every quarantined row of every entity, one row each, with the reason and the offending value. -#}
with
{%- for entity in crm_entities() %}

    {{ entity }}_validated as (

        select * from {{ ref('int_' ~ entity ~ '_validated') }}

    ),

    {{ entity }}_base as (

        select * from {{ ref('base_crm__' ~ entity) }}

    ),
{%- endfor %}
{%- for entity in crm_entities() %}

    {{ entity }}_quarantined as (

        {{ quarantined_rows(entity, entity ~ '_validated', entity ~ '_base') | indent(4) }}

    ),
{%- endfor %}

unioned as (
    {%- for entity in crm_entities() %}

        select * from {{ entity }}_quarantined
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
