{{ as_of_date_depends_on() }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_crm__users') }}
{{ validate_entity('contacts') }}
