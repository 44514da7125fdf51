-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__products') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('subscriptions') }}
