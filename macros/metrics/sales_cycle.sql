{#- Sales cycle length = days from the start of a deal to its close, over WON deals only (open and lost deals
    excluded). Two start points, chosen by the column passed: fct_opportunities.cycle_days (opportunity created
    -> close_date) or cycle_days_from_first_contact (lead created, else opportunity created -> close_date).
    Aggregates over one row per opportunity; null when the group has no won deal.
      sales_cycle_mean(cycle_days, is_won)          mean days
      sales_cycle_percentile(p, cycle_days, is_won) continuous percentile (p=0.5 median, p=0.9 p90) -#}
{% macro sales_cycle_mean(cycle_days='cycle_days', is_won='is_won') -%}
    avg(cast(case when {{ is_won }} then {{ cycle_days }} end as double))
{%- endmacro %}

{% macro sales_cycle_percentile(p, cycle_days='cycle_days', is_won='is_won') -%}
    {{ percentile('cast(case when ' ~ is_won ~ ' then ' ~ cycle_days ~ ' end as double)', p) }}
{%- endmacro %}
