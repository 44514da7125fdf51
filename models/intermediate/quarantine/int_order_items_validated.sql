{{ as_of_date_depends_on() }}
-- depends_on: {{ ref('stg_crm__orders') }}
-- depends_on: {{ ref('stg_crm__products') }}
{{ validate_entity('order_items') }}
