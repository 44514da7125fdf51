{#- Salesforce users in the contract's users shape (every value text). Excluded: _fivetran_deleted rows (counted).
    Team: the name of the user's role (user_role; a deleted role gives no team). Role: sales_rep (Salesforce's
    role hierarchy does not say which contract role a user has). updated_at: the last Fivetran sync. -#}
with

users as (

    select * from {{ ref('stg_salesforce__user') }}
    where not is_deleted

),

roles as (

    select * from {{ ref('stg_salesforce__user_role') }}
    where not is_deleted

),

final as (

    select
        cast(users.user_id as varchar) as user_id,
        cast(users.full_name as varchar) as full_name,
        cast(users.email as varchar) as email,
        'sales_rep' as role,  -- noqa: RF04
        cast(roles.role_name as varchar) as team,
        cast(users.manager_id as varchar) as manager_user_id,
        cast(null as varchar) as region,
        cast(null as varchar) as hired_at,
        cast(users.is_active as varchar) as is_active,
        cast({{ crm_source_timestamp_text('users.fivetran_synced') }} as varchar) as updated_at
    from users
    left join roles on users.user_role_id = roles.user_role_id

)

select * from final
