{#- A row's columns as a JSON object text ({"column": value, ...}): the quarantine keeps the whole offending
    record for inspection. Engine-specific, so dispatched. -#}
{% macro json_record(columns, relation_alias) -%}
    {{ return(adapter.dispatch('json_record', 'crm_warehouse')(columns, relation_alias)) }}
{%- endmacro %}

{% macro default__json_record(columns, relation_alias) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ relation_alias }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__json_record(columns, relation_alias) -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ relation_alias }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}
