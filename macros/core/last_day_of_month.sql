{#- Last calendar day of the month of a date, as a date. -#}
{% macro last_day_of_month(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}
