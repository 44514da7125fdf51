{#- Repeat purchase rate = customers with 2+ completed orders / customers with 1+ completed orders.
    Null when there is no customer yet. -#}
{% macro repeat_purchase_rate(repeat_customers, customers) -%}
    {{ safe_divide(repeat_customers, customers) }}
{%- endmacro %}
