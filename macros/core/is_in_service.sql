{#- A subscription is in service on a day from its started_at through its ended_at (the last day of service),
    open-ended while ended_at is empty. Used for is_active (on as_of_date) and for the monthly MRR snapshot. -#}
{% macro is_in_service(started_at, ended_at, on_date) -%}
    ({{ started_at }} <= {{ on_date }} and ({{ ended_at }} is null or {{ ended_at }} >= {{ on_date }}))
{%- endmacro %}
