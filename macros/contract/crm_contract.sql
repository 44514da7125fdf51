{#- The raw contract (source `crm` in models/staging/crm/_crm__sources.yml) as seen from Jinja.

    crm_entities(): the entity names, in contract order. dbt resolves ref() at parse time, before the sources
    YAML is read, so models that loop over every entity need this list as a literal; at run time it is checked
    against the contract so the two cannot drift apart silently.

    crm_contract_entity(entity): {name, primary_key: [columns], updated_at, columns: [{name, column, meta}]}
    where `column` is the staged column name (PII arrives as <name>_hash). Only available when executing. -#}

{% macro crm_entities() -%}
    {%- set entities = [
        'accounts', 'contacts', 'users', 'quotas', 'leads', 'campaigns', 'acquisition_costs', 'opportunities',
        'opportunity_stage_history', 'activities', 'products', 'orders', 'order_items', 'fx_rates',
        'subscriptions', 'tickets', 'service_calls', 'survey_responses', 'engagement_events', 'crm_logins'
    ] -%}
    {%- if execute -%}
        {%- set in_contract = graph.sources.values() | selectattr('source_name', 'equalto', 'crm')
            | map(attribute='name') | list -%}
        {%- if in_contract | sort != entities | sort -%}
            {{ exceptions.raise_compiler_error(
                "crm_entities() lists " ~ (entities | sort) ~ " but the raw contract (source crm) has "
                ~ (in_contract | sort) ~ ": update macros/contract/crm_contract.sql") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(entities) }}
{%- endmacro %}

{% macro crm_contract_entity(entity) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tables = graph.sources.values() | selectattr('source_name', 'equalto', 'crm')
        | selectattr('name', 'equalto', entity) | list -%}
    {%- if tables | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "'" ~ entity ~ "' is not an entity of the raw contract (models/staging/crm/_crm__sources.yml)") }}
    {%- endif -%}
    {%- set table = tables[0] -%}
    {%- set primary_key = table.meta.primary_key -%}
    {%- set columns = [] -%}
    {%- for column in table.columns.values() -%}
        {%- set meta = column.meta -%}
        {%- do columns.append({
            'name': column.name,
            'column': column.name ~ ('_hash' if meta.logical_type == 'pii' else ''),
            'meta': meta,
        }) -%}
    {%- endfor -%}
    {{ return({
        'name': entity,
        'primary_key': [primary_key] if primary_key is string else primary_key,
        'updated_at': table.meta.get('updated_at'),
        'columns': columns,
    }) }}
{%- endmacro %}
