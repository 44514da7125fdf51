-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__opportunities') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('orders') }}
