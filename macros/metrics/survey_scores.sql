{#- Survey scores, aggregated over response rows (fct_survey_responses).

    nps(nps_class): Net Promoter Score = 100 x (promoters - detractors) / NPS answers, on the 0-10 question
      (promoter 9-10, passive 7-8, detractor 0-6: the class is set once in fct_survey_responses).
      Range -100..100; passives count in the denominator only. Null when there is no NPS answer.
      Example: 5 promoters, 3 passives, 2 detractors -> 100 x (5 - 2) / 10 = 30.
    share_true(flag): share of non-null flags that are true, e.g. CSAT satisfied share (score 4-5 of 1-5).
      Null when every flag is null.
    rescaled_score(score, scale_min, scale_max, target_min, target_max): maps an answer linearly from its stored
      scale onto a reference scale, so answers collected on different scales can be averaged
      (CSAT reference 1-5; CES reference 1-7, lower = easier). Null when the stored scale is degenerate. -#}
{% macro nps(nps_class='nps_class') -%}
    (100 * {{ safe_divide(
        'sum(case when ' ~ nps_class ~ " = 'promoter' then 1 else 0 end)"
        ~ ' - sum(case when ' ~ nps_class ~ " = 'detractor' then 1 else 0 end)",
        'count(' ~ nps_class ~ ')'
    ) }})
{%- endmacro %}

{% macro share_true(flag) -%}
    {{ safe_divide(
        'sum(case when ' ~ flag ~ ' then 1 else 0 end)',
        'count(' ~ flag ~ ')'
    ) }}
{%- endmacro %}

{% macro rescaled_score(score, scale_min, scale_max, target_min, target_max) -%}
    ({{ target_min }} + ({{ target_max }} - {{ target_min }})
        * {{ safe_divide(score ~ ' - ' ~ scale_min, scale_max ~ ' - ' ~ scale_min) }})
{%- endmacro %}

{#- CES effort on target_min..target_max, LOWER = EASIER whatever way the survey asked: with var
    ces_higher_is_easier: true (a "how easy was it?" question where the top of the scale is easiest) answers are
    flipped, so every CES figure of the warehouse reads lower = easier. -#}
{% macro ces_effort_score(score, scale_min, scale_max, target_min, target_max) -%}
    {%- set rescaled = rescaled_score(score, scale_min, scale_max, target_min, target_max) -%}
    {%- if var('ces_higher_is_easier', false) -%}
        ({{ target_min }} + {{ target_max }} - {{ rescaled }})
    {%- else -%}
        {{ rescaled }}
    {%- endif -%}
{%- endmacro %}
