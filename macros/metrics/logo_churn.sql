{#- Logo churn rate = customers active at period start who are no longer active at period end
    / customers active at period start. Null (not zero, not an error) when nobody was active at the start.
    Which customers count as "active" is the activity rule of int_account_months_activity_flagged
    (var churn_activity_rule). Retention rate = 1 - logo churn rate (null when churn is null).
    logo_churn_rate(churned_count, active_at_start_count): counts pre-aggregated per period. -#}
{% macro logo_churn_rate(churned_count, active_at_start_count) -%}
    {{ safe_divide(churned_count, active_at_start_count) }}
{%- endmacro %}

{% macro logo_retention_rate(churned_count, active_at_start_count) -%}
    (1 - {{ logo_churn_rate(churned_count, active_at_start_count) }})
{%- endmacro %}
