{{ as_of_date_depends_on() }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__opportunities') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('orders') }}
