-- Where an extract's bad rows went: quarantined rows per entity and reason, with one example key each.
-- Compile with `dbt compile --select quarantine_by_entity_and_reason` and run the SQL in target/compiled/.
with quarantine as (
    select * from {{ ref('quarantine') }}
),

final as (
    select
        entity,
        reason,
        count(*) as quarantined_rows,
        min(source_key) as example_source_key
    from quarantine
    group by 1, 2
)

select * from final
order by 3 desc
