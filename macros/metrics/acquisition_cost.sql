{#- Customer acquisition cost (CAC) = acquisition spend of the period (ad_spend + sales_salaries + other) / new
    customers acquired in the period. Null when no customer was acquired (division by zero), 0 when customers
    came at no recorded cost.
    Customer retention cost = retention spend of the period / customers retained in the period; null when none
    was retained. -#}
{% macro customer_acquisition_cost(acquisition_spend, new_customers) -%}
    {{ safe_divide(acquisition_spend, new_customers) }}
{%- endmacro %}

{% macro customer_retention_cost(retention_spend, retained_customers) -%}
    {{ safe_divide(retention_spend, retained_customers) }}
{%- endmacro %}
