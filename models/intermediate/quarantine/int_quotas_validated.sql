-- depends_on: {{ ref('stg_crm__users') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('quotas') }}
