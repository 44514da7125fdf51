-- Every raw fx_rates row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
{{ crm_base_model('fx_rates') }}
