-- Behaviour clusters: one row per customer account with its k-means cluster (int_account_behaviour_clustered,
-- Python: crm_warehouse.analytics.clusters) and the behavioural features it was grouped on
-- (int_account_behaviour_summarised). cluster_id 1 is the cluster with the highest mean standardised revenue.
with features as (
    select * from {{ ref('int_account_behaviour_summarised') }}
),

clustered as (
    select * from {{ ref('int_account_behaviour_clustered') }}
),

final as (
    select
        cast(features.account_id as varchar) as account_id,
        cast(features.account_name as varchar) as account_name,
        cast(features.tier as varchar) as tier,
        cast(clustered.cluster_id as integer) as cluster_id,
        cast(clustered.cluster_label as varchar) as cluster_label,
        cast(clustered.cluster_description as varchar) as cluster_description,
        cast(features.lifetime_revenue_usd as double) as lifetime_revenue_usd,
        cast(features.won_deals as bigint) as won_deals,
        cast(features.activities as bigint) as activities,
        cast(features.engagement_events as bigint) as engagement_events,
        cast(features.tickets as bigint) as tickets,
        cast(features.products as bigint) as products,
        cast(features.tenure_days as bigint) as tenure_days,
        cast(round(clustered.z_lifetime_revenue_usd, 4) as double) as z_lifetime_revenue_usd,
        cast(round(clustered.z_won_deals, 4) as double) as z_won_deals,
        cast(round(clustered.z_activities, 4) as double) as z_activities,
        cast(round(clustered.z_engagement_events, 4) as double) as z_engagement_events,
        cast(round(clustered.z_tickets, 4) as double) as z_tickets,
        cast(round(clustered.z_products, 4) as double) as z_products,
        cast(round(clustered.z_tenure, 4) as double) as z_tenure,
        cast(features.subscription_state as varchar) as subscription_state,
        cast(features.is_churned as boolean) as is_churned,
        cast(clustered.clusters_chosen as integer) as clusters_chosen,
        cast(round(clustered.silhouette_score, 4) as double) as silhouette_score
    from features
    inner join clustered on features.account_id = clustered.account_id
)

select * from final
