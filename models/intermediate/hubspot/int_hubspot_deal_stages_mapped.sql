{#- Each HubSpot deal pipeline stage with its contract stage: won -> closed_won, closed -> closed_lost, an open
    stage by its lower-cased label through seed hubspot_stage_map (extend it for your pipelines); an unmapped
    label stays as written and the door flags it (unknown_enum). One place for deals and their stage history. -#}
with

stages as (
    select * from {{ ref('stg_hubspot__deal_pipeline_stage') }}
),

stage_map as (
    select
        lower(trim(stage_label)) as stage_label,
        contract_stage
    from {{ ref('hubspot_stage_map') }}
),

final as (
    select
        stages.stage_id,
        stages.stage_label,
        stages.probability,
        stages.is_closed,
        stages.is_won,
        case
            when stages.is_won then 'closed_won'
            when stages.is_closed then 'closed_lost'
            else coalesce(stage_map.contract_stage, lower(stages.stage_label))
        end as contract_stage
    from stages
    left join stage_map on lower(stages.stage_label) = stage_map.stage_label
)

select * from final
