{#- Every row read from a Salesforce table, split into excluded (with why, and how many for each reason) and
    mapped onto a contract entity: rows_read = rows_excluded + rows_mapped. user_role rows are the users' team
    lookup (mapped = usable for it). opportunity_history: superseded versions first, then deleted versions and
    versions of deleted opportunities. -#}
{%- set tables = [
    ('account', 'accounts', 'is_deleted'),
    ('contact', 'contacts', 'is_deleted'),
    ('lead', 'leads', 'is_deleted'),
    ('opportunity', 'opportunities', 'is_deleted'),
    ('task', 'activities', 'is_deleted'),
    ('event', 'activities', 'is_deleted'),
    ('user', 'users', '_fivetran_deleted'),
    ('user_role', 'users', '_fivetran_deleted'),
    ('product_2', 'products', 'is_deleted'),
    ('order', 'orders', 'is_deleted'),
    ('opportunity_line_item', 'order_items', 'is_deleted'),
] %}

with

{% for source_table, entity, reason in tables %}
    {{ source_table }}_counts as (

        select
            '{{ source_table }}' as source_table,
            '{{ entity }}' as entity,
            count(*) as rows_read,
            count(*) filter (where is_deleted) as rows_excluded,
            case
                when count(*) filter (where is_deleted) > 0
                    then '{{ reason }}: ' || count(*) filter (where is_deleted)
            end as exclusion_reason,
            count(*) filter (where not is_deleted) as rows_mapped
        from {{ ref('stg_salesforce__' ~ source_table) }}

    ),

{% endfor %}
deleted_opportunities as (

    select opportunity_id from {{ ref('stg_salesforce__opportunity') }}
    where is_deleted

),

history_rows as (

    select
        case
            when not is_active then '_fivetran_active = false'
            when
                is_deleted
                or opportunity_id in (select deleted_opportunities.opportunity_id from deleted_opportunities)
                then 'is_deleted'
        end as reason
    from {{ ref('stg_salesforce__opportunity_history') }}

),

opportunity_history_counts as (

    select
        'opportunity_history' as source_table,
        'opportunity_stage_history' as entity,
        count(*) as rows_read,
        count(reason) as rows_excluded,
        nullif(
            concat_ws(
                ', ',
                case
                    when count(*) filter (where reason = '_fivetran_active = false') > 0
                        then '_fivetran_active = false: ' || count(*) filter (where reason = '_fivetran_active = false')
                end,
                case
                    when count(*) filter (where reason = 'is_deleted') > 0
                        then 'is_deleted: ' || count(*) filter (where reason = 'is_deleted')
                end
            ),
            ''
        ) as exclusion_reason,
        count(*) - count(reason) as rows_mapped
    from history_rows

),

all_counts as (

    {% for source_table, entity, reason in tables %}
        select * from {{ source_table }}_counts
        union all
    {% endfor %}
    select * from opportunity_history_counts

),

final as (

    select
        cast(source_table as varchar) as source_table,
        cast(entity as varchar) as entity,
        cast(rows_read as bigint) as rows_read,
        cast(rows_excluded as bigint) as rows_excluded,
        cast(exclusion_reason as varchar) as exclusion_reason,
        cast(rows_mapped as bigint) as rows_mapped
    from all_counts

)

select * from final
