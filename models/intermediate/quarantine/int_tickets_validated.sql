-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__contacts') }}
-- depends_on: {{ ref('stg_crm__users') }}
{{ validate_entity('tickets') }}
