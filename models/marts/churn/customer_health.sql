{#- Customer health per customer account (as of var as_of_date): four component scores 0-100, their weighted
    composite (weights = vars health_weight_*), a risk tier, a transparent rule-based churn risk score and the
    value ranks used to list at-risk high-value accounts. -#}
{%- set inactivity_days = var('churn_inactivity_days') -%}
{%- set weights = {
    'recency_score': var('health_weight_recency'),
    'ticket_score': var('health_weight_tickets'),
    'satisfaction_score': var('health_weight_satisfaction'),
    'purchase_pattern_score': var('health_weight_purchase_pattern'),
} -%}
{#- weighted mean over the components that are not null: sum(w x score) / sum(w) -#}
{%- set weighted_terms = [] -%}
{%- set weight_terms = [] -%}
{%- for component, weight in weights.items() -%}
    {%- do weighted_terms.append('coalesce(' ~ weight ~ ' * ' ~ component ~ ', 0)') -%}
    {%- do weight_terms.append('case when ' ~ component ~ ' is not null then ' ~ weight ~ ' else 0 end') -%}
{%- endfor %}

with accounts as (
    select * from {{ ref('dim_accounts') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

purchase_profiles as (
    select * from {{ ref('int_account_purchases_profiled') }}
),

segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

predicted_values as (
    select * from {{ ref('customer_segments') }}
),

value_forecast as (
    select * from {{ ref('customer_value_forecast') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

survey_responses as (
    select * from {{ ref('fct_survey_responses') }}
),

engagement_events as (
    select * from {{ ref('fct_engagement_events') }}
),

subscription_mrr as (
    select * from {{ ref('fct_subscription_mrr') }}
),

customers as (
    select
        account_id,
        account_name,
        owner_user_id,
        tier,
        region,
        current_mrr_usd,
        subscription_state
    from accounts
    where is_customer
),

recent_revenue as (
    select
        account_id,
        sum(revenue_usd) as revenue_last_12m_usd
    from orders
    where
        status = 'completed'
        and order_date > cast({{ dbt.dateadd('month', -12, as_of_date()) }} as date)
        and order_date <= {{ as_of_date() }}
    group by 1
),

-- last interaction initiated by the customer: an engagement (not an email we sent), a ticket or a survey answer
last_engagements as (
    select
        account_id,
        max(event_date) as last_engagement_date
    from engagement_events
    where
        account_id is not null
        and {{ is_engagement_action('event_type') }}
        and event_date <= {{ as_of_date() }}
    group by 1
),

ticket_signals as (
    select
        account_id,
        max(opened_date) as last_ticket_date,
        sum(case when not is_resolved then 1 else 0 end) as open_tickets,
        sum(case when not is_resolved and is_escalated then 1 else 0 end) as open_escalated_tickets,
        sum(
            case
                when is_escalated and opened_date > cast({{ dbt.dateadd('day', -90, as_of_date()) }} as date)
                    then 1
                else 0
            end
        ) as escalated_tickets_90d
    from tickets
    where opened_date <= {{ as_of_date() }}
    group by 1
),

-- every answer mapped to 0-100 where 100 is best (CES is inverted: lower effort = better)
survey_points as (
    select
        account_id,
        survey_type,
        nps_class,
        is_csat_satisfied,
        cast(responded_at as date) as responded_date,
        case
            when survey_type = 'ces' then 100 - {{ ces_effort_score('score', 'scale_min', 'scale_max', 0, 100) }}
            else {{ rescaled_score('score', 'scale_min', 'scale_max', 0, 100) }}
        end as points,
        row_number() over (
            partition by account_id, survey_type order by responded_at desc, response_id desc
        ) as answer_rank
    from survey_responses
    where cast(responded_at as date) <= {{ as_of_date() }}
),

satisfaction as (
    select
        account_id,
        max(responded_date) as last_survey_date,
        avg(
            case
                when responded_date > cast({{ dbt.dateadd('day', -365, as_of_date()) }} as date) then points
            end
        ) as satisfaction_score,
        max(
            case
                when
                    answer_rank = 1
                    and responded_date > cast({{ dbt.dateadd('day', -365, as_of_date()) }} as date)
                    and (nps_class = 'detractor' or not is_csat_satisfied)
                    then 1
                else 0
            end
        ) = 1 as is_recently_unsatisfied
    from survey_points
    group by 1
),

-- latest customer-initiated activity of any kind
activity_dates as (
    select
        account_id,
        last_order_date as activity_date
    from purchase_profiles
    union all
    select
        account_id,
        last_engagement_date as activity_date
    from last_engagements
    union all
    select
        account_id,
        last_ticket_date as activity_date
    from ticket_signals
    union all
    select
        account_id,
        last_survey_date as activity_date
    from satisfaction
),

last_activities as (
    select
        account_id,
        max(activity_date) as last_activity_date
    from activity_dates
    group by 1
),

mrr_three_months_ago as (
    select
        account_id,
        mrr_usd as mrr_usd_3m_ago
    from subscription_mrr
    where month_start = cast({{ dbt.dateadd('month', -3, dbt.date_trunc('month', as_of_date())) }} as date)
),

signals as (
    select
        customers.account_id,
        customers.account_name,
        customers.owner_user_id,
        users.team as owner_team,
        customers.tier,
        customers.region,
        customers.subscription_state,
        coalesce(customers.current_mrr_usd, 0) as current_mrr_usd,
        coalesce(purchase_profiles.order_count, 0) as completed_orders,
        coalesce(purchase_profiles.revenue_usd, 0) as lifetime_revenue_usd,
        coalesce(recent_revenue.revenue_last_12m_usd, 0) as revenue_last_12m_usd,
        purchase_profiles.last_order_date,
        purchase_profiles.recency_days as days_since_last_order,
        last_activities.last_activity_date,
        purchase_profiles.mean_gap_days as avg_inter_order_gap_days,
        purchase_profiles.stddev_gap_days as stddev_inter_order_gap_days,
        purchase_profiles.stddev_order_value_usd,
        purchase_profiles.last_gap_days as last_inter_order_gap_days,
        -- one gap is always its own average: the drift needs 2+ gaps (3+ orders)
        case when purchase_profiles.order_count >= 3 then purchase_profiles.gap_trend_ratio end
            as purchase_gap_drift_ratio,
        coalesce(ticket_signals.open_tickets, 0) as open_tickets,
        coalesce(ticket_signals.open_escalated_tickets, 0) as open_escalated_tickets,
        coalesce(ticket_signals.escalated_tickets_90d, 0) as escalated_tickets_90d,
        satisfaction.satisfaction_score,
        coalesce(satisfaction.is_recently_unsatisfied, false) as is_recently_unsatisfied,
        mrr_three_months_ago.mrr_usd_3m_ago,
        segments.value_decile,
        predicted_values.predicted_value_decile,
        value_forecast.p_alive
    from customers
    left join users on customers.owner_user_id = users.user_id
    left join purchase_profiles on customers.account_id = purchase_profiles.account_id
    left join recent_revenue on customers.account_id = recent_revenue.account_id
    left join segments on customers.account_id = segments.account_id
    left join predicted_values on customers.account_id = predicted_values.account_id
    left join value_forecast on customers.account_id = value_forecast.account_id
    left join last_activities on customers.account_id = last_activities.account_id
    left join ticket_signals on customers.account_id = ticket_signals.account_id
    left join satisfaction on customers.account_id = satisfaction.account_id
    left join mrr_three_months_ago on customers.account_id = mrr_three_months_ago.account_id
),

component_scores as (
    select
        *,
        cast(
            {{ dbt.datediff('last_activity_date', as_of_date(), 'day') }}
            as integer
        ) as days_since_last_activity,
        greatest(0, 100 - 25 * open_tickets - 25 * escalated_tickets_90d) as ticket_score,
        case
            when purchase_gap_drift_ratio is not null
                then 100 * least(1, greatest(0, 2 - purchase_gap_drift_ratio))
        end as purchase_pattern_score
    from signals
),

-- recency score (needs days_since_last_activity) and the transparent churn-risk rules: points per warning sign
risk_points as (
    select
        *,
        case
            when days_since_last_activity is not null
                then 100 * greatest(0, 1 - cast(days_since_last_activity as double) / {{ inactivity_days }})
        end as recency_score,
        case
            when days_since_last_activity is null or days_since_last_activity > {{ inactivity_days }} then 35
            else 0
        end as inactivity_points,
        case when days_since_last_order > 2 * avg_inter_order_gap_days then 20 else 0 end as overdue_order_points,
        case when open_escalated_tickets > 0 then 15 else 0 end as escalation_points,
        case when is_recently_unsatisfied then 15 else 0 end as dissatisfaction_points,
        case when mrr_usd_3m_ago > current_mrr_usd then 15 else 0 end as mrr_decline_points
    from component_scores
),

health_scores as (
    select
        *,
        {{ safe_divide(weighted_terms | join(' + '), weight_terms | join(' + ')) }} as health_score,
        (
            inactivity_points + overdue_order_points + escalation_points + dissatisfaction_points + mrr_decline_points
        ) / 100.0 as churn_risk_score
    from risk_points
),

final as (
    select
        account_id,
        account_name,
        owner_user_id,
        owner_team,
        tier,
        region,
        subscription_state,
        cast(current_mrr_usd as double) as current_mrr_usd,
        cast(completed_orders as bigint) as completed_orders,
        cast(lifetime_revenue_usd as double) as lifetime_revenue_usd,
        cast(revenue_last_12m_usd as double) as revenue_last_12m_usd,
        cast(last_activity_date as date) as last_activity_date,
        cast(days_since_last_activity as integer) as days_since_last_activity,
        cast(days_since_last_order as integer) as days_since_last_order,
        cast(avg_inter_order_gap_days as double) as avg_inter_order_gap_days,
        cast(last_inter_order_gap_days as integer) as last_inter_order_gap_days,
        cast(stddev_inter_order_gap_days as double) as stddev_inter_order_gap_days,
        cast(stddev_order_value_usd as double) as stddev_order_value_usd,
        cast(purchase_gap_drift_ratio as double) as purchase_gap_drift_ratio,
        cast(open_tickets as bigint) as open_tickets,
        cast(open_escalated_tickets as bigint) as open_escalated_tickets,
        cast(escalated_tickets_90d as bigint) as escalated_tickets_90d,
        is_recently_unsatisfied,
        cast(recency_score as double) as recency_score,
        cast(ticket_score as double) as ticket_score,
        cast(satisfaction_score as double) as satisfaction_score,
        cast(purchase_pattern_score as double) as purchase_pattern_score,
        cast(health_score as double) as health_score,
        case
            when health_score >= {{ var('health_healthy_min') }} then 'healthy'
            when health_score >= {{ var('health_watch_min') }} then 'watch'
            else 'at_risk'
        end as risk_tier,
        cast(churn_risk_score as double) as churn_risk_score,
        cast(value_decile as integer) as value_decile,
        cast(case
            when current_mrr_usd > 0 then ntile(10) over (
                partition by current_mrr_usd > 0 order by current_mrr_usd, account_id
            )
        end as integer) as mrr_decile,
        cast(p_alive as double) as p_alive,
        cast(predicted_value_decile as integer) as predicted_value_decile,
        {{ high_value_low_p_alive('predicted_value_decile', 'p_alive') }} as is_high_value_low_p_alive
    from health_scores
)

select * from final
