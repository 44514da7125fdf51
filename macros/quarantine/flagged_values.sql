{#- The flagged values of one entity's kept rows, one row each, in the shape of data_quality__value_issues
    (without detected_at). validated: name of a CTE over int_<entity>_validated rows with value issues. -#}
{% macro flagged_values(entity, validated) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ validated) }}
    {%- endif -%}
    {%- set contract = crm_contract_entity(entity) -%}
    {%- set verdicts = crm_entity_checks(contract, 'null', resolve_refs=false).verdicts
        | rejectattr('rejects', 'equalto', 'true') | list -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set source_key = crm_source_key(contract) -%}
    {%- set issue_list = dbt.concat(["','", 'value_issues', "','"]) -%}
    {%- if not verdicts %}
    select
        cast(null as {{ string_type }}) as entity,
        cast(null as {{ string_type }}) as source_key,
        cast(null as {{ dbt.type_bigint() }}) as source_row_number,
        cast(null as {{ string_type }}) as column_name,
        cast(null as {{ string_type }}) as rule,
        cast(null as {{ string_type }}) as raw_value,
        cast(null as {{ string_type }}) as action
    where 1 = 0
    {%- endif %}
    {%- for verdict in verdicts %}
    select
        '{{ entity }}' as entity,
        {{ source_key }} as source_key,
        _row_number as source_row_number,
        '{{ verdict.column.name }}' as column_name,
        '{{ verdict.reason }}' as rule,
        {{ json_text_field('_flagged_values', verdict.column.name) }} as raw_value,
        '{{ crm_flag_action(verdict.reason) }}' as action
    from {{ validated }}
    where {{ issue_list }} like '%,{{ verdict.reason }}:{{ verdict.column.name }},%'
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}


{#- What a flag did to the value: kept_unknown_reference (the dimension's inferred member takes it), kept_missing
    (a required column set to flag_value), kept_not_converted (no_fx_rate: the currency stays, its USD amounts are
    null), set_to_other (enums) or set_to_null. -#}
{% macro crm_flag_action(reason) -%}
    {%- if reason == 'orphan_reference' -%} kept_unknown_reference
    {%- elif reason == 'no_fx_rate' -%} kept_not_converted
    {%- elif reason == 'missing_required' -%} kept_missing
    {%- elif reason == 'unknown_enum' -%} set_to_other
    {%- else -%} set_to_null
    {%- endif -%}
{%- endmacro %}
