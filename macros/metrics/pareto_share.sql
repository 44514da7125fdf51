{#- Pareto share = revenue of the top var pareto_top_customer_share (default 20%) customers / revenue of all
    customers of the group. The top group is the first ceil(share x customers) customers by revenue (at least one),
    so 5 customers -> the top 1, 12 customers -> the top 3. Aggregate over one row per customer carrying its
    revenue rank in the group (1 = highest) and the group's customer count. Null when the group has no revenue.
    pareto_top_rank(customers): the number of customers in the top group. -#}
{% macro pareto_top_rank(customer_count) -%}
    ceil({{ customer_count }} * cast({{ var('pareto_top_customer_share') }} as double))
{%- endmacro %}

{% macro pareto_share(revenue, revenue_rank, customer_count) -%}
    {{ safe_divide(
        'sum(case when ' ~ revenue_rank ~ ' <= ' ~ pareto_top_rank(customer_count) ~ ' then ' ~ revenue ~ ' else 0 end)',
        'sum(' ~ revenue ~ ')'
    ) }}
{%- endmacro %}
