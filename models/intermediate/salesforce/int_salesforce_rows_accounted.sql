with

opportunity as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

opportunity_rows as (

    select
        'opportunity' as source_table,
        'opportunities' as entity,
        count(*) as rows_read,
        count(*) filter (where is_deleted) as rows_excluded,
        'is_deleted' as exclusion_reason,
        count(*) filter (where not is_deleted) as rows_mapped
    from opportunity

),

final as (

    select
        source_table,
        entity,
        cast(rows_read as bigint) as rows_read,
        cast(rows_excluded as bigint) as rows_excluded,
        case when rows_excluded > 0 then exclusion_reason end as exclusion_reason,
        cast(rows_mapped as bigint) as rows_mapped
    from opportunity_rows

)

select * from final
