{#- Support cost (the direct part of cost to serve and of retention spend)
    = tickets x var cost_per_ticket_usd + answered service-call minutes x var cost_per_call_minute_usd.
    Inputs are counts already summed over the grain; nulls count as 0. -#}
{% macro support_cost(ticket_count, call_minutes) -%}
    (
        coalesce({{ ticket_count }}, 0) * cast({{ var('cost_per_ticket_usd') }} as double)
        + coalesce({{ call_minutes }}, 0) * cast({{ var('cost_per_call_minute_usd') }} as double)
    )
{%- endmacro %}
