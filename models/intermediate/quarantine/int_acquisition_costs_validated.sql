{{ as_of_date_depends_on() }}
-- depends_on: {{ ref('stg_crm__campaigns') }}
-- depends_on: {{ ref('stg_crm__fx_rates') }}
{{ validate_entity('acquisition_costs') }}
