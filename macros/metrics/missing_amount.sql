{#- Amount-weighted figures (won value, pipeline value, weighted pipeline, average deal size, forecast amounts) sum or
    average only the deals that have an amount. A deal without one (an early deal: the contract lets opportunities
    lack amount) still counts in every deal count and win-rate denominator, and each mart with such a figure says
    how many deals its amounts skipped in a *_missing_amount column:
    missing_amount_count(amount, condition): deals of the group (those matching condition, when given) whose amount
    is null. Aggregate over one row per deal; 0, not null, when none is missing. -#}
{% macro missing_amount_count(amount='amount_usd', condition=none) -%}
    count(case when {% if condition %}({{ condition }}) and {% endif %}{{ amount }} is null then 1 end)
{%- endmacro %}
