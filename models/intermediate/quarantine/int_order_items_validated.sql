-- depends_on: {{ ref('stg_crm__orders') }}
-- depends_on: {{ ref('stg_crm__products') }}
{{ validate_entity('order_items') }}
