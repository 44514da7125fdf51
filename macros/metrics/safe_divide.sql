{#- Ratio that is null (not an error, not zero) when the denominator is zero or null.
    Every rate in the marts goes through this one definition. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
