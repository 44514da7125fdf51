-- One row per currency and rate day with the day range the rate is used for: from its rate_date (valid_from null
-- for the first rate of a currency) up to the next rate_date (null for the latest rate). A day without a rate
-- falls back to the latest earlier rate; macro join_fx_rate, the only reader, uses the first rate from its
-- rate_date on (earlier days have no rate), except for the reporting currency, worth 1 on any day.
with fx_rates as (
    select * from {{ ref('int_fx_rates_validated') }}
    where is_valid
),

rates as (
    select
        currency,
        rate_date,
        cast(rate_to_usd as double) as rate_to_usd
    from fx_rates
),

reporting_currency_rate as (
    -- The reporting currency is worth exactly 1 of itself even when the extract carries no rows for it.
    select
        '{{ var("reporting_currency") }}' as currency,
        cast(null as date) as rate_date,
        cast(1.0 as double) as rate_to_usd
    where not exists (
        select 1 from rates
        where rates.currency = '{{ var("reporting_currency") }}'
    )
),

all_rates as (
    select * from rates
    union all
    select * from reporting_currency_rate
),

ranged as (
    select
        currency,
        rate_date,
        rate_to_usd,
        case
            when row_number() over (partition by currency order by rate_date) > 1 then rate_date
        end as valid_from,
        lead(rate_date) over (partition by currency order by rate_date) as valid_to
    from all_rates
),

final as (
    select
        currency,
        rate_date,
        valid_from,
        valid_to,
        rate_to_usd
    from ranged
)

select * from final
