{#- Where every raw row went, per entity:
        raw_rows = valid_rows + flagged_rows + quarantined_rows + exact_duplicates_collapsed.
    valid_rows are kept as they arrived, flagged_rows are kept with at least one value mended (listed in
    data_quality__value_issues). Each term is counted in a different layer (raw extract, staging, validated,
    quarantine), so a row dropped or doubled anywhere on the way shows up as is_balanced = false.
    preflight_rows: the records pre-flight counted in the entity's file (env CRM_PREFLIGHT_ROW_COUNTS, which the
    build driver passes, or var crm_preflight_row_counts; null without either). A file the engine reads short (a line taken for a comment, a record
    lost to a quoting guess) is unbalanced too, and stops the build (tests/data_quality/assert_raw_files_read_whole).
    export_rows_excluded: rows of a CRM export's tables that the adapter left out before the contract (deleted,
    merged, inactive history versions; data_quality__source_row_accounting), 0 for a contract extract. -#}
{%- set preflight_counts = crm_preflight_row_counts() %}
with
{%- for entity in crm_entities() %}

    {{ entity }}_raw as (

        select * from {{ crm_raw(entity) }}

    ),

    {{ entity }}_base as (

        select * from {{ ref('base_crm__' ~ entity) }}

    ),

    {{ entity }}_validated as (

        select * from {{ ref('int_' ~ entity ~ '_validated') }}

    ),
{%- endfor %}

quarantine as (

    select * from {{ ref('quarantine') }}

),

value_issues as (

    select * from {{ ref('data_quality__value_issues') }}

),

source_rows as (

    select * from {{ ref('data_quality__source_row_accounting') }}

),

export_exclusions as (

    select
        entity,
        sum(rows_excluded) as export_rows_excluded
    from source_rows
    group by 1

),

raw_counts as (
    {%- for entity in crm_entities() %}

        select
            '{{ entity }}' as entity,
            count(*) as raw_rows,
            cast({{ preflight_counts.get(entity, 'null') }} as {{ dbt.type_bigint() }}) as preflight_rows
        from {{ entity }}_raw
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

base_counts as (
    {%- for entity in crm_entities() %}

        select
            '{{ entity }}' as entity,
            coalesce(sum(case when _dup_rank > 1 then 1 else 0 end), 0) as exact_duplicates_collapsed,
            coalesce(sum(case when _dup_rank = 1 and _key_rank > 1 then 1 else 0 end), 0) as superseded_versions
        from {{ entity }}_base
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

validated_counts as (
    {%- for entity in crm_entities() %}

        select
            '{{ entity }}' as entity,
            coalesce(sum(case when is_valid then 0 else 1 end), 0) as invalid_rows,
            coalesce(sum(case when is_valid and not has_value_issues then 1 else 0 end), 0) as valid_rows,
            coalesce(sum(case when has_value_issues then 1 else 0 end), 0) as flagged_rows
        from {{ entity }}_validated
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

reason_counts as (

    select
        entity,
        reason,
        count(*) as reason_rows
    from quarantine
    group by 1, 2

),

quarantine_counts as (

    select
        entity,
        sum(reason_rows) as quarantined_rows,
        {{ dbt.listagg(
            dbt.concat(['reason', "': '", 'cast(reason_rows as ' ~ dbt.type_string() ~ ')']),
            "', '",
            'order by reason_rows desc, reason',
            var('quarantine_top_reasons', 3)
        ) }} as top_reasons
    from reason_counts
    group by 1

),

flag_counts as (

    select
        entity,
        rule,
        column_name,
        count(*) as flag_rows
    from value_issues
    group by 1, 2, 3

),

top_flags as (

    select
        entity,
        sum(flag_rows) as flagged_values,
        {{ dbt.listagg(
            dbt.concat(['rule', "'('", 'column_name', "'): '", 'cast(flag_rows as ' ~ dbt.type_string() ~ ')']),
            "', '",
            'order by flag_rows desc, rule, column_name',
            var('quarantine_top_reasons', 3)
        ) }} as top_flags
    from flag_counts
    group by 1

),

final as (

    select
        raw_counts.entity,
        cast(raw_counts.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        raw_counts.preflight_rows,
        cast(base_counts.exact_duplicates_collapsed as {{ dbt.type_bigint() }}) as exact_duplicates_collapsed,
        cast(base_counts.superseded_versions as {{ dbt.type_bigint() }}) as superseded_versions,
        cast(validated_counts.invalid_rows as {{ dbt.type_bigint() }}) as invalid_rows,
        cast(coalesce(quarantine_counts.quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(validated_counts.valid_rows as {{ dbt.type_bigint() }}) as valid_rows,
        cast(validated_counts.flagged_rows as {{ dbt.type_bigint() }}) as flagged_rows,
        cast(coalesce(top_flags.flagged_values, 0) as {{ dbt.type_bigint() }}) as flagged_values,
        coalesce({{ safe_divide('quarantine_counts.quarantined_rows', 'raw_counts.raw_rows') }}, 0)
            as quarantine_share,
        coalesce({{ safe_divide('validated_counts.flagged_rows', 'raw_counts.raw_rows') }}, 0) as flagged_share,
        raw_counts.raw_rows = validated_counts.valid_rows
        + validated_counts.flagged_rows
        + coalesce(quarantine_counts.quarantined_rows, 0)
        + base_counts.exact_duplicates_collapsed
        and coalesce(raw_counts.raw_rows = raw_counts.preflight_rows, true) as is_balanced,
        quarantine_counts.top_reasons,
        top_flags.top_flags,
        cast(coalesce(export_exclusions.export_rows_excluded, 0) as {{ dbt.type_bigint() }}) as export_rows_excluded
    from raw_counts
    inner join base_counts on raw_counts.entity = base_counts.entity
    inner join validated_counts on raw_counts.entity = validated_counts.entity
    left join quarantine_counts on raw_counts.entity = quarantine_counts.entity
    left join top_flags on raw_counts.entity = top_flags.entity
    left join export_exclusions on raw_counts.entity = export_exclusions.entity

)

select * from final
