{#- Preferred channel per account: the channel the customer actually uses most (most replies, then most
    interactions), the channel its contacts say they prefer, and how much of the contact happens there.
    Interactions: support tickets (their channel), service calls (phone) and sales activities logged on the
    account (call -> phone, email -> email, meeting and demo -> in_person). Replies: interactions the customer
    took part in (every ticket and answered call is raised by the customer; an activity when is_connected). -#}
with tickets as (
    select * from {{ ref('fct_tickets') }}
),

service_calls as (
    select * from {{ ref('fct_service_calls') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

contacts as (
    select * from {{ ref('dim_contacts') }}
),

interactions as (
    select
        account_id,
        channel,
        1 as is_reply
    from tickets
    -- a ticket with no account, or with no channel one could reach the customer on, tells no account's channel
    where account_id is not null and channel not in ('other', 'unknown')
    union all
    select
        account_id,
        'phone' as channel,
        case when is_abandoned then 0 else 1 end as is_reply
    from service_calls
    where account_id is not null
    union all
    select
        account_id,
        case
            when activity_type = 'call' then 'phone'
            when activity_type = 'email' then 'email'
            else 'in_person'
        end as channel,
        case when is_connected then 1 else 0 end as is_reply
    from activities
    where account_id is not null and activity_type in ('call', 'email', 'meeting', 'demo')
),

channel_counts as (
    select
        account_id,
        channel,
        count(*) as interactions,
        sum(is_reply) as replies
    from interactions
    group by 1, 2
),

ranked_channels as (
    select
        *,
        sum(interactions) over (partition by account_id) as total_interactions,
        sum(replies) over (partition by account_id) as total_replies,
        row_number()
            over (partition by account_id order by replies desc, interactions desc, channel asc)
            as channel_rank
    from channel_counts
),

stated_preferences as (
    select
        account_id,
        preferred_channel,
        row_number() over (
            partition by account_id order by count(*) desc, preferred_channel
        ) as preference_rank
    from contacts
    where preferred_channel is not null and not is_inferred_member
    group by 1, 2
),

final as (
    select
        ranked_channels.account_id,
        ranked_channels.channel as preferred_channel,
        cast(ranked_channels.total_interactions as bigint) as interactions,
        cast(ranked_channels.total_replies as bigint) as replies,
        cast(ranked_channels.interactions as bigint) as preferred_channel_interactions,
        cast(ranked_channels.replies as bigint) as preferred_channel_replies,
        {{ safe_divide('ranked_channels.interactions', 'ranked_channels.total_interactions') }}
            as preferred_channel_share,
        stated_preferences.preferred_channel as stated_preferred_channel,
        cast(coalesce(stated_channel.interactions, 0) as bigint) as stated_channel_interactions,
        case
            when stated_preferences.preferred_channel is not null
                then {{ safe_divide('coalesce(stated_channel.interactions, 0)', 'ranked_channels.total_interactions') }}
        end as share_on_stated_preferred_channel,
        ranked_channels.channel = stated_preferences.preferred_channel as is_stated_preference_used_most
    from ranked_channels
    left join stated_preferences
        on ranked_channels.account_id = stated_preferences.account_id and stated_preferences.preference_rank = 1
    left join channel_counts as stated_channel
        on
            ranked_channels.account_id = stated_channel.account_id
            and stated_preferences.preferred_channel = stated_channel.channel
    where ranked_channels.channel_rank = 1
)

select * from final
