{#- Company size band from the employee count: 1-49, 50-249, 250-999, 1000+; 'unknown' when missing. -#}
{% macro size_band(employee_count) -%}
    case
        when {{ employee_count }} is null then 'unknown'
        when {{ employee_count }} < 50 then '1-49'
        when {{ employee_count }} < 250 then '50-249'
        when {{ employee_count }} < 1000 then '250-999'
        else '1000+'
    end
{%- endmacro %}
