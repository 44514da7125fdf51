-- One row per valid account: firmographics, order history, subscription state and acquisition source; plus one
-- inferred member per account key that kept rows reference but no valid account has (macro inferred_member_keys):
-- firmographics 'unknown' / null, is_inferred_member true. Order, subscription and acquisition columns are
-- derived for it like for any account, so it is a customer only when it carries orders or subscriptions.
with valid_accounts as (
    select * from {{ ref('int_accounts_validated') }}
    where is_valid
),

inferred_account_keys as (
    {{ inferred_member_keys('accounts', 'account_id') }}
),

accounts as (
    select
        account_id,
        account_name,
        industry,
        employee_count,
        annual_revenue,
        region,
        country,
        tier,
        owner_user_id,
        created_at,
        false as is_inferred_member
    from valid_accounts
    union all
    select
        account_id,
        'unknown' as account_name,
        'unknown' as industry,
        cast(null as {{ dbt.type_int() }}) as employee_count,
        cast(null as decimal(18, 2)) as annual_revenue,
        'unknown' as region,
        'unknown' as country,
        'unknown' as tier,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        true as is_inferred_member
    from inferred_account_keys
),

leads as (
    select * from {{ ref('int_leads_validated') }}
    where is_valid
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where is_valid
),

account_orders as (
    select * from {{ ref('int_account_orders_summarised') }}
),

subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

account_subscriptions as (
    select
        account_id,
        count(*) as subscription_count,
        sum(case when is_active then 1 else 0 end) as active_subscription_count,
        sum(case when is_active then mrr_usd else 0 end) as current_mrr_usd
    from subscriptions
    group by 1
),

converting_leads as (
    -- The lead an account was converted from; with several, the first to convert.
    select
        leads.converted_account_id as account_id,
        leads.source as lead_source,
        leads.campaign_id,
        campaigns.channel as campaign_channel,
        row_number() over (
            partition by leads.converted_account_id
            order by coalesce(leads.converted_at, leads.created_at), leads.lead_id
        ) as conversion_rank
    from leads
    left join campaigns
        on leads.campaign_id = campaigns.campaign_id
    where leads.converted_account_id is not null
),

acquisition as (
    select
        account_id,
        campaign_id as acquisition_campaign_id,
        coalesce(campaign_channel, lead_source) as acquisition_channel
    from converting_leads
    where conversion_rank = 1
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.industry,
        cast(accounts.employee_count as {{ dbt.type_int() }}) as employee_count,
        {{ size_band('accounts.employee_count') }} as size_band,
        cast(accounts.annual_revenue as decimal(18, 2)) as annual_revenue,
        accounts.region,
        accounts.country,
        accounts.tier,
        accounts.owner_user_id,
        accounts.created_at,
        account_orders.first_order_at,
        account_orders.last_order_at,
        cast(coalesce(account_orders.completed_order_count, 0) as {{ dbt.type_int() }}) as order_count,
        -- Quarantine tolerates timestamps up to as_of_date + 1 day, so never report a negative tenure.
        cast(
            case
                when account_orders.first_order_at is null then null
                when cast(account_orders.first_order_at as date) > {{ as_of_date() }} then 0
                else {{ dbt.datediff('cast(account_orders.first_order_at as date)', as_of_date(), 'day') }}
            end as {{ dbt.type_int() }}
        ) as tenure_days,
        (
            coalesce(account_orders.completed_order_count, 0) > 0
            or coalesce(account_subscriptions.subscription_count, 0) > 0
        ) as is_customer,
        cast(coalesce(account_subscriptions.current_mrr_usd, 0) as decimal(18, 2)) as current_mrr_usd,
        case
            when account_subscriptions.active_subscription_count > 0 then 'active'
            when account_subscriptions.subscription_count > 0 then 'churned'
            else 'never'
        end as subscription_state,
        coalesce(acquisition.acquisition_channel, 'unattributed') as acquisition_channel,
        acquisition.acquisition_campaign_id,
        accounts.is_inferred_member
    from accounts
    left join account_orders
        on accounts.account_id = account_orders.account_id
    left join account_subscriptions
        on accounts.account_id = account_subscriptions.account_id
    left join acquisition
        on accounts.account_id = acquisition.account_id
)

select * from final
