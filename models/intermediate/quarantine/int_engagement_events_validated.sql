-- depends_on: {{ ref('stg_crm__contacts') }}
-- depends_on: {{ ref('stg_crm__leads') }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__campaigns') }}
{{ validate_entity('engagement_events') }}
