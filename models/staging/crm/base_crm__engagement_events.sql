-- Every raw engagement_events row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
{{ crm_base_model('engagement_events') }}
