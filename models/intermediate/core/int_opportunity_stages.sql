-- The sales stages in funnel order, defined once. Both closed stages share the last position.
with stages as (
    select 'prospecting' as stage, 1 as stage_order, false as is_closed_stage, false as is_won_stage
    union all
    select 'qualification' as stage, 2 as stage_order, false as is_closed_stage, false as is_won_stage
    union all
    select 'demo' as stage, 3 as stage_order, false as is_closed_stage, false as is_won_stage
    union all
    select 'proposal' as stage, 4 as stage_order, false as is_closed_stage, false as is_won_stage
    union all
    select 'negotiation' as stage, 5 as stage_order, false as is_closed_stage, false as is_won_stage
    union all
    select 'closed_won' as stage, 6 as stage_order, true as is_closed_stage, true as is_won_stage
    union all
    select 'closed_lost' as stage, 6 as stage_order, true as is_closed_stage, false as is_won_stage
),

final as (
    select
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(stage_order as {{ dbt.type_int() }}) as stage_order,
        is_closed_stage,
        is_won_stage
    from stages
)

select * from final
