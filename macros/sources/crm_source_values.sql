{#- Value helpers for the CRM adapters' mapping models (models/intermediate/<source>/): a source's timestamp or
    date text in the contract's ISO shape. A value the engine cannot read is passed on as written, so the
    validation door flags it (invalid_timestamp / invalid_date) instead of the row silently losing it. -#}
{% macro crm_source_timestamp_text(expression) -%}
    {{- return(adapter.dispatch('crm_source_timestamp_text', 'crm_warehouse')(expression)) -}}
{%- endmacro %}

{% macro duckdb__crm_source_timestamp_text(expression) -%}
    coalesce(strftime(try_cast({{ expression }} as timestamp), '%Y-%m-%dT%H:%M:%SZ'), {{ expression }})
{%- endmacro %}

{% macro crm_source_date_text(expression) -%}
    {{- return(adapter.dispatch('crm_source_date_text', 'crm_warehouse')(expression)) -}}
{%- endmacro %}

{% macro duckdb__crm_source_date_text(expression) -%}
    coalesce(cast(cast(try_cast({{ expression }} as timestamp) as date) as varchar), {{ expression }})
{%- endmacro %}
