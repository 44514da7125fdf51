{#- Email list growth per month: (subscribes - unsubscribes) / list size at the start of the month. -#}
with list_months as (
    select * from {{ ref('int_email_list_months_sized') }}
),

final as (
    select
        month_start,
        list_size_at_start,
        list_subscribes,
        list_unsubscribes,
        net_list_growth,
        list_size_at_start + net_list_growth as list_size_at_end,
        {{ safe_divide('net_list_growth', 'list_size_at_start') }} as email_list_growth_rate
    from list_months
)

select * from final
