{#- Model-level test on int_<entity>_validated: the rows the door keeps (is_valid) obey the raw contract, checked
    in one query per entity. One result row per broken rule: the column, the rule and how many kept rows break it.
      key       the primary key is present and unique;
      required  a column whose failed check rejects the row (crm_on_invalid) is never null;
      values    an enum holds a contract value ('other' too when an unknown value is flagged, not rejected);
      non_negative  a non-negative column is >= 0.
    Staged PII columns arrive hashed (<name>_hash: contract `column`). -#}
{% test kept_rows_follow_the_contract(model, entity) %}
{%- set contract = crm_contract_entity(entity) -%}
{%- set checks = [] -%}
{%- for column in contract.columns -%}
    {%- set meta = column.meta -%}
    {%- set rejects = crm_on_invalid(entity, column) == 'reject_row' -%}
    {%- if rejects and (meta.required or column.name in contract.primary_key) -%}
        {%- do checks.append((column.column, 'required', column.column ~ ' is null')) -%}
    {%- endif -%}
    {%- if meta.get('values') -%}
        {%- set unknown_rejects = crm_check_action(entity, column, 'unknown_enum') == 'reject_row' -%}
        {%- set allowed = meta.get('values') + ([] if unknown_rejects else ['other']) -%}
        {%- do checks.append((column.column, 'values', column.column ~ " not in ('" ~ allowed | join("', '") ~ "')")) -%}
    {%- endif -%}
    {%- if meta.non_negative -%}
        {%- do checks.append((column.column, 'non_negative', column.column ~ ' < 0')) -%}
    {%- endif -%}
{%- endfor %}

with kept as (
    select * from {{ model }}
    where is_valid
),

repeated_keys as (
    select count(*) as failing_rows
    from (
        select {{ contract.primary_key | join(', ') }}
        from kept
        group by {{ contract.primary_key | join(', ') }}
        having count(*) > 1
    ) as repeated
),

broken_rules as (
    select
        '{{ contract.primary_key | join(', ') }}' as column_name,
        'key' as rule,
        failing_rows
    from repeated_keys
    {%- for column_name, rule, condition in checks %}
    union all
    select
        '{{ column_name }}' as column_name,
        '{{ rule }}' as rule,
        count(*) as failing_rows
    from kept
    where {{ condition }}
    {%- endfor %}
),

final as (
    select * from broken_rules
    where failing_rows > 0
)

select * from final

{% endtest %}
