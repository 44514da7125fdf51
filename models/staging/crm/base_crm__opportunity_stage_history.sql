-- Every raw opportunity_stage_history row, typed, with the bookkeeping columns (see macros/staging/crm_base_model.sql).
{{ crm_base_model('opportunity_stage_history') }}
