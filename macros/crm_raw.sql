{#- The one door to the raw CRM extract: source('crm', <entity>), which dbt-duckdb renders as a read of
    <raw_dir>/<entity>.<csv|parquet> (see meta.external_location in _crm__sources.yml); raw_dir is var crm_raw_dir,
    or the demo extract seeds/demo when it is empty (the demo is never loaded as seed tables: no raw PII in the
    warehouse). A missing file fails the build naming the file, unless the contract marks the entity optional
    (meta.optional): it then reads as an empty relation of text columns and everything downstream builds, empty.
    A required entity the user declares absent (var crm_absent_entities: [<entity>, ...]) comes as a header-only
    file and builds empty the same way; a required entity without rows that is not declared absent stops the
    build (tests/data_quality/assert_required_entities_have_rows). A CSV entity may come gzip-compressed as
    <entity>.csv.gz: it is read with the same options (the source's external_location). -#}
{% macro crm_raw(entity) -%}
    {#- A CRM export (var crm_source, macros/sources/): the entities it fills come from its contract-shaped model;
        the others from a contract file beside the export if the user adds one, else empty (crm_absent_entities
        lists them, so a required entity the CRM does not carry builds empty instead of stopping the build). -#}
    {%- set relation = source('crm', entity) -%}
    {%- set mapped = entity in crm_source_filled_entities() -%}
    {%- if not execute -%}
        {#- A mapped entity depends on both: its adapter model, and the contract file that may replace it. -#}
        {{- return(ref('int_' ~ entity ~ '_from_' ~ crm_source()) if mapped else relation) -}}
    {%- endif -%}
    {%- set table = crm_source_table(entity) -%}
    {%- set path = table.meta.raw_dir ~ '/' ~ entity ~ '.' ~ table.meta.raw_format -%}
    {%- set file_columns = crm_raw_file_columns(path, relation) -%}
    {#- A contract file <entity>.csv|parquet beside a CRM export replaces the adapter's mapping of that entity, e.g.
        products with the list prices and unit costs Salesforce does not carry; it is read and checked as in a
        contract build. -#}
    {%- if mapped and file_columns is none -%}
        {{- return(ref('int_' ~ entity ~ '_from_' ~ crm_source())) -}}
    {%- elif mapped -%}
        {{- log('crm_raw: ' ~ entity ~ ' from the contract file ' ~ path ~ ', not from the ' ~ crm_source()
            ~ ' export', info=true) -}}
    {%- endif -%}
    {%- if file_columns is none and table.meta.raw_format == 'csv' -%}
        {%- set gz_relation = (relation | string).replace(path ~ "'", path ~ ".gz'") -%}
        {%- set gz_columns = crm_raw_file_columns(path ~ '.gz', gz_relation) -%}
        {%- if gz_columns is not none -%}
            {%- set relation = gz_relation -%}
            {%- set path = path ~ '.gz' -%}
            {%- set file_columns = gz_columns -%}
        {%- endif -%}
    {%- endif -%}
    {%- if file_columns is none and (table.meta.get('optional', false) or crm_source() != 'contract') -%}
        {{- log('crm_raw: optional entity ' ~ entity ~ ' is absent (' ~ path ~ '): building it empty', info=true) -}}
        {{- return(crm_raw_empty_relation(table)) -}}
    {%- elif file_columns is none -%}
        {{- exceptions.raise_compiler_error(
            'Raw CRM file missing: ' ~ path ~ ' (entity ' ~ entity ~ ' is required by the contract; raw dir '
            ~ table.meta.raw_dir ~ ', crm_raw_format=' ~ table.meta.raw_format
            ~ '). Check the extract with: python -m crm_warehouse.preflight <dir> --format <csv|parquet>'
        ) -}}
    {%- endif -%}
    {%- set missing = table.columns.keys() | reject('in', file_columns) | list -%}
    {%- if missing -%}
        {{- exceptions.raise_compiler_error(
            'Raw CRM file ' ~ path ~ ' lacks contract column(s) ' ~ missing | join(', ')
            ~ ' (its header: ' ~ file_columns | join(', ') ~ '). Check the extract with: '
            ~ 'python -m crm_warehouse.preflight <dir> --format <csv|parquet>'
        ) -}}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}


{#- The contract's source node of an entity (columns with meta, table meta merged with the source's). -#}
{% macro crm_source_table(entity) -%}
    {%- set key = 'source.' ~ project_name ~ '.crm.' ~ entity -%}
    {%- if key not in graph.sources -%}
        {{- exceptions.raise_compiler_error('Entity ' ~ entity ~ ' is not in the raw contract (source crm)') -}}
    {%- endif -%}
    {{- return(graph.sources[key]) -}}
{%- endmacro %}


{#- The column names of an extract file as the engine reads it, or none when the file does not exist. -#}
{% macro crm_raw_file_columns(path, relation) -%}
    {{- return(adapter.dispatch('crm_raw_file_columns', 'crm_warehouse')(path, relation)) -}}
{%- endmacro %}

{% macro default__crm_raw_file_columns(path, relation) -%}
    {{- return(adapter.get_columns_in_relation(relation) | map(attribute='name') | list) -}}
{%- endmacro %}

{% macro duckdb__crm_raw_file_columns(path, relation) -%}
    {%- set found = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ relation) -%}
    {{- return(described.columns[0].values() | list) -}}
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


{#- Entities the user declares the extract does not have (var crm_absent_entities: a list, or a JSON/comma text):
    they build empty and their metrics are null, even when the contract requires them. -#}
{% macro crm_absent_entities() -%}
    {%- set value = var('crm_absent_entities', []) -%}
    {%- if value is string -%}
        {%- set text = value | trim -%}
        {%- set value = fromjson(text) if text.startswith('[') else text.split(',') -%}
    {%- endif -%}
    {%- set declared = value | map('string') | map('trim') | reject('equalto', '') | list -%}
    {#- A CRM export carries only the entities its source fills: the others are absent unless a contract file
        beside the export holds their rows (a header-only or missing file builds them empty). -#}
    {%- if crm_source() != 'contract' -%}
        {%- set filled = crm_source_filled_entities() -%}
        {%- for node in graph.sources.values() if node.source_name == 'crm' and node.name not in filled -%}
            {%- do declared.append(node.name) if node.name not in declared -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(declared) -}}
{%- endmacro %}


{#- Pre-flight's record count per entity file (var crm_preflight_row_counts: a mapping or its JSON text; else env
    CRM_PREFLIGHT_ROW_COUNTS, the JSON the build driver passes): {entity: rows}. Empty when dbt runs without either.
    The driver passes an env var, not --vars: dbt re-parses the whole project when --vars change, but only the files
    that read an env var when its value changes, so a build of a new extract keeps dbt's partial parsing. -#}
{% macro crm_preflight_row_counts() -%}
    {%- set value = var('crm_preflight_row_counts', {}) or env_var('CRM_PREFLIGHT_ROW_COUNTS', '') -%}
    {%- if value is string -%}
        {%- set value = fromjson(value) if value | trim else {} -%}
    {%- endif -%}
    {%- set counts = {} -%}
    {%- for entity, rows in (value or {}).items() -%}
        {%- do counts.update({entity | string: rows | int}) -%}
    {%- endfor -%}
    {{- return(counts) -}}
{%- endmacro %}
