{#- Ordered touchpoints per account from first contact to close and after (int_account_touchpoints_sequenced). -#}
with touchpoints as (
    select * from {{ ref('int_account_touchpoints_sequenced') }}
),

final as (
    select
        account_id,
        touch_seq,
        touchpoint_id,
        touch_category,
        touch_type,
        source_id,
        occurred_at,
        contact_id,
        user_id,
        opportunity_id,
        days_since_first_touch,
        is_conversion_point,
        journey_phase
    from touchpoints
)

select * from final
