{#- Every staged row of an entity with the verdict of the contract checks (models/staging/crm/_crm__sources.yml):
        quarantine_reason   the first failing check (priority order below), null when the row is valid
        quarantine_column   the column that failed it
        is_valid            quarantine_reason is null

    Checks, in priority order; within a check, columns in contract order:
        missing_required        meta.required and the value is missing (not: present but unparseable)
        unparseable_value       the column is listed in _invalid_columns (staging could not cast the raw text)
        future_timestamp        timestamp/date after var as_of_date + 1 day, unless meta.may_be_future: true, or
                                meta.may_be_future_unless: <boolean column> and that column is not true
        out_of_order_timestamp  earlier than its meta.not_before column
        negative_amount         meta.non_negative and below zero
        unknown_enum            logical_type enum and not one of meta.values
        orphan_reference        meta.references <entity>.<column> and no staged row of that entity has the value
        unknown_currency        logical_type currency, not in fx_rates and not var reporting_currency
    duplicate_key (superseded versions of a key) is decided in staging (_key_rank) and never reaches stg.

    A model calling this must declare the staged models its references point to (dbt resolves ref() before it
    reads the contract): `-- depends_on: {{ ref('stg_crm__users') }}`; dbt names any one that is missing. -#}

{% macro validate_entity(entity) -%}
    {%- set staged_relation = ref('stg_crm__' ~ entity) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ staged_relation) }}
    {%- endif -%}
    {%- set contract = crm_contract_entity(entity) -%}
    {%- set future_cutoff = 'cast(' ~ dbt.dateadd('day', 1, as_of_date()) | trim ~ ' as date)' -%}
    {%- set invalid_list = dbt.concat(["','", "replace(coalesce(staged._invalid_columns, ''), ' ', '')", "','"]) -%}

    {#- Referenced keys and currencies: one import CTE per referenced entity, one join per referencing column. -#}
    {%- set imports = {} -%}
    {%- set key_sets = {} -%}
    {%- set joins = [] -%}
    {%- for column in contract.columns -%}
        {%- set meta = column.meta -%}
        {%- if meta.references -%}
            {%- set target_entity, target_column = meta.references.split('.') -%}
            {%- do imports.update({'staged_' ~ target_entity: ref('stg_crm__' ~ target_entity)}) -%}
            {%- set key_set = 'known_' ~ target_entity ~ '_' ~ target_column ~ 's' -%}
            {%- do key_sets.update({key_set: (target_column, 'staged_' ~ target_entity)}) -%}
            {%- do joins.append((key_set, 'ref_' ~ column.name, column.column)) -%}
        {%- elif meta.logical_type == 'currency' -%}
            {%- do imports.update({'staged_fx_rates': ref('stg_crm__fx_rates')}) -%}
            {%- do key_sets.update({'known_currencies': none}) -%}
            {%- do joins.append(('known_currencies', 'ref_' ~ column.name, column.column)) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set checks = [] -%}
    {%- for column in contract.columns if column.meta.required -%}
        {%- do checks.append(('missing_required', "'" ~ column.name ~ "'",
            'staged.' ~ column.column ~ ' is null and ' ~ invalid_list ~ " not like '%," ~ column.name ~ ",%'")) -%}
    {%- endfor -%}
    {%- do checks.append(('unparseable_value',
        dbt.split_part("replace(staged._invalid_columns, ' ', '')", "','", 1),
        "coalesce(staged._invalid_columns, '') <> ''")) -%}
    {%- for column in contract.columns
        if column.meta.logical_type in ('timestamp', 'date') and not column.meta.may_be_future -%}
        {%- set unless = column.meta.may_be_future_unless -%}
        {%- do checks.append(('future_timestamp', "'" ~ column.name ~ "'",
            'cast(staged.' ~ column.column ~ ' as date) > ' ~ future_cutoff
            ~ (' and coalesce(staged.' ~ unless ~ ', false)' if unless else ''))) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.not_before -%}
        {%- do checks.append(('out_of_order_timestamp', "'" ~ column.name ~ "'",
            'staged.' ~ column.column ~ ' < staged.' ~ column.meta.not_before)) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.non_negative -%}
        {%- do checks.append(('negative_amount', "'" ~ column.name ~ "'", 'staged.' ~ column.column ~ ' < 0')) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.logical_type == 'enum' -%}
        {%- do checks.append(('unknown_enum', "'" ~ column.name ~ "'",
            'staged.' ~ column.column ~ " not in ('" ~ column.meta['values'] | join("', '") ~ "')")) -%}
    {%- endfor -%}
    {%- for reason in ('orphan_reference', 'unknown_currency') -%}
        {%- for key_set, alias, staged_column in joins
            if (key_set == 'known_currencies') == (reason == 'unknown_currency') -%}
            {%- do checks.append((reason, "'" ~ staged_column ~ "'",
                'staged.' ~ staged_column ~ ' is not null and ' ~ alias ~ '.key_value is null')) -%}
        {%- endfor -%}
    {%- endfor %}

with

staged as (

    select * from {{ staged_relation }}

),
{%- for name, relation in imports.items() %}

{{ name }} as (

    select * from {{ relation }}

),
{%- endfor %}
{%- for key_set, source in key_sets.items() %}

{{ key_set }} as (
    {%- if key_set == 'known_currencies' %}

    select distinct currency as key_value
    from staged_fx_rates
    where currency is not null
    union
    select '{{ var("reporting_currency") }}' as key_value
    {%- else %}

    select distinct {{ source[0] }} as key_value
    from {{ source[1] }}
    where {{ source[0] }} is not null
    {%- endif %}

),
{%- endfor %}

checked as (

    select
        staged.*,
        case
            {%- for reason, _, condition in checks %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end as quarantine_reason,
        case
            {%- for _, column_sql, condition in checks %}
            when {{ condition }} then {{ column_sql }}
            {%- endfor %}
        end as quarantine_column
    from staged
    {%- for key_set, alias, staged_column in joins %}
    left join {{ key_set }} as {{ alias }} on staged.{{ staged_column }} = {{ alias }}.key_value
    {%- endfor %}

),

final as (

    select
        *,
        quarantine_reason is null as is_valid
    from checked

)

select * from final
{%- endmacro %}
