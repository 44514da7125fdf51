{#- Two funnels per cohort month, one row per step:
      opportunity_stages: opportunities by month of creation, share that entered stage k and LATER entered k+1
                          (from fct_opportunity_stage_transitions; skipping a stage is not advancing).
      lead_to_won:        leads by month of creation: new -> qualified -> converted to opportunity -> won. -#}
{%- set steps = [
    ('opportunity_stages', 1, 'prospecting'),
    ('opportunity_stages', 2, 'qualification'),
    ('opportunity_stages', 3, 'demo'),
    ('opportunity_stages', 4, 'proposal'),
    ('opportunity_stages', 5, 'negotiation'),
    ('opportunity_stages', 6, 'closed_won'),
    ('lead_to_won', 1, 'new_lead'),
    ('lead_to_won', 2, 'qualified'),
    ('lead_to_won', 3, 'converted_to_opportunity'),
    ('lead_to_won', 4, 'won'),
] -%}

with opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

transitions as (
    select * from {{ ref('fct_opportunity_stage_transitions') }}
),

leads as (
    select * from {{ ref('int_leads_enriched') }}
),

step_catalogue as (
    {%- for funnel, step_order, step_name in steps %}
        select
            '{{ funnel }}' as funnel,
            {{ step_order }} as step_order,
            '{{ step_name }}' as step_name,
            {% if loop.last or steps[loop.index][0] != funnel -%}
                cast(null as {{ dbt.type_string() }})
            {%- else -%}
                '{{ steps[loop.index][2] }}'
            {%- endif %} as next_step_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

cohorts as (
    select
        'opportunity_stages' as funnel,
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as cohort_month,
        count(*) as cohort_size
    from opportunities
    group by 1, 2
    union all
    select
        'lead_to_won' as funnel,
        created_month as cohort_month,
        count(*) as cohort_size
    from leads
    group by 1, 2
),

stage_entries as (
    -- first and last entry of each funnel stage per opportunity (a reopened deal can enter a stage twice)
    select
        transitions.opportunity_id,
        step_catalogue.step_order,
        min(transitions.entered_at) as first_entered_at,
        max(transitions.entered_at) as last_entered_at
    from transitions
    inner join step_catalogue
        on
            transitions.stage = step_catalogue.step_name
            and step_catalogue.funnel = 'opportunity_stages'
    group by 1, 2
),

opportunity_steps as (
    select
        'opportunity_stages' as funnel,
        cast({{ dbt.date_trunc('month', 'opportunities.created_date') }} as date) as cohort_month,
        current_stage.step_order,
        current_stage.opportunity_id as entity_id,
        coalesce(next_stage.last_entered_at >= current_stage.first_entered_at, false) as advanced
    from stage_entries as current_stage
    inner join opportunities
        on current_stage.opportunity_id = opportunities.opportunity_id
    left join stage_entries as next_stage
        on
            current_stage.opportunity_id = next_stage.opportunity_id
            and current_stage.step_order + 1 = next_stage.step_order
),

lead_flags as (
    -- nested steps: each step requires the previous one
    select
        lead_id,
        created_month,
        is_qualified as reached_qualified,
        is_qualified and is_converted as reached_converted,
        is_qualified and is_converted and has_won_opportunity as reached_won
    from leads
),

lead_steps as (
    select
        'lead_to_won' as funnel,
        created_month as cohort_month,
        1 as step_order,
        lead_id as entity_id,
        reached_qualified as advanced
    from lead_flags
    union all
    select
        'lead_to_won' as funnel,
        created_month as cohort_month,
        2 as step_order,
        lead_id as entity_id,
        reached_converted as advanced
    from lead_flags
    where reached_qualified
    union all
    select
        'lead_to_won' as funnel,
        created_month as cohort_month,
        3 as step_order,
        lead_id as entity_id,
        reached_won as advanced
    from lead_flags
    where reached_converted
    union all
    select
        'lead_to_won' as funnel,
        created_month as cohort_month,
        4 as step_order,
        lead_id as entity_id,
        false as advanced
    from lead_flags
    where reached_won
),

all_steps as (
    select * from opportunity_steps
    union all
    select * from lead_steps
),

step_counts as (
    select
        funnel,
        cohort_month,
        step_order,
        count(distinct entity_id) as entered_count,
        count(distinct case when advanced then entity_id end) as advanced_count
    from all_steps
    group by 1, 2, 3
),

final as (
    select
        cohorts.funnel,
        cohorts.cohort_month,
        step_catalogue.step_order,
        step_catalogue.step_name,
        step_catalogue.next_step_name,
        cohorts.cohort_size,
        coalesce(step_counts.entered_count, 0) as entered_count,
        case
            when step_catalogue.next_step_name is not null then coalesce(step_counts.advanced_count, 0)
        end as advanced_count,
        case
            when step_catalogue.next_step_name is not null
                then {{ safe_divide('step_counts.advanced_count', 'step_counts.entered_count') }}
        end as step_conversion_rate,
        {{ safe_divide('coalesce(step_counts.entered_count, 0)', 'cohorts.cohort_size') }} as share_of_cohort
    from cohorts
    inner join step_catalogue
        on cohorts.funnel = step_catalogue.funnel
    left join step_counts
        on
            cohorts.funnel = step_counts.funnel
            and cohorts.cohort_month = step_counts.cohort_month
            and step_catalogue.step_order = step_counts.step_order
)

select * from final
