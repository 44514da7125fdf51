{#- Salesforce opportunities in the contract's opportunities shape (every value text). Excluded: is_deleted rows,
    counted in int_salesforce_rows_accounted. Stage: is_won -> closed_won, is_closed -> closed_lost, else the
    picklist map (stage_name, then forecast_category), else the label lower-cased (the door flags it). lead_id:
    the lead converted into the opportunity (lead.converted_opportunity_id). Currency: var salesforce_currency. -#}
with

opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}
    where not is_deleted

),

converted_leads as (

    select
        converted_opportunity_id as opportunity_id,
        min(lead_id) as lead_id
    from {{ ref('stg_salesforce__lead') }}
    where not is_deleted and converted_opportunity_id is not null
    group by 1

),

final as (

    select
        cast(opportunities.opportunity_id as varchar) as opportunity_id,
        cast(opportunities.account_id as varchar) as account_id,
        cast(opportunities.owner_id as varchar) as owner_user_id,
        cast(converted_leads.lead_id as varchar) as lead_id,
        cast(opportunities.campaign_id as varchar) as campaign_id,
        cast(coalesce(
            {{ salesforce_picklist('opportunity_type', 'opportunities.opportunity_type') }},
            lower(opportunities.opportunity_type),
            'new'
        ) as varchar) as opportunity_type,
        cast(null as varchar) as product_id,
        cast(opportunities.amount as varchar) as amount,
        '{{ var("salesforce_currency", "USD") }}' as currency,
        cast(case
            when opportunities.is_won then 'closed_won'
            when opportunities.is_closed then 'closed_lost'
            else coalesce(
                {{ salesforce_picklist('stage_name', 'opportunities.stage_name') }},
                {{ salesforce_picklist('forecast_category', 'opportunities.forecast_category') }},
                lower(opportunities.stage_name)
            )
        end as varchar) as stage,  -- noqa: RF04
        cast(opportunities.probability as varchar) as probability,
        cast(opportunities.is_closed as varchar) as is_closed,
        cast(opportunities.is_won as varchar) as is_won,
        cast(null as varchar) as loss_reason,
        cast(opportunities.next_step as varchar) as next_step,
        cast({{ crm_source_date_text('opportunities.close_date') }} as varchar) as close_date,
        cast(null as varchar) as created_by_user_id,
        cast({{ crm_source_timestamp_text('opportunities.created_date') }} as varchar) as created_at,
        cast(
            {{ crm_source_timestamp_text('coalesce(opportunities.fivetran_synced, opportunities.created_date)') }}
            as varchar
        ) as updated_at
    from opportunities
    left join converted_leads on opportunities.opportunity_id = converted_leads.opportunity_id

)

select * from final
