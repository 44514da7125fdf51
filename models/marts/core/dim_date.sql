-- Calendar spine: every day from 1 January of the year of the earliest business date in the data through
-- 31 December of the year of the latest one (or of as_of_date, whichever is later).
with accounts as (
    select * from {{ ref('int_accounts_validated') }}
    where is_valid
),

leads as (
    select * from {{ ref('int_leads_validated') }}
    where is_valid
),

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
    where is_valid
),

orders as (
    select * from {{ ref('int_orders_validated') }}
    where is_valid
),

subscriptions as (
    select * from {{ ref('int_subscriptions_validated') }}
    where is_valid
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where is_valid
),

acquisition_costs as (
    select * from {{ ref('int_acquisition_costs_validated') }}
    where is_valid
),

quotas as (
    select * from {{ ref('int_quotas_validated') }}
    where is_valid
),

business_dates as (
    select cast(created_at as date) as business_date from accounts
    union all
    select cast(created_at as date) as business_date from leads
    union all
    select cast(created_at as date) as business_date from opportunities
    union all
    select close_date as business_date from opportunities
    union all
    select cast(ordered_at as date) as business_date from orders
    union all
    select started_at as business_date from subscriptions
    union all
    select coalesce(ended_at, renewal_date) as business_date from subscriptions
    union all
    select start_date as business_date from campaigns
    union all
    select end_date as business_date from campaigns
    union all
    select cost_month as business_date from acquisition_costs
    union all
    select period_month as business_date from quotas
    union all
    select {{ as_of_date() }} as business_date
),

bounds as (
    select
        cast({{ dbt.date_trunc('year', 'min(business_date)') }} as date) as first_day,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, dbt.date_trunc('year', 'max(business_date)'))) }} as date)
            as last_day
    from business_dates
),

day_numbers as (
    -- 100 years of days is far more than any CRM history; the filter below keeps the data range.
    {{ dbt.generate_series(36600) }}
),

spine as (
    select cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_day') }} as date) as date_day
    from day_numbers
    cross join bounds
    where day_numbers.generated_number - 1 <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}
),

final as (
    select
        date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year, -- noqa: RF04
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_of_year,
        {{ iso_day_of_week('date_day') }} as day_of_week,
        {{ iso_day_of_week('date_day') }} >= 6 as is_weekend
    from spine
)

select * from final
