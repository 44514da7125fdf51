{#- The one door to the raw CRM extract.
    var crm_raw_dir empty (default): the demo seed ref('<entity>') (seeds/demo/<entity>.csv, all columns text).
    Otherwise source('crm', <entity>), which dbt-duckdb renders as a read of <crm_raw_dir>/<entity>.<csv|parquet>
    (see meta.external_location in _crm__sources.yml). A missing file fails the build naming the file, unless
    the contract marks the entity optional (meta.optional): it then reads as an empty relation of text columns
    and everything downstream builds, empty. -#}
{% macro crm_raw(entity) -%}
    {%- if (var('crm_raw_dir', '') | string | trim) == '' -%}
        {{- return(ref(entity)) -}}
    {%- endif -%}
    {%- set relation = source('crm', entity) -%}
    {%- if not execute -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set table = crm_source_table(entity) -%}
    {%- set path = table.meta.raw_dir ~ '/' ~ entity ~ '.' ~ table.meta.raw_format -%}
    {%- if crm_raw_file_exists(path) -%}
        {{- return(relation) -}}
    {%- elif table.meta.get('optional', false) -%}
        {{- log('crm_raw: optional entity ' ~ entity ~ ' is absent (' ~ path ~ '): building it empty', info=true) -}}
        {{- return(crm_raw_empty_relation(table)) -}}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            'Raw CRM file missing: ' ~ path ~ ' (entity ' ~ entity ~ ' is required by the contract; crm_raw_dir='
            ~ var('crm_raw_dir') ~ ', crm_raw_format=' ~ table.meta.raw_format
            ~ '). Check the extract with: python -m crm_warehouse.preflight <dir>'
        ) -}}
    {%- endif -%}
{%- endmacro %}


{#- The contract's source node of an entity (columns with meta, table meta merged with the source's). -#}
{% macro crm_source_table(entity) -%}
    {%- set key = 'source.' ~ project_name ~ '.crm.' ~ entity -%}
    {%- if key not in graph.sources -%}
        {{- exceptions.raise_compiler_error('Entity ' ~ entity ~ ' is not in the raw contract (source crm)') -}}
    {%- endif -%}
    {{- return(graph.sources[key]) -}}
{%- endmacro %}


{#- Whether an extract file exists. Asks the engine, so a path on object storage works too. -#}
{% macro crm_raw_file_exists(path) -%}
    {{- return(adapter.dispatch('crm_raw_file_exists', 'crm_warehouse')(path)) -}}
{%- endmacro %}

{% macro default__crm_raw_file_exists(path) -%}
    {{- return(true) -}}
{%- endmacro %}

{% macro duckdb__crm_raw_file_exists(path) -%}
    {%- set found = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}


{#- An absent optional entity: no rows, every contract column as text, like a file would read. -#}
{% macro crm_raw_empty_relation(table) -%}
    (
        select
        {%- for column in table.columns.values() %}
            cast(null as {{ dbt.type_string() }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
        where 1 = 0
    )
{%- endmacro %}
