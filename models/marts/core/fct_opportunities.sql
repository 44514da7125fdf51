-- One row per kept opportunity (deal): amounts in USD, funnel position, cycle lengths and history flags.
-- An early deal may lack an account, an amount or (while open) a close date; it keeps its row:
--   no account  -> account_id null, the unknown account: account_tier / account_region / account_industry 'unknown'
--   no amount   -> amount and amount_usd null (amount-weighted marts skip it and count it in *_missing_amount)
--   no close date (open deals only) -> converted at the rate of the as-of date, the latest rate, as a future
--                  expected close date is; cycle lengths are null while open anyway.
-- Dimension attributes come through left joins: a reference to a key the dimension only knows as an inferred
-- member reads that member's 'unknown' attributes; a deal whose owner, lead or product is missing keeps its row.
with opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
    where is_valid
),

opportunities_fx_dated as (
    -- The day whose rate converts the amount (a column, so the rate join below needs no subquery).
    select
        *,
        coalesce(close_date, {{ as_of_date() }}) as fx_date
    from opportunities
),

leads as (
    select * from {{ ref('int_leads_validated') }}
    where is_valid
),

stages as (
    select * from {{ ref('int_opportunity_stages') }}
),

stage_history as (
    select * from {{ ref('int_opportunity_stage_history_sequenced') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

history_summary as (
    select
        opportunity_id,
        -- closed_lost is an exit, not progress: a lost deal keeps the furthest stage it actually reached.
        max(case when stage <> 'closed_lost' then stage_order end) as max_history_stage_order,
        max(case when is_reopening then 1 else 0 end) as reopening_count_flag
    from stage_history
    group by 1
),

deals as (
    select
        opportunities.*,
        cast(opportunities.created_at as date) as created_date,
        coalesce(leads.created_at, opportunities.created_at) as first_contact_at,
        coalesce(leads.source, 'unknown') as lead_source,
        stages.stage_order,
        case when opportunities.stage <> 'closed_lost' then stages.stage_order end as current_progress_order,
        history_summary.max_history_stage_order,
        coalesce(history_summary.reopening_count_flag, 0) = 1 as was_reopened,
        fx.rate_to_usd
    from opportunities_fx_dated as opportunities
    left join leads
        on opportunities.lead_id = leads.lead_id
    left join stages
        on opportunities.stage = stages.stage
    left join history_summary
        on opportunities.opportunity_id = history_summary.opportunity_id
    {{ join_fx_rate('opportunities.currency', 'opportunities.fx_date') }}
),

final as (
    select
        deals.opportunity_id,
        deals.account_id,
        deals.owner_user_id,
        deals.lead_id,
        deals.lead_source,
        deals.campaign_id,
        deals.opportunity_type,
        deals.product_id,
        cast(deals.amount as decimal(18, 2)) as amount,
        deals.currency,
        cast(round(deals.amount * deals.rate_to_usd, 2) as decimal(18, 2)) as amount_usd,
        deals.stage,
        deals.stage_order,
        cast(deals.probability / 100.0 as double) as probability,
        deals.is_closed,
        deals.is_won,
        (deals.is_closed and not deals.is_won) as is_lost,
        deals.loss_reason,
        deals.next_step,
        deals.created_at,
        deals.created_date,
        deals.close_date,
        deals.first_contact_at,
        cast(
            case
                when deals.is_closed
                    then {{ dbt.datediff('deals.created_date', 'deals.close_date', 'day') }}
            end as {{ dbt.type_int() }}
        ) as cycle_days,
        cast(
            case
                when deals.is_closed
                    then {{ dbt.datediff('cast(deals.first_contact_at as date)', 'deals.close_date', 'day') }}
            end as {{ dbt.type_int() }}
        ) as cycle_days_from_first_contact,
        cast(
            case
                when deals.max_history_stage_order is null then deals.current_progress_order
                when deals.current_progress_order is null then deals.max_history_stage_order
                when deals.current_progress_order > deals.max_history_stage_order then deals.current_progress_order
                else deals.max_history_stage_order
            end as {{ dbt.type_int() }}
        ) as max_stage_order_reached,
        deals.was_reopened,
        case when deals.account_id is null then 'unknown' else accounts.tier end as account_tier,
        case when deals.account_id is null then 'unknown' else accounts.region end as account_region,
        case when deals.account_id is null then 'unknown' else accounts.industry end as account_industry,
        users.team as owner_team,
        products.product_family
    from deals
    left join accounts
        on deals.account_id = accounts.account_id
    left join users
        on deals.owner_user_id = users.user_id
    left join products
        on deals.product_id = products.product_id
)

select * from final
