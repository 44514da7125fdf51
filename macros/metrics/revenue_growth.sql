{#- Revenue growth = (this period's revenue - the comparison period's revenue) / the comparison period's revenue.
    Null (not an error) when the comparison period had no revenue or is missing. -#}
{% macro revenue_growth(current_revenue, previous_revenue) -%}
    {{ safe_divide('(' ~ current_revenue ~ ') - (' ~ previous_revenue ~ ')', previous_revenue) }}
{%- endmacro %}
