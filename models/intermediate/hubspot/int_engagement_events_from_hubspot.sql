{#- HubSpot email events in the contract's engagement_events shape (every value text). SENT -> email_sent,
    OPEN -> email_open, CLICK -> email_click; any other engagement type (FORWARD, PRINT, SPAMREPORT, ...) reaches the
    door as email_<type> lower-cased and is flagged. Excluded (counted in int_hubspot_rows_accounted): the
    delivery pipeline's events (PROCESSED, DELIVERED, DEFERRED, DROPPED, BOUNCE, SUPPRESSED, STATUSCHANGE: no one
    engaged) and filtered events (filtered_event, HubSpot's bot/duplicate filter). contact_id: the kept contact
    whose email is the recipient (lowest id as text when several); lead_id, when no contact matches: the lead of a
    leads contract file beside the export whose email is the recipient (matched on the PII hash, lowest id);
    account_id: that contact's company (associatedcompanyid); campaign_id: the email campaign id as written.
    The _sent / _open / _click detail tables add nothing the contract holds and are not read. -#}
with

events as (
    select * from {{ ref('stg_hubspot__email_event') }}
    where
        not is_filtered
        and coalesce(event_type, '') not in ({{ hubspot_email_delivery_event_types() }})
),

contacts as (
    select
        lower(email) as email,
        min(contact_id) as contact_id,
        arg_min(company_id, contact_id) as company_id
    from {{ ref('stg_hubspot__contact') }}
    where not is_deleted and email is not null
    group by 1
),

leads as (
    select
        email_hash,
        min(lead_id) as lead_id
    from {{ ref('base_crm__leads') }}
    where email_hash is not null and lead_id is not null
    group by 1
),

final as (
    select
        cast(events.email_event_id as varchar) as event_id,
        cast(
            case events.event_type
                when 'SENT' then 'email_sent'
                when 'OPEN' then 'email_open'
                when 'CLICK' then 'email_click'
                else 'email_' || lower(events.event_type)
            end as varchar
        ) as event_type,
        cast(contacts.contact_id as varchar) as contact_id,
        cast(case when contacts.contact_id is null then leads.lead_id end as varchar) as lead_id,
        cast(contacts.company_id as varchar) as account_id,
        cast(events.email_campaign_id as varchar) as campaign_id,
        cast({{ crm_source_timestamp_text('events.created_at') }} as varchar) as occurred_at
    from events
    left join contacts on events.recipient = contacts.email
    left join leads on {{ crm_hash_pii('events.recipient') }} = leads.email_hash
)

select * from final
