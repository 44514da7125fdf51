{#- The body of base_crm__<entity>: every raw row of the entity, typed by the contract's column meta, with
    the bookkeeping columns quarantine and row accounting need:
      _row_number       position of the row in the file or seed as read (1 = first data row)
      _row_hash         hash of all raw contract values: identical hashes are exact duplicates
      _invalid_columns  comma list of columns whose non-empty raw value failed to cast ('' if none)
      _invalid_values   JSON object of the raw text of those columns ({"amount": "12,5"}), null if none: the
                        value a user has to fix, since the typed column is null
      _dup_rank         1 for the first copy of an exact duplicate, >1 for the copies collapsed away
      _key_rank         among _dup_rank = 1 rows, 1 for the latest version of a primary key (latest
                        meta.updated_at, then last in the file); 1 when the key is null; null when _dup_rank > 1
    Raw PII columns are replaced by <column>_hash (keyed hash, crm_hash_pii); a model with PII columns must be a
    table. -#}
{% macro crm_base_model(entity) -%}
    {%- set raw_relation = crm_raw(entity) -%}
    {%- if not execute -%}
        select * from {{ raw_relation }}
        {{- return('') -}}
    {%- endif -%}
    {%- set table = crm_source_table(entity) -%}
    {%- set columns = table.columns.values() | list -%}
    {%- set parsed_columns = columns | selectattr('meta.logical_type', 'in', crm_parsed_logical_types()) | list -%}
    {%- set primary_key = table.meta.primary_key if table.meta.primary_key is not string
        else [table.meta.primary_key] -%}
    {%- set updated_at = table.meta.get('updated_at') -%}
    {%- if columns | selectattr('meta.logical_type', 'equalto', 'pii') | list
        and model.config.materialized != 'table' -%}
        {{- exceptions.raise_compiler_error(
            model.name ~ ' hashes personal data (logical_type pii) and must be materialized as a table: '
            ~ 'add {{ config(materialized=\'table\') }} (a view would re-read raw PII and call crm_hmac at query time)'
        ) -}}
    {%- endif -%}
with raw_rows as (
    select * from {{ raw_relation }}
),

numbered as (
    {#- Only the contract's columns: an extra file column named like a bookkeeping column (pre-flight rejects
        those, issue 10 item 6) cannot shadow _row_number. -#}
    select
        {%- for column in columns %}
        raw_rows.{{ column.name }},
        {%- endfor %}
        row_number() over () as _row_number
    from raw_rows
),

typed as (
    select
        {%- for column in columns %}
        {{ crm_cast_column(column.name, column.meta.logical_type) }} as {{ crm_staged_column_name(column.name, column.meta.logical_type) }},
        {%- endfor %}
        {%- for column in parsed_columns %}
        {{ crm_nonempty(column.name) }} as _raw__{{ column.name }},
        {%- endfor %}
        _row_number,
        {{ crm_row_hash(columns | map(attribute='name') | list) }} as _row_hash
    from numbered
),

casts_checked as (
    select
        {%- for column in columns %}
        {{ crm_staged_column_name(column.name, column.meta.logical_type) }},
        {%- endfor %}
        _row_number,
        _row_hash,
        {{ crm_invalid_columns(parsed_columns) }} as _invalid_columns,
        {{ crm_invalid_values(parsed_columns) }} as _invalid_values
    from typed
),

exact_duplicates_ranked as (
    select
        *,
        row_number() over (partition by _row_hash order by _row_number) as _dup_rank
    from casts_checked
),

final as (
    select
        *,
        case
            when _dup_rank > 1 then null
            when {{ primary_key | join(' is null or ') }} is null then 1
            else row_number() over (
                partition by {{ primary_key | join(', ') }}, _dup_rank
                order by {{ updated_at ~ ' desc nulls last, ' if updated_at }}_row_number desc
            )
        end as _key_rank
    from exact_duplicates_ranked
)

select * from final
{%- endmacro %}


{#- Hash of a row's raw values. Missing values and column boundaries count: ('a', null) and (null, 'a') differ. -#}
{% macro crm_row_hash(column_names) -%}
    {%- set parts = [] -%}
    {%- for name in column_names -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(" ~ name ~ ", '\\N')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
