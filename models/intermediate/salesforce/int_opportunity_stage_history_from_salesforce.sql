{#- Salesforce opportunity_history (Fivetran history mode) in the contract's opportunity_stage_history shape:
    one row per kept version, entered_at = _fivetran_start. Excluded (counted in int_salesforce_rows_accounted):
    superseded versions (_fivetran_active = false) first, then deleted rows and versions of deleted opportunities.
    Stage through the picklist map (an unmapped label lower-cased, flagged by the door). -#}
with

versions as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

deleted_opportunities as (

    select opportunity_id from {{ ref('stg_salesforce__opportunity') }}
    where is_deleted

),

kept as (

    select versions.*
    from versions
    where
        versions.is_active
        and not versions.is_deleted
        and versions.opportunity_id not in (select deleted_opportunities.opportunity_id from deleted_opportunities)

),

final as (

    select
        cast(opportunity_id || '-' || coalesce(fivetran_start, '') as varchar) as stage_history_id,
        cast(opportunity_id as varchar) as opportunity_id,
        cast(coalesce(
            {{ salesforce_picklist('stage_name', 'stage_name') }}, lower(stage_name)
        ) as varchar) as stage,  -- noqa: RF04
        cast(amount as varchar) as amount,
        cast({{ crm_source_timestamp_text('fivetran_start') }} as varchar) as entered_at
    from kept

)

select * from final
