-- Every raw service_calls row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
{{ crm_base_model('service_calls') }}
