{#- Model-level test on data_quality__row_accounting: warns when an entity has more than warn_share of its raw
    rows in quarantine (var quarantine_warn_share) and fails, stopping the build, above error_share (var
    quarantine_error_share) with at least error_min_rows quarantined rows (var quarantine_error_min_rows; fewer only
    warn): a broken extract. Each offending entity is also logged with its top reasons.
    Failing rows carry threshold_level 1 (warn) or 2 (error); fail_calc takes the worst of them. -#}
{% test quarantine_share_within_thresholds(model, warn_share=none, error_share=none, error_min_rows=none) %}
    {{ config(fail_calc='coalesce(max(threshold_level), 0)', warn_if='>= 1', error_if='>= 2') }}
    {%- set warn_share = var('quarantine_warn_share') if warn_share is none else warn_share -%}
    {%- set error_share = var('quarantine_error_share') if error_share is none else error_share -%}
    {%- set error_min_rows = var('quarantine_error_min_rows') if error_min_rows is none else error_min_rows -%}

    {#- Compiling without a build (dbt compile, dbt docs generate on a fresh warehouse) has no table to read yet. -#}
    {%- if execute and load_relation(model) is not none -%}
        {%- set offenders = run_query(
            'select entity, quarantine_share, quarantined_rows, raw_rows, top_reasons from ' ~ model
            ~ ' where quarantine_share > ' ~ warn_share ~ ' order by quarantine_share desc') -%}
        {%- for row in offenders.rows -%}
            {%- set stops = row['quarantine_share'] > error_share and row['quarantined_rows'] >= error_min_rows -%}
            {%- do exceptions.warn(
                'Quarantine share of ' ~ row['entity'] ~ ' is ' ~ '%.1f' | format(row['quarantine_share'] * 100)
                ~ '% (' ~ row['quarantined_rows'] ~ ' of ' ~ row['raw_rows'] ~ ' rows; '
                ~ ('error' if stops else 'warning') ~ ' above '
                ~ ('%g' | format((error_share if row['quarantine_share'] > error_share else warn_share) * 100)) ~ '%'
                ~ ('' if stops or row['quarantine_share'] <= error_share
                    else ', fewer than ' ~ error_min_rows ~ ' rows (quarantine_error_min_rows)')
                ~ '). Top reasons: ' ~ row['top_reasons']
                ~ '. Inspect: select * from quarantine where entity = \'' ~ row['entity'] ~ '\'') -%}
        {%- endfor -%}
    {%- endif %}

with

offending_entities as (

    select
        entity,
        quarantine_share,
        top_reasons,
        case
            when quarantine_share > {{ error_share }} and quarantined_rows >= {{ error_min_rows }} then 2
            else 1
        end as threshold_level
    from {{ model }}
    where quarantine_share > {{ warn_share }}

)

select * from offending_entities

{% endtest %}
