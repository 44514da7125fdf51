{#- Every record pre-flight counted in an extract file was read (issue 10, item 1): a file the engine reads short
    (a line taken for a comment, records lost to a quoting guess) stops the build, naming the file and both counts.
    Entities pre-flight did not count (no env CRM_PREFLIGHT_ROW_COUNTS or var crm_preflight_row_counts: a
    direct dbt build) are
    not checked. -#}
{%- set raw_format = var('crm_raw_format', 'csv') | string | trim %}
with

row_accounting as (

    select * from {{ ref('data_quality__row_accounting') }}

),

read_short as (

    select
        entity,
        raw_rows,
        preflight_rows
    from row_accounting
    where
        preflight_rows is not null
        and raw_rows != preflight_rows
        and {{ crm_raise_error(dbt.concat([
            "'Raw file '", 'entity', "'." ~ raw_format ~ " was read with '",
            'cast(raw_rows as ' ~ dbt.type_string() ~ ')',
            "' rows but pre-flight counted '",
            'cast(preflight_rows as ' ~ dbt.type_string() ~ ')',
            "' records: rows were lost on the way in. Run python -m crm_warehouse.preflight on the extract'"
        ])) }}

)

select * from read_short
