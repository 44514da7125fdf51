{#- ISO day of week: 1 = Monday ... 7 = Sunday. Engine-specific, so dispatched. -#}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'crm_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    cast(extract(isodow from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__iso_day_of_week(date_expr) -%}
    cast(isodow({{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expr) -%}
    cast(((dayofweek({{ date_expr }}) + 5) % 7) + 1 as int)
{%- endmacro %}
