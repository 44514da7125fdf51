{#- Salesforce orders in the contract's orders shape (every value text). Excluded: is_deleted rows (counted).
    Status through the picklist map (Activated -> completed; Draft and other labels lower-cased, flagged by the
    door). ordered_at: effective_date. Currency: var salesforce_currency. -#}
with

orders as (

    select * from {{ ref('stg_salesforce__order') }}
    where not is_deleted

),

final as (

    select
        cast(order_id as varchar) as order_id,
        cast(account_id as varchar) as account_id,
        cast(opportunity_id as varchar) as opportunity_id,
        cast({{ crm_source_timestamp_text('effective_date') }} as varchar) as ordered_at,
        cast(coalesce({{ salesforce_picklist('order_status', 'status') }}, lower(status)) as varchar)
            as status,  -- noqa: RF04
        '{{ var("salesforce_currency", "USD") }}' as currency,
        cast({{ crm_source_timestamp_text('coalesce(last_modified_date, effective_date)') }} as varchar)
            as updated_at
    from orders

)

select * from final
