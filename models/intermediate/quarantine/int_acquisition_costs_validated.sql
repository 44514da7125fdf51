-- depends_on: {{ ref('stg_crm__campaigns') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('acquisition_costs') }}
