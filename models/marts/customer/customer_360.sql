{#- One wide row per account of dim_accounts (as of var as_of_date): firmographics, RFM segment, lifetime revenue
    and margin, CLV, open deals and pipeline, last touch, tickets, latest NPS / CSAT, health, risk and next best
    offer. Nothing is computed anew: every figure is a column of the mart or intermediate that defines it, joined
    on account_id; what is aggregated here (open pipeline, last touch, latest survey answer) applies that model's
    own definition to the as-of date:
      firmographics, is_customer            dim_accounts (owner's team: dim_users)
      segment                               int_account_segments_assigned (customers with a completed order)
      revenue, margins, CLV, P(alive)       customer_profitability (customer_value_forecast behind the probabilistic CLV)
      open deals and pipeline               int_opportunities_snapshotted_monthly at the as-of snapshot, as the
                                            pipeline mart sums it (amount_usd; x stage_win_probability)
      last touch                            customer_journey (int_account_touchpoints_sequenced) up to the as-of day
      open / escalated tickets, health      customer_health (customers); at_risk_accounts
      latest NPS / CSAT                     fct_survey_responses, the latest answer on or before the as-of date,
                                            rescaled like customer_perception (NPS 0-10, CSAT 1-5)
      next best offer                       next_best_offer, offer_rank 1
      behavioural cluster                   behaviour_clusters (customer accounts) -#}
with accounts as (
    select * from {{ ref('dim_accounts') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

profitability as (
    select * from {{ ref('customer_profitability') }}
),

pipeline_snapshots as (
    select * from {{ ref('int_opportunities_snapshotted_monthly') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

touchpoints as (
    select * from {{ ref('customer_journey') }}
),

health as (
    select * from {{ ref('customer_health') }}
),

at_risk as (
    select * from {{ ref('at_risk_accounts') }}
),

survey_responses as (
    select * from {{ ref('fct_survey_responses') }}
),

offers as (
    select * from {{ ref('next_best_offer') }}
    where offer_rank = 1
),

clusters as (
    select * from {{ ref('behaviour_clusters') }}
),

open_pipeline as (
    select
        opportunities.account_id,
        count(*) as open_opportunities,
        sum(pipeline_snapshots.amount_usd) as open_pipeline_usd,
        sum(pipeline_snapshots.amount_usd * pipeline_snapshots.stage_win_probability) as weighted_pipeline_usd
    from pipeline_snapshots
    inner join opportunities
        on pipeline_snapshots.opportunity_id = opportunities.opportunity_id
    where
        pipeline_snapshots.snapshot_date = {{ as_of_date() }}
        and opportunities.account_id is not null
    group by 1
),

touches_to_date as (
    select
        account_id,
        occurred_at,
        touch_category,
        touch_type,
        row_number() over (partition by account_id order by touch_seq desc) as recency_rank
    from touchpoints
    where cast(occurred_at as date) <= {{ as_of_date() }}
),

last_touches as (
    select
        account_id,
        occurred_at as last_touch_at,
        touch_category as last_touch_category,
        touch_type as last_touch_type,
        cast(
            {{ dbt.datediff('cast(occurred_at as date)', as_of_date(), 'day') }}
            as integer
        ) as days_since_last_touch
    from touches_to_date
    where recency_rank = 1
),

survey_answers as (
    select
        account_id,
        survey_type,
        responded_at,
        nps_class,
        is_csat_satisfied,
        case
            when survey_type = 'nps' then {{ rescaled_score('score', 'scale_min', 'scale_max', 0, 10) }}
            when survey_type = 'csat' then {{ rescaled_score('score', 'scale_min', 'scale_max', 1, 5) }}
        end as reference_score,
        row_number() over (
            partition by account_id, survey_type order by responded_at desc, response_id desc
        ) as answer_rank
    from survey_responses
    where
        survey_type in ('nps', 'csat')
        and cast(responded_at as date) <= {{ as_of_date() }}
),

latest_surveys as (
    select
        account_id,
        max(case when survey_type = 'nps' then reference_score end) as latest_nps_score,
        max(case when survey_type = 'nps' then nps_class end) as latest_nps_class,
        max(case when survey_type = 'nps' then responded_at end) as latest_nps_at,
        max(case when survey_type = 'csat' then reference_score end) as latest_csat_score,
        bool_or(case when survey_type = 'csat' then is_csat_satisfied end) as is_latest_csat_satisfied,
        max(case when survey_type = 'csat' then responded_at end) as latest_csat_at
    from survey_answers
    where answer_rank = 1
    group by 1
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.industry,
        accounts.employee_count,
        accounts.size_band,
        accounts.annual_revenue,
        accounts.region,
        accounts.country,
        accounts.tier,
        accounts.owner_user_id,
        users.team as owner_team,
        accounts.created_at,
        accounts.is_customer,
        accounts.subscription_state,
        accounts.current_mrr_usd,
        accounts.acquisition_channel,
        accounts.tenure_days,
        accounts.is_inferred_member,
        segments.rfm_segment,
        segments.rfm_score,
        segments.value_decile,
        profitability.order_count,
        profitability.first_order_date,
        profitability.last_order_date,
        profitability.revenue_usd as lifetime_revenue_usd,
        profitability.gross_margin_usd,
        profitability.customer_margin_usd,
        profitability.margin_pct,
        profitability.historical_clv_usd,
        profitability.predictive_clv_usd,
        profitability.probabilistic_clv_usd,
        profitability.p_alive,
        cast(coalesce(open_pipeline.open_opportunities, 0) as bigint) as open_opportunities,
        cast(
            case when open_pipeline.open_opportunities is null then 0 else open_pipeline.open_pipeline_usd end
            as double
        ) as open_pipeline_usd,
        cast(
            case when open_pipeline.open_opportunities is null then 0 else open_pipeline.weighted_pipeline_usd end
            as double
        ) as weighted_pipeline_usd,
        last_touches.last_touch_at,
        last_touches.last_touch_category,
        last_touches.last_touch_type,
        last_touches.days_since_last_touch,
        health.open_tickets,
        health.open_escalated_tickets,
        cast(latest_surveys.latest_nps_score as double) as latest_nps_score,
        latest_surveys.latest_nps_class,
        latest_surveys.latest_nps_at,
        cast(latest_surveys.latest_csat_score as double) as latest_csat_score,
        latest_surveys.is_latest_csat_satisfied,
        latest_surveys.latest_csat_at,
        health.health_score,
        health.risk_tier,
        health.churn_risk_score,
        at_risk.account_id is not null as is_at_risk_high_value,
        at_risk.outreach_rank,
        offers.product_id as next_best_offer_product_id,
        offers.product_name as next_best_offer_product_name,
        offers.offer_type as next_best_offer_type,
        clusters.cluster_id as behaviour_cluster_id,
        clusters.cluster_label as behaviour_cluster_label
    from accounts
    left join users
        on accounts.owner_user_id = users.user_id
    left join segments
        on accounts.account_id = segments.account_id
    left join profitability
        on accounts.account_id = profitability.account_id
    left join open_pipeline
        on accounts.account_id = open_pipeline.account_id
    left join last_touches
        on accounts.account_id = last_touches.account_id
    left join health
        on accounts.account_id = health.account_id
    left join at_risk
        on accounts.account_id = at_risk.account_id
    left join latest_surveys
        on accounts.account_id = latest_surveys.account_id
    left join offers
        on accounts.account_id = offers.account_id
    left join clusters
        on accounts.account_id = clusters.account_id
)

select * from final
