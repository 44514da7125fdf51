{#- Churn-risk tier from the BG/NBD probability a customer is still alive:
      high   p_alive <  var clv_p_alive_high_risk_below   (default 0.3)
      low    p_alive >= var clv_p_alive_low_risk_from      (default 0.7)
      medium in between; null when p_alive is null (BG/NBD not fitted). -#}
{% macro churn_risk_tier(p_alive) -%}
    case
        when {{ p_alive }} is null then null
        when {{ p_alive }} < cast({{ var('clv_p_alive_high_risk_below') }} as double) then 'high'
        when {{ p_alive }} >= cast({{ var('clv_p_alive_low_risk_from') }} as double) then 'low'
        else 'medium'
    end
{%- endmacro %}

{#- Probabilistic CLV = expected purchases in the horizon (discounted per month) x expected order value x margin %:
    null when any input is null (a fit not 'fitted', an unknown order value, no margin %). -#}
{% macro probabilistic_clv(discounted_expected_purchases, expected_order_value, margin_pct) -%}
    ({{ discounted_expected_purchases }} * {{ expected_order_value }} * {{ margin_pct }})
{%- endmacro %}

{#- "High predicted value, low P(alive)": predicted-value decile (customer_segments) >= var at_risk_min_decile and
    p_alive < var clv_p_alive_high_risk_below (the high churn-risk tier). Null when either is null (no forecast). -#}
{% macro high_value_low_p_alive(predicted_value_decile, p_alive) -%}
    case
        when {{ predicted_value_decile }} is null or {{ p_alive }} is null then null
        else
            {{ predicted_value_decile }} >= {{ var('at_risk_min_decile') }}
            and {{ p_alive }} < cast({{ var('clv_p_alive_high_risk_below') }} as double)
    end
{%- endmacro %}
