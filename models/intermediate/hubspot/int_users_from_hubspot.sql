{#- HubSpot owners in the contract's users shape (every value text). Team: the owner's primary team
    (owner_team.is_team_primary); an owner in several teams is not fanned out. Role: HubSpot carries none, every
    owner is a sales_rep. -#}
with

owners as (
    select * from {{ ref('stg_hubspot__owner') }}
),

primary_teams as (
    select
        owner_id,
        min(team_name) as team_name
    from {{ ref('stg_hubspot__owner_team') }}
    where is_team_primary
    group by 1
),

final as (
    select
        cast(owners.owner_id as varchar) as user_id,
        cast(owners.full_name as varchar) as full_name,
        cast(owners.email as varchar) as email,
        'sales_rep' as role,  -- noqa: RF04
        cast(primary_teams.team_name as varchar) as team,
        cast(null as varchar) as manager_user_id,
        cast(null as varchar) as region,
        cast(cast(owners.created_at as date) as varchar) as hired_at,
        cast(null as varchar) as is_active,
        strftime(cast(coalesce(owners.updated_at, owners.created_at) as timestamp), '%Y-%m-%dT%H:%M:%SZ') as updated_at
    from owners
    left join primary_teams on owners.owner_id = primary_teams.owner_id
)

select * from final
