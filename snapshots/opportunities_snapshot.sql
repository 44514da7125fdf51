{#- History of every valid opportunity's deal terms. An extract carries only the current state of a deal; each
    build compares it with the last snapshot and closes/opens a version when a checked column changed, so stage,
    amount and close-date changes survive later extracts. Opportunities quarantined in a later extract keep their
    last valid version open (hard deletes ignored): a quarantined row is not evidence the deal was deleted. -#}
{% snapshot opportunities_snapshot %}
    {{ config(
        schema='snapshots',
        unique_key='opportunity_id',
        strategy='check',
        check_cols=['stage', 'amount', 'currency', 'close_date', 'probability', 'is_closed', 'is_won'],
        hard_deletes='ignore',
    ) }}

    with

    validated_opportunities as (

        select * from {{ ref('int_opportunities_validated') }}

    ),

    final as (

        select
            opportunity_id,
            account_id,
            owner_user_id,
            stage,
            amount,
            currency,
            probability,
            is_closed,
            is_won,
            close_date,
            updated_at
        from validated_opportunities
        where is_valid

    )

    select * from final
{% endsnapshot %}
