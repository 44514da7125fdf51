-- The sales stages in funnel order, defined once. Both closed stages share the last position.
with stages as (
    select stage_list.* from (
        values
        ('prospecting', 1, false, false),
        ('qualification', 2, false, false),
        ('demo', 3, false, false),
        ('proposal', 4, false, false),
        ('negotiation', 5, false, false),
        ('closed_won', 6, true, true),
        ('closed_lost', 6, true, false)
    ) as stage_list (stage_name, stage_order, is_closed_stage, is_won_stage)
),

final as (
    select
        cast(stage_name as {{ dbt.type_string() }}) as stage, -- noqa: RF04
        cast(stage_order as {{ dbt.type_int() }}) as stage_order,
        is_closed_stage,
        is_won_stage
    from stages
)

select * from final
