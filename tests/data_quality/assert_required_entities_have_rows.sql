{#- A required entity whose file has a header but no rows stops the build, naming it (issue 10, item 3): its
    metrics would read zero, not null. Declaring it absent (var crm_absent_entities: [<entity>]) builds it empty
    with its metrics null instead. A CRM export's table that had rows, every one left out by the adapter (deleted
    deals: export_rows_excluded, printed per table by the build), is no mis-pointed file: the entity builds empty,
    named on the terminal under "No rows". -#}
{%- set required = [] %}
{%- if execute %}
    {%- for entity in crm_entities() %}
        {%- if not crm_source_table(entity).meta.get('optional', false) and entity not in crm_absent_entities() %}
            {%- do required.append(entity) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}
with

row_accounting as (

    select * from {{ ref('data_quality__row_accounting') }}

),

empty_required as (

    select
        entity,
        raw_rows
    from row_accounting
    where
        raw_rows = 0
        and export_rows_excluded = 0
        and entity in (
            {%- for entity in required or [''] %}
                '{{ entity }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
        and {{ crm_raise_error(dbt.concat([
            "'Required entity '", 'entity', "' has no data rows (its file has only a header): export its rows, '",
            "'or declare it absent with var crm_absent_entities: ['", 'entity',
            "'] to build it empty with its metrics null'"
        ])) }}

)

select * from empty_required
