-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__users') }}
-- depends_on: {{ ref('stg_crm__leads') }}
-- depends_on: {{ ref('stg_crm__campaigns') }}
-- depends_on: {{ ref('stg_crm__products') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('opportunities') }}
