{#- The CRM a build reads (var crm_source, env CRM_SOURCE): contract (the raw contract's files, the default),
    salesforce or hubspot (a Fivetran export, mapped onto the contract's entities by models/intermediate/<source>/).
    Any other value stops the build naming the allowed values. -#}
{% macro crm_source() -%}
    {%- set value = (var('crm_source', 'contract') or 'contract') | string | trim | lower -%}
    {%- set allowed = ['contract'] + (crm_source_entities().keys() | list) -%}
    {%- if value not in allowed -%}
        {{- exceptions.raise_compiler_error(
            'crm_source (env CRM_SOURCE) is ' ~ value ~ '; allowed values: ' ~ allowed | join(', ')
        ) -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}


{#- The ONE list of the contract entities each CRM source fills: {source: [entity, ...]}. For a listed entity
    crm_raw(entity) reads ref('int_<entity>_from_<source>') (exactly the contract's columns, every value text),
    unless a contract file <entity>.csv|parquet beside the export replaces it; every other entity is read from such
    a contract file when the user adds one, else it builds empty. Add an entity here only together with its int_<entity>_from_<source> model. -#}
{% macro crm_source_entities() -%}
    {{- return({
        'salesforce': [
            'accounts', 'contacts', 'leads', 'opportunities', 'opportunity_stage_history', 'activities', 'users',
            'products', 'orders', 'order_items',
        ],
        'hubspot': [
            'accounts', 'contacts', 'opportunities', 'opportunity_stage_history', 'activities', 'users', 'tickets',
            'engagement_events',
        ],
    }) -}}
{%- endmacro %}


{#- The contract entities the chosen source fills (none for the contract itself). -#}
{% macro crm_source_filled_entities() -%}
    {%- set source_name = crm_source() -%}
    {{- return(crm_source_entities().get(source_name, [])) -}}
{%- endmacro %}
