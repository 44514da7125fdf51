{#- Average purchase value (APV) = revenue / number of completed orders (10,000 / 100 orders = 100).
    Null when there were no orders. -#}
{% macro average_purchase_value(revenue, order_count) -%}
    {{ safe_divide(revenue, order_count) }}
{%- endmacro %}
