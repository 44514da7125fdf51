{#- Every raw row is accounted for: raw_rows = valid_rows + flagged_rows + quarantined_rows +
    exact_duplicates_collapsed, the quarantine holds exactly the superseded versions and the invalid rows, and a
    row is flagged exactly when data_quality__value_issues lists at least one of its values. Returns the entities that do not
    balance (a row dropped or doubled somewhere between the extract and the validated layer). -#}
with

row_accounting as (

    select * from {{ ref('data_quality__row_accounting') }}

),

unbalanced as (

    select
        entity,
        raw_rows,
        valid_rows,
        flagged_rows,
        flagged_values,
        quarantined_rows,
        exact_duplicates_collapsed,
        superseded_versions,
        invalid_rows
    from row_accounting
    where
        not is_balanced
        or quarantined_rows != superseded_versions + invalid_rows
        or flagged_values < flagged_rows
        or (flagged_values > 0) != (flagged_rows > 0)

)

select * from unbalanced
