{#- Every row read from a HubSpot table, split into excluded (with why) and mapped to a contract entity:
    rows_read = rows_excluded + rows_mapped. -#}
with

deal_rows as (
    select * from {{ ref('stg_hubspot__deal') }}
),

deal_counts as (
    select
        'deal' as source_table,
        'opportunities' as entity,
        count(*) as rows_read,
        count(*) filter (where is_deleted or is_merged) as rows_excluded,
        nullif(
            concat_ws(
                ', ',
                case when count(*) filter (where is_deleted) > 0 then 'is_deleted' end,
                case when count(*) filter (where is_merged and not is_deleted) > 0 then 'merged into another deal' end
            ),
            ''
        ) as exclusion_reason,
        count(*) filter (where not is_deleted and not is_merged) as rows_mapped
    from deal_rows
),

company_counts as (
    select
        'company' as source_table,
        'accounts' as entity,
        count(*) as rows_read,
        count(*) filter (where is_deleted) as rows_excluded,
        case when count(*) filter (where is_deleted) > 0 then 'is_deleted' end as exclusion_reason,
        count(*) filter (where not is_deleted) as rows_mapped
    from {{ ref('stg_hubspot__company') }}
),

contact_counts as (
    select
        'contact' as source_table,
        'contacts' as entity,
        count(*) as rows_read,
        count(*) filter (where is_deleted) as rows_excluded,
        case when count(*) filter (where is_deleted) > 0 then '_fivetran_deleted' end as exclusion_reason,
        count(*) filter (where not is_deleted) as rows_mapped
    from {{ ref('stg_hubspot__contact') }}
),

deal_company_rows as (
    select
        case
            when links.company_id in (
                select company.company_id from {{ ref('stg_hubspot__company') }} as company
                where company.is_deleted
            ) then 'company deleted'
            when links.deal_id not in (
                select deal_rows.deal_id from deal_rows
                where not deal_rows.is_deleted and not deal_rows.is_merged
            ) then 'deal not in the export, deleted or merged'
            when picked.deal_id is null then 'not the primary company of its deal'
        end as reason
    from {{ ref('stg_hubspot__deal_company') }} as links
    left join {{ ref('int_hubspot_deal_primary_companies') }} as picked
        on links.deal_id = picked.deal_id and links.company_id = picked.company_id
),

deal_company_counts as (
    select
        'deal_company' as source_table,
        'opportunities' as entity,
        count(*) as rows_read,
        count(reason) as rows_excluded,
        nullif(
            concat_ws(
                ', ',
                case when count(*) filter (where reason = 'company deleted') > 0 then 'company deleted' end,
                case
                    when count(*) filter (where reason = 'deal not in the export, deleted or merged') > 0
                        then 'deal not in the export, deleted or merged'
                end,
                case
                    when count(*) filter (where reason = 'not the primary company of its deal') > 0
                        then 'not the primary company of its deal'
                end
            ),
            ''
        ) as exclusion_reason,
        count(*) - count(reason) as rows_mapped
    from deal_company_rows
),

{% for engagement_table in ['call', 'email', 'meeting', 'note', 'task'] %}
    engagement_{{ engagement_table }}_counts as (
        select
            'engagement_{{ engagement_table }}' as source_table,
            'activities' as entity,
            count(*) as rows_read,
            count(*) filter (where is_deleted) as rows_excluded,
            case when count(*) filter (where is_deleted) > 0 then '_fivetran_deleted' end as exclusion_reason,
            count(*) filter (where not is_deleted) as rows_mapped
        from {{ ref('stg_hubspot__engagement_' ~ engagement_table) }}
    ),

{% endfor %}
ticket_counts as (
    select
        'ticket' as source_table,
        'tickets' as entity,
        count(*) as rows_read,
        count(*) filter (where is_deleted) as rows_excluded,
        case when count(*) filter (where is_deleted) > 0 then 'is_deleted' end as exclusion_reason,
        count(*) filter (where not is_deleted) as rows_mapped
    from {{ ref('stg_hubspot__ticket') }}
),

email_event_rows as (
    select
        case
            when coalesce(event_type, '') in ({{ hubspot_email_delivery_event_types() }})
                then 'delivery event, not an engagement'
            when is_filtered then 'filtered_event'
        end as reason
    from {{ ref('stg_hubspot__email_event') }}
),

email_event_counts as (
    select
        'email_event' as source_table,
        'engagement_events' as entity,
        count(*) as rows_read,
        count(reason) as rows_excluded,
        nullif(
            concat_ws(
                ', ',
                case
                    when count(*) filter (where reason = 'delivery event, not an engagement') > 0
                        then 'delivery event, not an engagement'
                end,
                case when count(*) filter (where reason = 'filtered_event') > 0 then 'filtered_event' end
            ),
            ''
        ) as exclusion_reason,
        count(*) - count(reason) as rows_mapped
    from email_event_rows
),

owner_counts as (
    select
        'owner' as source_table,
        'users' as entity,
        count(*) as rows_read,
        0 as rows_excluded,
        cast(null as varchar) as exclusion_reason,
        count(*) as rows_mapped
    from {{ ref('stg_hubspot__owner') }}
),

excluded_deals as (
    select deal_id
    from deal_rows
    where is_deleted or is_merged
),

deal_stage_rows as (
    select
        not is_active as is_superseded,
        is_active and deal_id in (
            select excluded_deals.deal_id
            from excluded_deals
        ) as is_of_excluded_deal
    from {{ ref('stg_hubspot__deal_stage') }}
),

deal_stage_counts as (
    select
        'deal_stage' as source_table,
        'opportunity_stage_history' as entity,
        count(*) as rows_read,
        count(*) filter (where is_superseded or is_of_excluded_deal) as rows_excluded,
        nullif(
            concat_ws(
                ', ',
                case when count(*) filter (where is_superseded) > 0 then '_fivetran_active = false' end,
                case when count(*) filter (where is_of_excluded_deal) > 0 then 'deal deleted or merged' end
            ),
            ''
        ) as exclusion_reason,
        count(*) filter (where not is_superseded and not is_of_excluded_deal) as rows_mapped
    from deal_stage_rows
),

all_counts as (
    select * from company_counts
    union all
    select * from contact_counts
    union all
    select * from deal_counts
    union all
    select * from deal_company_counts
    union all
    select * from deal_stage_counts
    union all
    {% for engagement_table in ['call', 'email', 'meeting', 'note', 'task'] %}
        select * from engagement_{{ engagement_table }}_counts
        union all
    {% endfor %}
    select * from ticket_counts
    union all
    select * from email_event_counts
    union all
    select * from owner_counts
),

final as (
    select
        cast(source_table as varchar) as source_table,
        cast(entity as varchar) as entity,
        cast(rows_read as bigint) as rows_read,
        cast(rows_excluded as bigint) as rows_excluded,
        cast(exclusion_reason as varchar) as exclusion_reason,
        cast(rows_mapped as bigint) as rows_mapped
    from all_counts
)

select * from final
