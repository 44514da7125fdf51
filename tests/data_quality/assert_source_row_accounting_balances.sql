-- Every row read from a CRM export's table is either excluded (deleted, inactive history, merged) or mapped
-- onto the contract: a row returned here is a source table whose counts do not add up.
select
    crm_source,
    source_table,
    entity,
    rows_read,
    rows_excluded,
    rows_mapped
from {{ ref('data_quality__source_row_accounting') }}
where rows_read is null or rows_excluded is null or rows_mapped is null or rows_read != rows_excluded + rows_mapped
