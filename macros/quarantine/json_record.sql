{#- JSON object texts ({"key": value, ...}) and reading one field back. Engine-specific, so dispatched.
    json_object_text(pairs): pairs is a list of [key, sql expression]; a null expression gives "key": null.
    json_record(columns, relation_alias): a row's columns as such an object (the quarantine keeps the whole
    offending record for inspection). json_text_field(json, key): the text of one key, null when absent. -#}
{% macro json_object_text(pairs) -%}
    {{ return(adapter.dispatch('json_object_text', 'crm_warehouse')(pairs)) }}
{%- endmacro %}

{% macro default__json_object_text(pairs) -%}
    to_json(named_struct(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__json_object_text(pairs) -%}
    cast(json_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro json_record(columns, relation_alias) -%}
    {%- set pairs = [] -%}
    {%- for column in columns -%}
        {%- do pairs.append([column, relation_alias ~ '.' ~ column]) -%}
    {%- endfor -%}
    {{ json_object_text(pairs) }}
{%- endmacro %}

{% macro json_text_field(json_expression, key) -%}
    {{ return(adapter.dispatch('json_text_field', 'crm_warehouse')(json_expression, key)) }}
{%- endmacro %}

{% macro default__json_text_field(json_expression, key) -%}
    get_json_object({{ json_expression }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text_field(json_expression, key) -%}
    json_extract_string({{ json_expression }}, '$.{{ key }}')
{%- endmacro %}
