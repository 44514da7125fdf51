-- Per customer, the top var next_best_offer_top_n products it does not own yet, for upsell and cross-sell.
-- Candidates: every catalogue product the customer never bought in a completed order, except lower or equal tiers
-- of a family it already owns (nobody is offered a downgrade). offer_type: upsell = a higher tier of an owned
-- family, cross_sell = a family it never bought.
-- Ranking: best lift from any owned product to the candidate (int_product_pairs_scored; pairs below
-- affinity_min_support do not count, a candidate without a rule ranks after those with one), then the share of
-- customers of the same RFM segment who own the candidate, then product_id.
with segments as (
    select * from {{ ref('int_account_segments_assigned') }}
),

order_items as (
    select * from {{ ref('int_order_items_classified') }}
),

products as (
    select * from {{ ref('dim_products') }}
    -- an inferred member is an unknown product id, not a catalogue product to offer
    where not is_inferred_member
),

pairs as (
    select * from {{ ref('int_product_pairs_scored') }}
),

ownership as (
    select distinct
        account_id,
        product_id
    from order_items
),

family_ownership as (
    select
        account_id,
        product_family,
        max(tier_rank) as max_owned_tier_rank
    from order_items
    group by 1, 2
),

segment_sizes as (
    select
        rfm_segment,
        count(*) as segment_customers
    from segments
    group by 1
),

segment_owners as (
    select
        segments.rfm_segment,
        ownership.product_id,
        count(*) as owning_customers
    from ownership
    inner join segments
        on ownership.account_id = segments.account_id
    group by 1, 2
),

candidates as (
    select
        segments.account_id,
        segments.rfm_segment,
        products.product_id,
        products.product_name,
        products.product_family,
        products.tier,
        case when family_ownership.product_family is null then 'cross_sell' else 'upsell' end as offer_type
    from segments
    cross join products
    left join ownership
        on
            segments.account_id = ownership.account_id
            and products.product_id = ownership.product_id
    left join family_ownership
        on
            segments.account_id = family_ownership.account_id
            and products.product_family = family_ownership.product_family
    where
        ownership.product_id is null
        and (family_ownership.product_family is null or products.tier_rank > family_ownership.max_owned_tier_rank)
),

affinity as (
    select
        ownership.account_id,
        pairs.consequent_product_id as product_id,
        max(pairs.lift) as best_lift,
        max(pairs.confidence) as best_confidence
    from ownership
    inner join pairs
        on ownership.product_id = pairs.antecedent_product_id
    group by 1, 2
),

scored as (
    select
        candidates.*,
        affinity.best_lift,
        affinity.best_confidence,
        {{ safe_divide('coalesce(segment_owners.owning_customers, 0)', 'segment_sizes.segment_customers') }}
            as segment_popularity
    from candidates
    left join affinity
        on
            candidates.account_id = affinity.account_id
            and candidates.product_id = affinity.product_id
    left join segment_owners
        on
            candidates.rfm_segment = segment_owners.rfm_segment
            and candidates.product_id = segment_owners.product_id
    left join segment_sizes
        on candidates.rfm_segment = segment_sizes.rfm_segment
),

ranked as (
    select
        scored.*,
        row_number() over (
            partition by scored.account_id
            order by
                case when scored.best_lift is null then 1 else 0 end,
                scored.best_lift desc,
                scored.segment_popularity desc,
                scored.product_id asc
        ) as offer_rank
    from scored
),

final as (
    select
        account_id,
        cast(offer_rank as {{ dbt.type_int() }}) as offer_rank,
        product_id,
        product_name,
        product_family,
        tier as product_tier,
        offer_type,
        rfm_segment,
        cast(best_lift as double) as best_lift,
        cast(best_confidence as double) as best_confidence,
        cast(segment_popularity as double) as segment_popularity
    from ranked
    where offer_rank <= {{ var('next_best_offer_top_n') }}
)

select * from final
