{#- The warehouse's "today" derived from the extract (one row): the day after its latest event.
    Events are the staged timestamp and date columns that may not lie in the future (those the future_timestamp
    check applies to: contract meta.logical_type timestamp/date without may_be_future, and a may_be_future_unless
    column only where its boolean is true, e.g. a closed deal's close_date). Values after the run's date + 1 day
    are ignored, so one typo'd future row cannot move "today"; the result is capped at the run's date + 1 day.
    An extract without any event falls back to the run's date. as_of_date is what macro as_of_date() returns:
    var as_of_date when set (pinned), else derived_as_of_date. Reads staging only: the validated models use
    as_of_date() for their own future check. -#}
{%- set pinned = as_of_date_pinned() -%}
with
{%- for entity in crm_entities() %}

    staged_{{ entity }} as (

        select * from {{ ref('stg_crm__' ~ entity) }}

    ),
{%- endfor %}

run_dates as (
    select
        cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date) as run_date,
        cast({{ dbt.dateadd('day', 1, "cast('" ~ run_started_at.strftime('%Y-%m-%d') ~ "' as date)") }} as date)
            as latest_allowed_date
),

event_dates as (
    {%- set selects = [] -%}
    {%- for entity in crm_entities() if execute -%}
        {%- for column in crm_contract_entity(entity).columns
            if column.meta.logical_type in ('timestamp', 'date') and not column.meta.may_be_future -%}
            {%- set unless = column.meta.may_be_future_unless -%}
            {%- do selects.append(
                "select '" ~ entity ~ '.' ~ column.name ~ "' as event_column, cast(" ~ column.column
                ~ ' as date) as event_date from staged_' ~ entity
                ~ (' where coalesce(' ~ unless ~ ', false)' if unless else '')) -%}
        {%- endfor -%}
    {%- endfor %}
    {%- if selects %}
        {{ selects | join('\n        union all\n        ') }}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as event_column,
            cast(null as date) as event_date
    {%- endif %}
),

latest_event as (
    select max(event_dates.event_date) as latest_event_date
    from event_dates
    cross join run_dates
    where event_dates.event_date <= run_dates.latest_allowed_date
),

derived as (
    select
        latest_event.latest_event_date,
        run_dates.run_date,
        -- least() skips nulls, so the no-event case is spelled out.
        case
            when latest_event.latest_event_date is null then run_dates.run_date
            else least(
                cast({{ dbt.dateadd('day', 1, 'latest_event.latest_event_date') }} as date),
                run_dates.latest_allowed_date
            )
        end as derived_as_of_date
    from latest_event
    cross join run_dates
),

final as (
    select
        {{ "cast('" ~ pinned ~ "' as date)" if pinned else 'derived_as_of_date' }} as as_of_date,
        {{ 'true' if pinned else 'false' }} as is_pinned,
        derived_as_of_date,
        latest_event_date,
        run_date
    from derived
)

select * from final
