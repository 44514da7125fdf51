{#- Per won deal of an account: the touchpoints that led to the win (int_opportunity_journeys_summarised: from
    the account's previous win, or the deal's creation if earlier, up to the win), the first touch and the last
    touch before the win, the contacts and decision makers involved and the collapsed path of touch categories. -#}
with deal_journeys as (
    select * from {{ ref('int_opportunity_journeys_summarised') }}
),

final as (
    select
        opportunity_id,
        account_id,
        owner_user_id,
        created_date,
        close_date,
        cast(cycle_days as integer) as cycle_days,
        cast(amount_usd as double) as amount_usd,
        cast(touchpoints as bigint) as touchpoints,
        first_touchpoint_id,
        first_touch_category,
        first_touch_type,
        first_touch_at,
        last_touchpoint_id,
        last_touch_category,
        last_touch_type,
        last_touch_at,
        cast(days_first_touch_to_close as double) as days_first_touch_to_win,
        cast(contacts_involved as bigint) as contacts_involved,
        cast(decision_makers_involved as bigint) as decision_makers_involved,
        touch_path,
        cast(path_steps as bigint) as path_steps
    from deal_journeys
    where is_won
)

select * from final
