{#- A condition that stops the query with `message` (a SQL text expression) when evaluated. Used in a test's
    where clause (a projection may be pruned away), so dbt's output names the entity at fault instead of
    "Got 1 result". -#}
{% macro crm_raise_error(message) -%}
    {{- return(adapter.dispatch('crm_raise_error', 'crm_warehouse')(message)) -}}
{%- endmacro %}

{% macro default__crm_raise_error(message) -%}
    cast({{ message }} as {{ dbt.type_int() }}) is null
{%- endmacro %}

{% macro duckdb__crm_raise_error(message) -%}
    error({{ message }}) is null
{%- endmacro %}
