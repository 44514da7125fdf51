with

source_owner_team as (
    select * from {{ crm_source_read('hubspot', 'owner_team') }}
),

source_team as (
    select * from {{ crm_source_read('hubspot', 'team') }}
),

final as (
    select
        trim(source_owner_team.owner_id) as owner_id,
        trim(source_owner_team.team_id) as team_id,
        trim(source_team.name) as team_name,
        coalesce(lower(trim(source_owner_team.is_team_primary)) = 'true', false) as is_team_primary
    from source_owner_team
    left join source_team on trim(source_owner_team.team_id) = trim(source_team.id)
)

select * from final
