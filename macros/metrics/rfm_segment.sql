{#- RFM segment name from the 1-5 recency, frequency and monetary scores (5 = most recent / most orders / most
    revenue) and the raw completed order count. Rules in order, the first that matches wins (every score
    combination lands in exactly one segment):
      champions           r >= 4 and f >= 4 and m >= 4
      loyal               r >= 3 and f >= 4
      new                 order_count = 1 and r >= 4
      potential_loyalist  r >= 4                      (recent, a few orders)
      need_attention      r = 3                       (middle recency, few orders)
      at_risk             r <= 2 and f >= 3           (bought often, not lately)
      hibernating         r = 2                       (few orders, not lately)
      lost                r = 1                       (few orders, longest ago) -#}
{% macro rfm_segment(r_score, f_score, m_score, order_count) -%}
    case
        when {{ r_score }} >= 4 and {{ f_score }} >= 4 and {{ m_score }} >= 4 then 'champions'
        when {{ r_score }} >= 3 and {{ f_score }} >= 4 then 'loyal'
        when {{ order_count }} = 1 and {{ r_score }} >= 4 then 'new'
        when {{ r_score }} >= 4 then 'potential_loyalist'
        when {{ r_score }} = 3 then 'need_attention'
        when {{ f_score }} >= 3 then 'at_risk'
        when {{ r_score }} = 2 then 'hibernating'
        else 'lost'
    end
{%- endmacro %}

{#- Repeat-purchase likelihood: 'likely' when the customer has 2+ completed orders and its last order is no older
    than twice its mean inter-order gap; 'unlikely' otherwise (one-order customers included: no usual gap to
    judge by; the probabilistic P(alive) of BG/NBD is a later issue). -#}
{% macro repeat_purchase_likelihood(order_count, recency_days, mean_gap_days) -%}
    case
        when {{ order_count }} >= 2 and {{ recency_days }} <= 2 * {{ mean_gap_days }} then 'likely'
        else 'unlikely'
    end
{%- endmacro %}
