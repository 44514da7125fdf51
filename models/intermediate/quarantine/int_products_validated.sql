{{ validate_entity('products') }}
