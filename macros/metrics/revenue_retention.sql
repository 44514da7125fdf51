{#- Revenue retention from a monthly MRR bridge (start MRR and the movements of the month, fct_subscription_mrr):
      gross revenue retention GRR = (start - churned - contraction) / start        (0..1, ignores expansion)
      net revenue retention   NRR = (start - churned - contraction + expansion) / start   (can exceed 1)
    New and reactivation MRR are excluded from both: they do not come from the customers present at the start.
    Null when start MRR is zero. Arguments are pre-aggregated sums (columns or expressions). -#}
{% macro gross_revenue_retention(start_mrr, churned_mrr, contraction_mrr) -%}
    {{ safe_divide(
        start_mrr ~ ' - coalesce(' ~ churned_mrr ~ ', 0) - coalesce(' ~ contraction_mrr ~ ', 0)',
        start_mrr
    ) }}
{%- endmacro %}

{% macro net_revenue_retention(start_mrr, churned_mrr, contraction_mrr, expansion_mrr) -%}
    {{ safe_divide(
        start_mrr ~ ' - coalesce(' ~ churned_mrr ~ ', 0) - coalesce(' ~ contraction_mrr ~ ', 0)'
        ~ ' + coalesce(' ~ expansion_mrr ~ ', 0)',
        start_mrr
    ) }}
{%- endmacro %}

{#- End MRR of the bridge: start + new + expansion + reactivation - contraction - churned. A data test checks it
    equals the sum of the accounts' MRR, so the movements of fct_subscription_mrr add up. -#}
{% macro mrr_bridge_end(start_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr, churned_mrr) -%}
    ({{ start_mrr }} + {{ new_mrr }} + {{ expansion_mrr }} + {{ reactivation_mrr }}
        - {{ contraction_mrr }} - {{ churned_mrr }})
{%- endmacro %}
