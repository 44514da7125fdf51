{#- The warehouse's "today" (a date expression).
    var as_of_date (YYYY-MM-DD; env CRM_AS_OF_DATE) pins it: a date literal. Unset (the default), it is derived
    from the extract: the day after the latest event timestamp, read from the one-row int_extract_as_of_date
    (events after the run's date + 1 day ignored, capped at the run's date + 1 day; the run's date when the
    extract has no event). Calling it at parse time records that model as a dependency, so a model must call it
    outside `if execute` (validate_entity does). -#}
{% macro as_of_date() -%}
    {%- set pinned = as_of_date_pinned() -%}
    {%- if pinned -%}
        cast('{{ pinned }}' as date)
    {%- else -%}
        cast((select as_of_date from {{ ref('int_extract_as_of_date') }}) as date)
    {%- endif -%}
{%- endmacro %}

{#- var as_of_date as YYYY-MM-DD text, '' when unset (YAML may hand it over as a date). -#}
{% macro as_of_date_pinned() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- set text = '' if value is none else (value | string | trim) -%}
    {%- if text and not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be YYYY-MM-DD (or empty: derived from the extract), got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}


{#- The current instant as a UTC timestamp without time zone, whatever the session's time zone. -#}
{% macro crm_utc_now() -%}
    {{ return(adapter.dispatch('crm_utc_now', 'crm_warehouse')()) }}
{%- endmacro %}

{% macro default__crm_utc_now() -%}
    cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__crm_utc_now() -%}
    timezone('UTC', now())
{%- endmacro %}
