{#- dbt's cross-database safe_cast falls back to a plain cast on DuckDB, which fails the whole query on one bad
    value. DuckDB has try_cast (null on failure); the project's dispatch config (dbt_project.yml) makes
    dbt.safe_cast find this implementation first. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
