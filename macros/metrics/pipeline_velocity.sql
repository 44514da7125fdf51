{#- Pipeline velocity (revenue per day) = open opportunities x win rate x average deal size / average sales cycle
    days. Null when any input is null or the cycle is zero days (safe_divide). Inputs are already aggregated:
    win rate from win_rate(), deal size from average_deal_size(), cycle from sales_cycle_mean(). -#}
{% macro pipeline_velocity(open_opportunities, win_rate, average_deal_size, average_cycle_days) -%}
    {{ safe_divide(
        open_opportunities ~ ' * ' ~ win_rate ~ ' * ' ~ average_deal_size,
        average_cycle_days
    ) }}
{%- endmacro %}
