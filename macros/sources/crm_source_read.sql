{#- The one way a CRM adapter's staging reads a table of its export: {{ crm_source_read('salesforce', 'opportunity') }}
    in a from clause. Every column comes as text, like the contract's files.
    - Files (default): <crm_raw_dir>/<crm_source_file_pattern with {table} filled in>.<csv|parquet> (var
      crm_raw_format), CSV read with the contract's explicit options; e.g. pattern sf_{table}_data for the samples.
    - In place (vars crm_source_database and crm_source_schema both set): "<database>"."<schema>"."<table>", a
      DuckDB database the profile attaches (a Fivetran DuckDB/MotherDuck destination).
    The table must be declared in the source YAML (source(<source>, <table>) keeps the lineage); a table with
    meta.optional that is missing reads as an empty relation of its declared columns; a missing required table
    stops the build naming the file. A declared column with meta.optional that the table lacks reads as null
    (crm_source_optional_columns: a property one portal or org has and another's export leaves out). -#}
{% macro crm_source_read(source_name, table) -%}
    {{- return(adapter.dispatch('crm_source_read', 'crm_warehouse')(source_name, table)) -}}
{%- endmacro %}

{% macro duckdb__crm_source_read(source_name, table) -%}
    {%- set relation = source(source_name, table) -%}
    {%- if not execute -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table] -%}
    {%- set database = var('crm_source_database', '') | string | trim -%}
    {%- set schema = var('crm_source_schema', '') | string | trim -%}
    {%- if database and schema -%}
        {{- return(crm_source_optional_columns(node,
            '(select columns(*)::varchar from "' ~ database ~ '"."' ~ schema ~ '"."' ~ table ~ '")')) -}}
    {%- endif -%}
    {%- set raw_dir = (var('crm_raw_dir', '') | string | trim).rstrip('/') -%}
    {%- set fmt = var('crm_raw_format', 'csv') | string | trim -%}
    {%- set pattern = var('crm_source_file_pattern', '{table}') | string | trim or '{table}' -%}
    {%- set path = raw_dir ~ '/' ~ pattern.replace('{table}', table) ~ '.' ~ fmt -%}
    {%- set found = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {%- if node.meta.get('optional', false) -%}
            {{- log('crm_source_read: optional ' ~ source_name ~ ' table ' ~ table ~ ' is absent (' ~ path
                ~ '): reading it empty', info=true) -}}
            {{- return(crm_raw_empty_relation(node)) -}}
        {%- endif -%}
        {{- exceptions.raise_compiler_error(
            source_name ~ ' table ' ~ table ~ ' missing: ' ~ path ~ ' (crm_raw_dir ' ~ raw_dir
            ~ ', crm_source_file_pattern ' ~ pattern ~ ', crm_raw_format ' ~ fmt ~ ')'
        ) -}}
    {%- endif -%}
    {%- set quoted = path | replace("'", "''") -%}
    {%- if fmt == 'parquet' -%}
        {{- return(crm_source_optional_columns(node,
            "(select columns(*)::varchar from read_parquet('" ~ quoted ~ "'))")) -}}
    {%- endif -%}
    {{- return(crm_source_optional_columns(node,
        "read_csv('" ~ quoted ~ "', header = true, delim = ',', quote = '\"', escape = '\"', comment = '', "
        ~ "all_varchar = true, strict_mode = true)")) -}}
{%- endmacro %}


{#- relation with every declared column marked meta.optional that it lacks added as null text (union all by name
    with an empty row of them; a column the table has keeps its values). relation unchanged when none is optional. -#}
{% macro crm_source_optional_columns(node, relation) -%}
    {%- set optional = node.columns.values() | selectattr('meta.optional', 'defined') | selectattr('meta.optional')
        | map(attribute='name') | list -%}
    {%- if not optional -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set nulls = [] -%}
    {%- for column in optional -%}
        {%- do nulls.append('cast(null as varchar) as "' ~ column ~ '"') -%}
    {%- endfor -%}
    {{- return('(select * from ' ~ relation ~ ' union all by name select ' ~ nulls | join(', ') ~ ' where 1 = 0)') -}}
{%- endmacro %}
