{#- Column test: every non-null value exists in `field` of `to` (a dim or fact), unless the parent row with that
    key was quarantined (present in `quarantined_in`, the parent's int_<entity>_validated, with is_valid false).
    Children of quarantined parents stay valid at their own level and keep their rows (left joins in core), and so
    do references the door kept as flagged orphans (data_quality__value_issues: orphan_reference on the column, an
    id the extract has no row for: an activity's lead that was never exported); any other missing parent means a
    broken join key and fails the build. -#}
{% test relationships_or_quarantined(model, column_name, to, field, quarantined_in) %}

with child_keys as (
    select distinct {{ column_name }} as key_value
    from {{ model }}
    where {{ column_name }} is not null
),

parent_keys as (
    select {{ field }} as key_value
    from {{ to }}
),

quarantined_parent_keys as (
    select {{ field }} as key_value
    from {{ quarantined_in }}
    where not is_valid
),

flagged_orphan_keys as (
    select distinct raw_value as key_value
    from {{ ref('data_quality__value_issues') }}
    where rule = 'orphan_reference' and column_name = '{{ column_name }}'
),

final as (
    select child_keys.key_value
    from child_keys
    left join parent_keys
        on child_keys.key_value = parent_keys.key_value
    left join quarantined_parent_keys
        on child_keys.key_value = quarantined_parent_keys.key_value
    left join flagged_orphan_keys
        on child_keys.key_value = flagged_orphan_keys.key_value
    where
        parent_keys.key_value is null
        and quarantined_parent_keys.key_value is null
        and flagged_orphan_keys.key_value is null
)

select * from final

{% endtest %}
