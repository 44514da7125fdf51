{#- One row per subscription renewal decided by the as-of date: the observation unit of churn_drivers, with its
    outcome and what was known on the renewal day (the generator decides churn at each renewal too).
    Renewals: the contract has no term length, so a subscription renews every var churn_drivers_term_days days
    after started_at (annual). Which anniversaries are decided, and how:
      active (or ended_at unknown): every anniversary before the as-of date and before renewal_date (a renewal_date
        already past is a renewal still being negotiated: left out) renewed;
      cancelled / expired: every anniversary up to the first one after ended_at; that last one churned (is_churned),
        the earlier ones renewed;
      upgraded / downgraded: the anniversaries up to ended_at + 1 renewed (a downgrade at renewal is a renewal on a
        lower plan; an upgrade replaces the subscription mid-term).
    Features on the renewal day r (events strictly before r):
      painful_tickets_past_year: the account's tickets opened in [r - 365 days, r) that were escalated or are not
        resolved (the generator's "pains"); other_tickets_past_year: the rest of those tickets;
      low_csat_past_year: CSAT answers of 1-3 in the same year; last_nps_band: class of the last NPS answer before r
        (detractor 0-6, passive 7-8, promoter 9-10, none);
      months_since_last_activity: months (30 days) from the account's last sales activity before r, capped at 12
        (12 when none); tenure_years: years from the account's first subscription start to r;
      products_in_service: the account's subscriptions in service on r - 1 (this one included);
      tier (segment) and industry of the account; renewal_quarter (1-4) of the renewal date. -#}
{%- set term_days = var('churn_drivers_term_days') | int -%}
with subscriptions as (
    select * from {{ ref('fct_subscriptions') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

surveys as (
    select * from {{ ref('fct_survey_responses') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

term_numbers as (
    -- up to 100 terms; the filters below keep the decided anniversaries.
    {{ dbt.generate_series(100) }}
),

account_starts as (
    select
        account_id,
        min(started_at) as first_started_at
    from subscriptions
    group by 1
),

anniversaries as (
    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.product_id,
        subscriptions.plan,
        subscriptions.status,
        subscriptions.started_at,
        subscriptions.ended_at,
        term_numbers.generated_number as renewal_number,
        cast(
            {{ dbt.dateadd('day', 'term_numbers.generated_number * ' ~ term_days, 'subscriptions.started_at') }}
            as date
        ) as renewal_date,
        subscriptions.renewal_date as contract_renewal_date
    from subscriptions
    cross join term_numbers
),

decided as (
    select
        *,
        status in ('cancelled', 'expired') and ended_at is not null and renewal_date > ended_at as is_churned
    from anniversaries
    where
        renewal_date < {{ as_of_date() }}
        and case
            when status in ('cancelled', 'expired') and ended_at is not null
                then {{ dbt.dateadd('day', -term_days, 'renewal_date') }} <= ended_at
            when status in ('upgraded', 'downgraded') and ended_at is not null
                then renewal_date <= {{ dbt.dateadd('day', 1, 'ended_at') }}
            else renewal_date < coalesce(contract_renewal_date, {{ as_of_date() }})
        end
),

ticket_counts as (
    select
        decided.subscription_id,
        decided.renewal_number,
        count(case when tickets.is_escalated or not tickets.is_resolved then 1 end) as painful_tickets_past_year,
        count(case when not (tickets.is_escalated or not tickets.is_resolved) then 1 end) as other_tickets_past_year
    from decided
    inner join tickets
        on
            decided.account_id = tickets.account_id
            and tickets.opened_at >= cast({{ dbt.dateadd('day', -365, 'decided.renewal_date') }} as timestamp)
            and tickets.opened_at < cast(decided.renewal_date as timestamp)
    group by 1, 2
),

csat_counts as (
    select
        decided.subscription_id,
        decided.renewal_number,
        count(*) as low_csat_past_year
    from decided
    inner join surveys
        on
            decided.account_id = surveys.account_id
            and surveys.survey_type = 'csat'
            and surveys.score <= 3
            and surveys.responded_at >= cast({{ dbt.dateadd('day', -365, 'decided.renewal_date') }} as timestamp)
            and surveys.responded_at < cast(decided.renewal_date as timestamp)
    group by 1, 2
),

last_nps as (
    select
        decided.subscription_id,
        decided.renewal_number,
        surveys.nps_class,
        row_number() over (
            partition by decided.subscription_id, decided.renewal_number
            order by surveys.responded_at desc, surveys.response_id desc
        ) as answer_rank
    from decided
    inner join surveys
        on
            decided.account_id = surveys.account_id
            and surveys.survey_type = 'nps'
            and surveys.responded_at < cast(decided.renewal_date as timestamp)
),

last_activities as (
    select
        decided.subscription_id,
        decided.renewal_number,
        max(activities.occurred_at) as last_activity_at
    from decided
    inner join activities
        on
            decided.account_id = activities.account_id
            and activities.occurred_at < cast(decided.renewal_date as timestamp)
    group by 1, 2
),

products_in_service as (
    select
        decided.subscription_id,
        decided.renewal_number,
        count(*) as products_in_service
    from decided
    inner join subscriptions as held
        on
            decided.account_id = held.account_id
            and decided.renewal_date > held.started_at
            and (held.ended_at is null or held.ended_at >= {{ dbt.dateadd('day', -1, 'decided.renewal_date') }})
    group by 1, 2
),

final as (
    select
        decided.subscription_id,
        decided.renewal_number,
        decided.account_id,
        decided.product_id,
        decided.plan,
        decided.status,
        decided.renewal_date,
        cast(extract(quarter from decided.renewal_date) as integer) as renewal_quarter,
        decided.is_churned,
        coalesce(ticket_counts.painful_tickets_past_year, 0) as painful_tickets_past_year,
        coalesce(ticket_counts.other_tickets_past_year, 0) as other_tickets_past_year,
        coalesce(csat_counts.low_csat_past_year, 0) as low_csat_past_year,
        coalesce(last_nps.nps_class, 'none') as last_nps_band,
        least(
            coalesce(
                {{ dbt.datediff('last_activities.last_activity_at', 'decided.renewal_date', 'day') }},
                360
            ),
            360
        ) / 30.0 as months_since_last_activity,
        {{ dbt.datediff(
            'account_starts.first_started_at', 'decided.renewal_date', 'day'
        ) }} / 365.0 as tenure_years,
        coalesce(products_in_service.products_in_service, 1) as products_in_service,
        coalesce(accounts.tier, 'unknown') as tier,
        coalesce(accounts.industry, 'unknown') as industry
    from decided
    left join ticket_counts
        on
            decided.subscription_id = ticket_counts.subscription_id
            and decided.renewal_number = ticket_counts.renewal_number
    left join csat_counts
        on
            decided.subscription_id = csat_counts.subscription_id
            and decided.renewal_number = csat_counts.renewal_number
    left join last_nps
        on
            decided.subscription_id = last_nps.subscription_id
            and decided.renewal_number = last_nps.renewal_number
            and last_nps.answer_rank = 1
    left join last_activities
        on
            decided.subscription_id = last_activities.subscription_id
            and decided.renewal_number = last_activities.renewal_number
    left join products_in_service
        on
            decided.subscription_id = products_in_service.subscription_id
            and decided.renewal_number = products_in_service.renewal_number
    left join account_starts on decided.account_id = account_starts.account_id
    left join accounts on decided.account_id = accounts.account_id
)

select * from final
