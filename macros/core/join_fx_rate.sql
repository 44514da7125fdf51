{#- The one currency conversion of the warehouse: a left join to int_fx_rates_ranged picking, for each row, the
    rate of `on_date` in `currency`, or the latest earlier rate when that day has none (and the earliest rate for
    days before the first one). Use as `... from x {{ join_fx_rate('x.currency', 'x.order_date') }}` and multiply
    amounts by `fx.rate_to_usd`; a currency without any rate leaves rate_to_usd null (dq quarantines those). -#}
{% macro join_fx_rate(currency, on_date, alias='fx') -%}
    left join {{ ref('int_fx_rates_ranged') }} as {{ alias }}
        on
            {{ alias }}.currency = {{ currency }}
            and ({{ alias }}.valid_from is null or {{ on_date }} >= {{ alias }}.valid_from)
            and ({{ alias }}.valid_to is null or {{ on_date }} < {{ alias }}.valid_to)
{%- endmacro %}
