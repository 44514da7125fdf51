-- Sales quota per rep and month in USD: valid quota rows converted at the rate of the quota month (fallback: the
-- latest earlier rate), summed when an extract carries several quota rows for the same rep and month.
with quotas as (
    select * from {{ ref('int_quotas_validated') }}
    where is_valid
),

converted as (
    select
        quotas.user_id,
        cast({{ dbt.date_trunc('month', 'quotas.period_month') }} as date) as month_start,
        cast(quotas.quota_amount as double) * fx.rate_to_usd as quota_usd
    from quotas
    {{ join_fx_rate('quotas.currency', 'quotas.period_month') }}
),

final as (
    select
        user_id,
        month_start,
        cast(round(sum(quota_usd), 2) as double) as quota_usd,
        cast(count(*) as bigint) as quota_rows
    from converted
    group by 1, 2
)

select * from final
