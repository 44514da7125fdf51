{#- The one currency conversion of the warehouse: a left join to int_fx_rates_ranged picking, for each row, the
    rate of `on_date` in `currency`, or the latest earlier rate when that day has none. A day before a currency's
    first rate has no rate: rate_to_usd is null (never a later rate; the door flags those rows no_fx_rate). The
    reporting currency is worth 1 of itself on any day, so its earliest rate also covers earlier days. Use as
    `... from x {{ join_fx_rate('x.currency', 'x.order_date') }}` and multiply amounts by `fx.rate_to_usd`; a
    currency without any rate leaves rate_to_usd null (dq quarantines those). -#}
{% macro join_fx_rate(currency, on_date, alias='fx') -%}
    left join {{ ref('int_fx_rates_ranged') }} as {{ alias }}
        on
            {{ alias }}.currency = {{ currency }}
            and (
                {{ alias }}.valid_from is null and (
                    {{ alias }}.rate_date is null
                    or {{ alias }}.currency = '{{ var("reporting_currency") }}'
                    or {{ on_date }} >= {{ alias }}.rate_date
                )
                or {{ on_date }} >= {{ alias }}.valid_from
            )
            and ({{ alias }}.valid_to is null or {{ on_date }} < {{ alias }}.valid_to)
{%- endmacro %}
