-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__tickets') }}
-- depends_on: {{ ref('stg_crm__users') }}
{{ validate_entity('service_calls') }}
