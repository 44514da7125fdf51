{#- Where every row of a CRM export's tables went (issue 11): the chosen source's int_<source>_rows_accounted
    (models/intermediate/<source>/), one row per source table and the entity it feeds; no rows in a contract
    build. rows_read = rows_excluded + rows_mapped (tests/data_quality/assert_source_row_accounting_balances). -#}
{%- set source_name = crm_source() -%}
{%- set accounted = ref('int_' ~ source_name ~ '_rows_accounted') if source_name != 'contract' else none -%}

with

source_rows as (

    {% if accounted is not none -%}
        select * from {{ accounted }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source_table,
            cast(null as {{ dbt.type_string() }}) as entity,
            cast(null as bigint) as rows_read,
            cast(null as bigint) as rows_excluded,
            cast(null as {{ dbt.type_string() }}) as exclusion_reason,
            cast(null as bigint) as rows_mapped
        where 1 = 0
    {%- endif %}

),

final as (

    select
        '{{ source_name }}' as crm_source,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(entity as {{ dbt.type_string() }}) as entity,
        cast(rows_read as bigint) as rows_read,
        cast(rows_excluded as bigint) as rows_excluded,
        cast(exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason,
        cast(rows_mapped as bigint) as rows_mapped
    from source_rows

)

select * from final
