{#- Column test: every non-null value lies in [min_value, max_value] (either bound optional;
    inclusive unless inclusive=false). Null values pass: pair with not_null when they must not occur. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

with final as (
    select {{ column_name }} as offending_value
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            false
            {%- if min_value is not none %}
                or {{ column_name }} {{ "<" if inclusive else "<=" }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
                or {{ column_name }} {{ ">" if inclusive else ">=" }} {{ max_value }}
            {%- endif %}
        )
)

select * from final

{% endtest %}
