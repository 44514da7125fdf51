{{ validate_entity('fx_rates') }}
