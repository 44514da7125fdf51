{#- Per account: the journey in numbers: touchpoints to the first proposal and to the first won deal, personal
    interactions (sales activities) with the account, the conversion points passed, and the contacts and decision
    makers involved. -#}
with touchpoints as (
    select * from {{ ref('int_account_touchpoints_sequenced') }}
),

contacts as (
    select * from {{ ref('dim_contacts') }}
),

milestones as (
    select
        account_id,
        min(occurred_at) as first_touch_at,
        max(occurred_at) as last_touch_at,
        min(case when touch_type = 'proposal' then occurred_at end) as first_proposal_at,
        min(case when touch_type = 'opportunity_won' then occurred_at end) as first_won_at
    from touchpoints
    group by 1
),

journeys as (
    select
        touchpoints.account_id,
        count(*) as touchpoints,
        count(case when touchpoints.journey_phase = 'pre_sale' then 1 end) as pre_sale_touchpoints,
        count(case when touchpoints.journey_phase = 'post_sale' then 1 end) as post_sale_touchpoints,
        count(
            case when touchpoints.occurred_at <= milestones.first_proposal_at then 1 end
        ) as touchpoints_to_first_proposal,
        count(case when touchpoints.occurred_at <= milestones.first_won_at then 1 end) as touchpoints_to_first_won,
        count(case when touchpoints.touch_category = 'sales' then 1 end) as personal_interactions,
        count(case when touchpoints.touch_type = 'call' then 1 end) as calls,
        count(case when touchpoints.touch_type = 'email' then 1 end) as emails,
        count(case when touchpoints.touch_type = 'meeting' then 1 end) as meetings,
        count(distinct case when touchpoints.is_conversion_point then touchpoints.touch_type end)
            as conversion_points_passed,
        count(distinct touchpoints.contact_id) as contacts_involved,
        count(distinct case when contacts.is_decision_maker then touchpoints.contact_id end)
            as decision_makers_involved
    from touchpoints
    inner join milestones
        on touchpoints.account_id = milestones.account_id
    left join contacts
        on touchpoints.contact_id = contacts.contact_id
    group by 1
),

final as (
    select
        milestones.account_id,
        milestones.first_touch_at,
        first_touches.touch_type as first_touch_type,
        milestones.last_touch_at,
        journeys.touchpoints,
        journeys.pre_sale_touchpoints,
        journeys.post_sale_touchpoints,
        milestones.first_proposal_at,
        case
            when milestones.first_proposal_at is not null then journeys.touchpoints_to_first_proposal
        end as touchpoints_to_first_proposal,
        milestones.first_won_at,
        case when milestones.first_won_at is not null then journeys.touchpoints_to_first_won end
            as touchpoints_to_first_won_deal,
        {{ days_between('milestones.first_touch_at', 'milestones.first_won_at') }} as days_first_touch_to_first_won,
        journeys.personal_interactions,
        journeys.calls,
        journeys.emails,
        journeys.meetings,
        journeys.conversion_points_passed,
        journeys.contacts_involved,
        journeys.decision_makers_involved
    from milestones
    inner join journeys
        on milestones.account_id = journeys.account_id
    inner join touchpoints as first_touches
        on
            milestones.account_id = first_touches.account_id
            and first_touches.touch_seq = 1
)

select * from final
