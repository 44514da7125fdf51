{#- Every touchpoint of an account's journey, ordered: the leads it converted from (created, qualified, converted),
    marketing engagement, sales activities, its opportunities (created, won, lost), completed orders and support
    tickets. A touch that names no account joins the account through its lead (converted_account_id) or its
    opportunity. Conversion points: lead qualified, lead converted, opportunity won, first completed order.
    journey_phase: 'pre_sale' up to the account's first won deal (close_date), 'post_sale' after it. -#}
with leads as (
    select * from {{ ref('int_leads_enriched') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

converted_leads as (
    select * from leads
    where converted_account_id is not null
),

lead_touches as (
    select
        converted_account_id as account_id,
        'lead' as touch_category,
        'lead_created' as touch_type,
        lead_id as source_id,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        owner_user_id as user_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        false as is_conversion_point
    from converted_leads
    union all
    select
        converted_account_id as account_id,
        'lead' as touch_category,
        'lead_qualified' as touch_type,
        lead_id as source_id,
        qualified_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        owner_user_id as user_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        true as is_conversion_point
    from converted_leads
    where qualified_at is not null
    union all
    select
        converted_account_id as account_id,
        'lead' as touch_category,
        'lead_converted' as touch_type,
        lead_id as source_id,
        converted_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        owner_user_id as user_id,
        converted_opportunity_id as opportunity_id,
        true as is_conversion_point
    from converted_leads
    where converted_at is not null
),

engagement_touches as (
    select
        coalesce(engagement_events.account_id, converted_leads.converted_account_id) as account_id,
        'marketing' as touch_category,
        engagement_events.event_type as touch_type,
        engagement_events.event_id as source_id,
        engagement_events.occurred_at,
        engagement_events.contact_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        false as is_conversion_point
    from engagement_events
    left join converted_leads
        on engagement_events.lead_id = converted_leads.lead_id
),

activity_touches as (
    select
        coalesce(
            activities.account_id, opportunities.account_id, converted_leads.converted_account_id
        ) as account_id,
        'sales' as touch_category,
        activities.activity_type as touch_type,
        activities.activity_id as source_id,
        activities.occurred_at,
        activities.contact_id,
        activities.user_id,
        activities.opportunity_id,
        false as is_conversion_point
    from activities
    left join opportunities
        on activities.opportunity_id = opportunities.opportunity_id
    left join converted_leads
        on activities.lead_id = converted_leads.lead_id
),

opportunity_touches as (
    select
        account_id,
        'deal' as touch_category,
        'opportunity_created' as touch_type,
        opportunity_id as source_id,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        owner_user_id as user_id,
        opportunity_id,
        false as is_conversion_point
    from opportunities
    union all
    select
        account_id,
        'deal' as touch_category,
        case when is_won then 'opportunity_won' else 'opportunity_lost' end as touch_type,
        opportunity_id as source_id,
        cast(close_date as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        owner_user_id as user_id,
        opportunity_id,
        is_won as is_conversion_point
    from opportunities
    where is_won or is_lost
),

order_touches as (
    select
        account_id,
        'purchase' as touch_category,
        case when is_first_order then 'first_order' else 'repeat_order' end as touch_type,
        order_id as source_id,
        ordered_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        opportunity_id,
        is_first_order as is_conversion_point
    from orders
    where status = 'completed'
),

ticket_touches as (
    select
        account_id,
        'service' as touch_category,
        'support_ticket' as touch_type,
        ticket_id as source_id,
        opened_at as occurred_at,
        contact_id,
        assigned_user_id as user_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        false as is_conversion_point
    from tickets
),

touches as (
    select * from lead_touches
    union all
    select * from engagement_touches
    union all
    select * from activity_touches
    union all
    select * from opportunity_touches
    union all
    select * from order_touches
    union all
    select * from ticket_touches
),

account_touches as (
    select
        *,
        min(occurred_at) over (partition by account_id) as first_touch_at,
        min(case when touch_type = 'opportunity_won' then occurred_at end) over (
            partition by account_id
        ) as first_won_at
    from touches
    where account_id is not null
),

final as (
    select
        account_id,
        row_number() over (
            partition by account_id
            order by occurred_at, touch_category, touch_type, source_id
        ) as touch_seq,
        {{ dbt.concat(['touch_type', "':'", 'source_id']) }} as touchpoint_id,
        touch_category,
        touch_type,
        source_id,
        occurred_at,
        contact_id,
        user_id,
        opportunity_id,
        {{ days_between('first_touch_at', 'occurred_at') }} as days_since_first_touch,
        is_conversion_point,
        case
            when first_won_at is not null and occurred_at > first_won_at then 'post_sale'
            else 'pre_sale'
        end as journey_phase
    from account_touches
)

select * from final
