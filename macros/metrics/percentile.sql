{#- Continuous percentile (p in 0..1) of a column, as an aggregate. Engine-specific, so dispatched. -#}
{% macro percentile(column, p) -%}
    {{ return(adapter.dispatch('percentile', 'crm_warehouse')(column, p)) }}
{%- endmacro %}

{% macro default__percentile(column, p) -%}
    percentile_cont({{ p }}) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__percentile(column, p) -%}
    quantile_cont({{ column }}, {{ p }})
{%- endmacro %}

{% macro spark__percentile(column, p) -%}
    percentile({{ column }}, {{ p }})
{%- endmacro %}
