-- depends_on: {{ ref('stg_crm__campaigns') }}
-- depends_on: {{ ref('stg_crm__users') }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__opportunities') }}
{{ validate_entity('leads') }}
