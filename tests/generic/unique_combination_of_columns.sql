{#- Model-level test: no two rows share the same values of the listed columns (the model's grain).
    Nulls compare equal here, so a key column that is legitimately null still cannot repeat. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with grouped as (
    select
        {% for column in combination_of_columns -%}
            {{ column }}{{ "," if not loop.last }}
        {% endfor -%}
        , count(*) as row_count
    from {{ model }}
    group by
        {% for column in combination_of_columns -%}
            {{ column }}{{ "," if not loop.last }}
        {% endfor %}
),

final as (
    select * from grouped
    where row_count > 1
)

select * from final

{% endtest %}
