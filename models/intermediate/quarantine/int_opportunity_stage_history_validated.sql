-- depends_on: {{ ref('stg_crm__opportunities') }}
{{ validate_entity('opportunity_stage_history') }}
