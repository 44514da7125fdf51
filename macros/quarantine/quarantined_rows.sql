{#- A row's primary key as text (composite keys joined with '|'), for the quarantine and the value issues. -#}
{% macro crm_source_key(contract) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set key_parts = [] -%}
    {%- for key in contract.primary_key -%}
        {%- do key_parts.append('coalesce(cast(' ~ key ~ ' as ' ~ string_type ~ "), '')") -%}
        {%- if not loop.last %}{% do key_parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ return(dbt.concat(key_parts) if contract.primary_key | length > 1
        else 'cast(' ~ contract.primary_key[0] ~ ' as ' ~ string_type ~ ')') }}
{%- endmacro %}


{#- The value of a column as text, as it arrived: the raw text when staging could not cast it. -#}
{% macro crm_offending_value(column, relation_alias) -%}
    {%- set staged_text = 'cast(' ~ relation_alias ~ '.' ~ column.column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- if column.meta.logical_type in crm_parsed_logical_types() -%}
        coalesce({{ json_text_field(relation_alias ~ '._invalid_values', column.name) }}, {{ staged_text }})
    {%- else -%}
        {{ staged_text }}
    {%- endif -%}
{%- endmacro %}


{#- The quarantine rows of one entity, in the shape of the `quarantine` model (without detected_at):
    the invalid rows of int_<entity>_validated plus the superseded versions of a key (duplicate_key: base rows
    that are not exact duplicates, _dup_rank = 1, but lost to a newer version of their key, _key_rank > 1).
    validated / base: names of CTEs selecting from int_<entity>_validated and base_crm__<entity>. -#}
{% macro quarantined_rows(entity, validated, base) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ validated) }}
    {%- endif -%}
    {%- set contract = crm_contract_entity(entity) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set columns = contract.columns | map(attribute='column') | list -%}
    {%- set source_key = crm_source_key(contract) %}
    select
        '{{ entity }}' as entity,
        {{ source_key }} as source_key,
        {{ validated }}._row_number as source_row_number,
        {{ validated }}.quarantine_reason as reason,
        {{ validated }}.quarantine_column as column_name,
        case {{ validated }}.quarantine_column
            {%- for column in contract.columns %}
            when '{{ column.name }}' then {{ crm_offending_value(column, validated) }}
            {%- endfor %}
        end as offending_value,
        {{ validated }}.failed_checks,
        {{ validated }}.failed_check_count,
        {{ json_record(columns, validated) }} as record
    from {{ validated }}
    where not {{ validated }}.is_valid

    union all

    select
        '{{ entity }}' as entity,
        {{ source_key }} as source_key,
        {{ base }}._row_number as source_row_number,
        'duplicate_key' as reason,
        '{{ contract.primary_key | join(",") }}' as column_name,
        {{ source_key }} as offending_value,
        'duplicate_key({{ contract.primary_key | join(",") }})' as failed_checks,
        1 as failed_check_count,
        {{ json_record(columns, base) }} as record
    from {{ base }}
    where {{ base }}._dup_rank = 1 and {{ base }}._key_rank > 1
{%- endmacro %}
