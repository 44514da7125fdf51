-- Behaviour cluster profiles: one row per cluster of behaviour_clusters: its size, revenue, churn, the products
-- most of its accounts hold, its standardised centroid (mean z-score of each feature over its accounts) and the
-- plain-words description built from that centroid (features at least 0.5 standard deviations from the average
-- customer, strongest first; crm_warehouse.analytics.clusters.describe).
with clusters as (
    select * from {{ ref('behaviour_clusters') }}
),

clustered as (
    select * from {{ ref('int_account_behaviour_clustered') }}
),

held_products as (
    select * from {{ ref('int_account_products_held') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

customer_totals as (
    select count(*) as customers
    from clusters
),

cluster_totals as (
    select
        cluster_id,
        any_value(cluster_label) as cluster_label,
        any_value(cluster_description) as cluster_description,
        count(*) as account_count,
        sum(lifetime_revenue_usd) as lifetime_revenue_usd,
        avg(lifetime_revenue_usd) as avg_lifetime_revenue_usd,
        sum(case when is_churned then 1 else 0 end) as churned_accounts,
        avg(won_deals) as avg_won_deals,
        avg(activities) as avg_activities,
        avg(engagement_events) as avg_engagement_events,
        avg(tickets) as avg_tickets,
        avg(products) as avg_products,
        avg(tenure_days) as avg_tenure_days,
        avg(z_lifetime_revenue_usd) as centroid_z_lifetime_revenue_usd,
        avg(z_won_deals) as centroid_z_won_deals,
        avg(z_activities) as centroid_z_activities,
        avg(z_engagement_events) as centroid_z_engagement_events,
        avg(z_tickets) as centroid_z_tickets,
        avg(z_products) as centroid_z_products,
        avg(z_tenure) as centroid_z_tenure,
        any_value(clusters_chosen) as clusters_chosen,
        any_value(silhouette_score) as silhouette_score
    from clusters
    group by 1
),

silhouettes as (
    select any_value(silhouette_by_k) as silhouette_by_k
    from clustered
),

product_holders as (
    select
        clusters.cluster_id,
        coalesce(products.product_name, held_products.product_id) as product_name,
        count(distinct clusters.account_id) as holders
    from clusters
    inner join held_products on clusters.account_id = held_products.account_id
    left join products on held_products.product_id = products.product_id
    group by 1, 2
),

ranked_products as (
    select
        cluster_id,
        product_name,
        holders,
        row_number() over (partition by cluster_id order by holders desc, product_name asc) as product_rank
    from product_holders
),

typical_products as (
    select
        cluster_id,
        string_agg(product_name, ', ' order by product_rank) as typical_products
    from ranked_products
    where product_rank <= 3
    group by 1
),

final as (
    select
        cast(cluster_totals.cluster_id as integer) as cluster_id,
        cast(cluster_totals.cluster_label as varchar) as cluster_label,
        cast(cluster_totals.cluster_description as varchar) as cluster_description,
        cast(cluster_totals.account_count as bigint) as account_count,
        cast(round(cluster_totals.account_count / customer_totals.customers, 4) as double) as account_share,
        cast(round(cluster_totals.lifetime_revenue_usd, 2) as double) as lifetime_revenue_usd,
        cast(round(cluster_totals.avg_lifetime_revenue_usd, 2) as double) as avg_lifetime_revenue_usd,
        cast(cluster_totals.churned_accounts as bigint) as churned_accounts,
        cast(round(cluster_totals.churned_accounts / cluster_totals.account_count, 4) as double) as churn_rate,
        cast(typical_products.typical_products as varchar) as typical_products,
        cast(round(cluster_totals.avg_won_deals, 2) as double) as avg_won_deals,
        cast(round(cluster_totals.avg_activities, 2) as double) as avg_activities,
        cast(round(cluster_totals.avg_engagement_events, 2) as double) as avg_engagement_events,
        cast(round(cluster_totals.avg_tickets, 2) as double) as avg_tickets,
        cast(round(cluster_totals.avg_products, 2) as double) as avg_products,
        cast(round(cluster_totals.avg_tenure_days, 1) as double) as avg_tenure_days,
        cast(round(cluster_totals.centroid_z_lifetime_revenue_usd, 4) as double) as centroid_z_lifetime_revenue_usd,
        cast(round(cluster_totals.centroid_z_won_deals, 4) as double) as centroid_z_won_deals,
        cast(round(cluster_totals.centroid_z_activities, 4) as double) as centroid_z_activities,
        cast(round(cluster_totals.centroid_z_engagement_events, 4) as double) as centroid_z_engagement_events,
        cast(round(cluster_totals.centroid_z_tickets, 4) as double) as centroid_z_tickets,
        cast(round(cluster_totals.centroid_z_products, 4) as double) as centroid_z_products,
        cast(round(cluster_totals.centroid_z_tenure, 4) as double) as centroid_z_tenure,
        cast(cluster_totals.clusters_chosen as integer) as clusters_chosen,
        cast(cluster_totals.silhouette_score as double) as silhouette_score,
        cast(silhouettes.silhouette_by_k as varchar) as silhouette_by_k,
        cast(
            format(
                '{:d} accounts ({:.0f}% of customers), average lifetime revenue ${:,.0f}, {:.1f}% churned; {}',
                cluster_totals.account_count,
                100.0 * cluster_totals.account_count / customer_totals.customers,
                coalesce(cluster_totals.avg_lifetime_revenue_usd, 0),
                100.0 * cluster_totals.churned_accounts / cluster_totals.account_count,
                coalesce('typical products ' || typical_products.typical_products, 'no products held')
            ) || '. ' || upper(left(cluster_totals.cluster_description, 1))
            || substr(cluster_totals.cluster_description, 2) || '.'
            as varchar
        ) as profile_summary
    from cluster_totals
    cross join customer_totals
    cross join silhouettes
    left join typical_products on cluster_totals.cluster_id = typical_products.cluster_id
)

select * from final
