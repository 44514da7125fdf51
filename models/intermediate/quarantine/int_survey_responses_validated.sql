-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__contacts') }}
-- depends_on: {{ ref('stg_crm__tickets') }}
{{ validate_entity('survey_responses') }}
