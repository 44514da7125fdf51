-- One row for the app's header line: the warehouse's "today" (var as_of_date, or derived from the extract) and
-- when this build ran (UTC).
with final as (
    select
        {{ as_of_date() }} as as_of_date,
        {{ crm_utc_now() }} as built_at
)

select * from final
