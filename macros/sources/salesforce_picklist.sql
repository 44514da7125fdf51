{#- The contract value of a Salesforce picklist label through seed salesforce_picklist_map (field, label matched
    case-insensitively), or null when the seed has no row for it: callers coalesce with the label lower-cased, so
    an unmapped label reaches the validation door as written and is flagged there (unknown_enum). -#}
{% macro salesforce_picklist(field, expression) -%}
    (
        select picklist.contract_value
        from {{ ref('salesforce_picklist_map') }} as picklist
        where picklist.field = '{{ field }}' and lower(trim(picklist.salesforce_label)) = lower({{ expression }})
    )
{%- endmacro %}
