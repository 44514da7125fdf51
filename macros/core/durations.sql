{#- Elapsed time between two timestamps as a fractional number (double); null when either is null.
    Second precision, so 90 minutes is 1.5 hours rather than a count of hour boundaries. -#}
{% macro hours_between(start_ts, end_ts) -%}
    (cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as double) / 3600.0)
{%- endmacro %}

{% macro days_between(start_ts, end_ts) -%}
    (cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as double) / 86400.0)
{%- endmacro %}
