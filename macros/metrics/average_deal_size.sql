{#- Average deal size = mean amount of WON opportunities (open and lost deals excluded). Null when nothing was won.
    average_deal_size(amount, is_won): aggregate over one row per opportunity (final state).
    average_deal_size_from_totals(won_amount, won_count): the same mean from pre-aggregated totals. -#}
{% macro average_deal_size(amount='amount_usd', is_won='is_won') -%}
    avg(case when {{ is_won }} then {{ amount }} end)
{%- endmacro %}

{% macro average_deal_size_from_totals(won_amount, won_count) -%}
    {{ safe_divide(won_amount, won_count) }}
{%- endmacro %}
