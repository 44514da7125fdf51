-- depends_on: {{ ref('stg_crm__users') }}
{{ validate_entity('accounts') }}
