{#- One row per closed opportunity (won or lost) of an account: the touchpoints of the account that led to its
    close (int_account_touchpoints_sequenced), their first and last touch, the contacts involved and the path.
    A deal's window: the account's touches after its previous won deal's win (from its first touch when none),
    or from the deal's own opportunity_created touch when the deal was created before that win, up to and
    excluding the deal's own close touch (opportunity_won / opportunity_lost at close_date 00:00 UTC, so a touch
    later on the close day counts after the close, as journey_phase does). Touches of other deals of the account
    inside the window (their creation, a loss) belong to the window too.
    touch_path: the touch categories of the window in the order of their first touch, each once, joined with
    ' > ' (e.g. 'lead > marketing > deal > sales': the deal met marketing before sales); 'none' for an empty
    window. Collapsed to first appearances, since a journey alternates categories dozens of times and the raw
    sequence would make nearly every path unique. -#}
with touchpoints as (
    select * from {{ ref('int_account_touchpoints_sequenced') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

contacts as (
    select * from {{ ref('dim_contacts') }}
),

closes as (
    select
        account_id,
        source_id as opportunity_id,
        touch_seq as close_seq,
        touch_type = 'opportunity_won' as is_won
    from touchpoints
    where touch_type in ('opportunity_won', 'opportunity_lost')
),

creations as (
    select
        source_id as opportunity_id,
        touch_seq as created_seq
    from touchpoints
    where touch_type = 'opportunity_created'
),

windows as (
    select
        closes.account_id,
        closes.opportunity_id,
        closes.close_seq,
        closes.is_won,
        least(
            coalesce(max(previous_wins.touch_seq), 0),
            coalesce(min(creations.created_seq) - 1, coalesce(max(previous_wins.touch_seq), 0))
        ) as window_after_seq
    from closes
    left join touchpoints as previous_wins
        on
            closes.account_id = previous_wins.account_id
            and previous_wins.touch_type = 'opportunity_won'
            and closes.close_seq > previous_wins.touch_seq
    left join creations
        on closes.opportunity_id = creations.opportunity_id
    group by 1, 2, 3, 4
),

window_touches as (
    select
        windows.opportunity_id,
        touchpoints.touch_seq,
        touchpoints.touchpoint_id,
        touchpoints.touch_category,
        touchpoints.touch_type,
        touchpoints.occurred_at,
        touchpoints.contact_id,
        row_number() over (partition by windows.opportunity_id order by touchpoints.touch_seq) as position_asc,
        row_number() over (partition by windows.opportunity_id order by touchpoints.touch_seq desc) as position_desc
    from windows
    inner join touchpoints
        on
            windows.account_id = touchpoints.account_id
            and windows.window_after_seq < touchpoints.touch_seq
            and windows.close_seq > touchpoints.touch_seq
),

window_summaries as (
    select
        window_touches.opportunity_id,
        count(*) as touchpoints,
        count(distinct window_touches.contact_id) as contacts_involved,
        count(distinct case when contacts.is_decision_maker then window_touches.contact_id end)
            as decision_makers_involved
    from window_touches
    left join contacts
        on window_touches.contact_id = contacts.contact_id
    group by 1
),

category_entries as (
    select
        opportunity_id,
        touch_category,
        min(touch_seq) as first_seq
    from window_touches
    group by 1, 2
),

paths as (
    select
        opportunity_id,
        {{ dbt.listagg('touch_category', "' > '", 'order by first_seq') }} as touch_path,
        count(*) as path_steps
    from category_entries
    group by 1
),

final as (
    select
        windows.opportunity_id,
        windows.account_id,
        windows.is_won,
        opportunities.owner_user_id,
        opportunities.created_date,
        opportunities.close_date,
        opportunities.cycle_days,
        opportunities.amount_usd,
        coalesce(window_summaries.touchpoints, 0) as touchpoints,
        first_touches.touchpoint_id as first_touchpoint_id,
        first_touches.touch_category as first_touch_category,
        first_touches.touch_type as first_touch_type,
        first_touches.occurred_at as first_touch_at,
        last_touches.touchpoint_id as last_touchpoint_id,
        last_touches.touch_category as last_touch_category,
        last_touches.touch_type as last_touch_type,
        last_touches.occurred_at as last_touch_at,
        {{ days_between(
            'first_touches.occurred_at', 'cast(opportunities.close_date as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as days_first_touch_to_close,
        coalesce(window_summaries.contacts_involved, 0) as contacts_involved,
        coalesce(window_summaries.decision_makers_involved, 0) as decision_makers_involved,
        coalesce(paths.touch_path, 'none') as touch_path,
        coalesce(paths.path_steps, 0) as path_steps
    from windows
    inner join opportunities
        on windows.opportunity_id = opportunities.opportunity_id
    left join window_summaries
        on windows.opportunity_id = window_summaries.opportunity_id
    left join window_touches as first_touches
        on
            windows.opportunity_id = first_touches.opportunity_id
            and first_touches.position_asc = 1
    left join window_touches as last_touches
        on
            windows.opportunity_id = last_touches.opportunity_id
            and last_touches.position_desc = 1
    left join paths
        on windows.opportunity_id = paths.opportunity_id
)

select * from final
