{#- Win rate = won / (won + lost), among closed opportunities only: open deals are excluded from numerator
    and denominator. Null (not zero) when nothing closed in the group.
    Rows must be one per opportunity carrying its FINAL state (fct_opportunities), so a deal reopened after a
    loss and later won counts once, as won.
    win_rate(is_won, is_lost): aggregate over opportunity rows.
    win_rate_from_counts(won_count, lost_count): the same ratio from pre-aggregated counts. -#}
{% macro win_rate(is_won='is_won', is_lost='is_lost') -%}
    {{ win_rate_from_counts(
        'sum(case when ' ~ is_won ~ ' then 1 else 0 end)',
        'sum(case when ' ~ is_lost ~ ' then 1 else 0 end)'
    ) }}
{%- endmacro %}

{% macro win_rate_from_counts(won_count, lost_count) -%}
    {{ safe_divide(
        'coalesce(' ~ won_count ~ ', 0)',
        'coalesce(' ~ won_count ~ ', 0) + coalesce(' ~ lost_count ~ ', 0)'
    ) }}
{%- endmacro %}
