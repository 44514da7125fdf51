{#- Lead conversion rate = leads of the group with the outcome flag true / leads of the group (created in the
    period). One definition for every lead-stage rate, named by the flag passed:
      is_qualified          -> lead qualification rate
      is_converted          -> lead conversion rate (converted to an opportunity)
      is_paying_conversion  -> lead-to-paying-customer rate
    Counts distinct lead ids so a join that repeats a lead cannot inflate the rate. Null when the group has no
    leads. -#}
{% macro lead_conversion_rate(flag='is_converted', lead_id='lead_id') -%}
    {{ safe_divide(
        'count(distinct case when ' ~ flag ~ ' then ' ~ lead_id ~ ' end)',
        'count(distinct ' ~ lead_id ~ ')'
    ) }}
{%- endmacro %}
