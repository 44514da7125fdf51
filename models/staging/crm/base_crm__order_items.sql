-- Every raw order_items row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
{{ crm_base_model('order_items') }}
