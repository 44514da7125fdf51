{#- The warehouse's "today" as a date literal (var as_of_date, YYYY-MM-DD; default: the run's UTC start date). -#}
{% macro as_of_date() -%}
    cast('{{ var("as_of_date") }}' as date)
{%- endmacro %}
