-- Every raw leads row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
-- A table, not a view: its PII hashes come from crm_hmac, which exists only on dbt's connections, and a view
-- would re-read the raw file's personal data at every query.
{{ config(materialized='table') }}
{{ crm_base_model('leads') }}
