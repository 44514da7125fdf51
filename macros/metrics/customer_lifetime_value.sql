{#- Customer lifetime value, two definitions (the probabilistic BG/NBD x Gamma-Gamma CLV is a later issue).
    historical_clv(revenue, cost_of_goods, cost_to_serve): margin to date = revenue - cost of goods - cost to serve.
    predictive_clv(apv, purchases_per_year, margin_pct): average purchase value x purchases per year
        x var clv_expected_lifespan_years x margin % (margin after cost to serve / revenue). Null when any input
        is null (no orders: no APV, no margin %).
    purchases_per_year(order_count, tenure_days): completed orders / years since the first order, the years floored
        at 1 so a first order a few days ago does not extrapolate to dozens of purchases a year.
    clv_to_cac(clv, cac): the CLV : CAC ratio (3 is the usual healthy benchmark); null when CAC is null or 0. -#}
{% macro historical_clv(revenue, cost_of_goods, cost_to_serve) -%}
    ({{ revenue }} - {{ cost_of_goods }} - {{ cost_to_serve }})
{%- endmacro %}

{% macro purchases_per_year(order_count, tenure_days) -%}
    {{ safe_divide(order_count, 'greatest(cast(' ~ tenure_days ~ ' as double) / 365.25, 1.0)') }}
{%- endmacro %}

{% macro predictive_clv(apv, purchases_per_year, margin_pct) -%}
    ({{ apv }} * {{ purchases_per_year }} * cast({{ var('clv_expected_lifespan_years') }} as double) * {{ margin_pct }})
{%- endmacro %}

{% macro clv_to_cac(clv, cac) -%}
    {{ safe_divide(clv, cac) }}
{%- endmacro %}
