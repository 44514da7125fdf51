{{ as_of_date_depends_on() }}
{{ validate_entity('products') }}
