{#- Casting rules of the staging layer, one macro per logical type of the raw contract
    (models/staging/crm/_crm__sources.yml). Raw values are text; '' and blanks mean missing. A non-empty value
    that fails to cast becomes null (crm_invalid_columns names it). Engine-specific parts are dispatched. -#}

{#- The typed expression of a contract column (meta.logical_type), and the name staging gives it. -#}
{% macro crm_cast_column(column_name, logical_type) -%}
    {%- if logical_type == 'id' -%} {{ crm_cast_id(column_name) }}
    {%- elif logical_type == 'text' -%} {{ crm_cast_text(column_name) }}
    {%- elif logical_type == 'pii' -%} {{ crm_hash_pii(column_name) }}
    {%- elif logical_type == 'enum' -%} {{ crm_cast_enum(column_name) }}
    {%- elif logical_type == 'currency' -%} {{ crm_cast_currency(column_name) }}
    {%- elif logical_type == 'timestamp' -%} {{ crm_cast_timestamp(column_name) }}
    {%- elif logical_type == 'date' -%} {{ crm_cast_date(column_name) }}
    {%- elif logical_type == 'decimal' -%} {{ crm_cast_decimal(column_name) }}
    {%- elif logical_type == 'integer' -%} {{ crm_cast_integer(column_name) }}
    {%- elif logical_type == 'boolean' -%} {{ crm_cast_boolean(column_name) }}
    {%- else -%} {{ exceptions.raise_compiler_error('Unknown logical_type ' ~ logical_type ~ ' of ' ~ column_name) }}
    {%- endif -%}
{%- endmacro %}

{% macro crm_staged_column_name(column_name, logical_type) -%}
    {{- column_name ~ '_hash' if logical_type == 'pii' else column_name -}}
{%- endmacro %}

{#- Logical types whose non-empty raw value can fail to parse. -#}
{% macro crm_parsed_logical_types() -%}
    {{- return(['timestamp', 'date', 'decimal', 'integer', 'boolean']) -}}
{%- endmacro %}


{#- The trimmed raw value, null when empty. -#}
{% macro crm_nonempty(column_name) -%}
    nullif(trim({{ column_name }}), '')
{%- endmacro %}

{#- Ids drift in case and stray whitespace between exports: ' acc-0001' and 'ACC-0001' are one key. -#}
{% macro crm_cast_id(column_name) -%}
    upper({{ crm_nonempty(column_name) }})
{%- endmacro %}

{% macro crm_cast_text(column_name) -%}
    {{ crm_nonempty(column_name) }}
{%- endmacro %}

{#- Lower-case, spaces and hyphens to underscores ('Closed Won', 'cross-sell'). Values outside the contract are
    kept as they are: quarantine classifies them as unknown_enum. -#}
{% macro crm_cast_enum(column_name) -%}
    replace(replace(lower({{ crm_nonempty(column_name) }}), ' ', '_'), '-', '_')
{%- endmacro %}

{% macro crm_cast_currency(column_name) -%}
    upper({{ crm_nonempty(column_name) }})
{%- endmacro %}

{% macro crm_cast_date(column_name) -%}
    {{ dbt.safe_cast(crm_nonempty(column_name), 'date') }}
{%- endmacro %}

{% macro crm_cast_decimal(column_name) -%}
    {{ dbt.safe_cast(crm_nonempty(column_name), dbt.type_numeric()) }}
{%- endmacro %}

{#- Strict: an optional sign and digits only ('42', '-7', ' 42 '). Engines' casts read '1.5' as 2, '0x10' as 16 or
    '1e3' as 1000; those are unparseable here, not silently changed numbers. -#}
{% macro crm_cast_integer(column_name) -%}
    {{ return(adapter.dispatch('crm_cast_integer', 'crm_warehouse')(column_name)) }}
{%- endmacro %}

{% macro default__crm_cast_integer(column_name) -%}
    {%- set value = crm_nonempty(column_name) -%}
    case when {{ value }} rlike '^[+-]?[0-9]+$' then {{ dbt.safe_cast(value, dbt.type_bigint()) }} end
{%- endmacro %}

{% macro duckdb__crm_cast_integer(column_name) -%}
    {%- set value = crm_nonempty(column_name) -%}
    case when regexp_full_match({{ value }}, '[+-]?[0-9]+') then try_cast({{ value }} as bigint) end
{%- endmacro %}

{#- true/false, 1/0, yes/no, t/f, y/n in any case; anything else is unparseable. -#}
{% macro crm_cast_boolean(column_name) -%}
    {%- set value = 'lower(' ~ crm_nonempty(column_name) ~ ')' -%}
    case when {{ value }} in ('true', 't', '1', 'yes', 'y') then true
    when {{ value }} in ('false', 'f', '0', 'no', 'n') then false end
{%- endmacro %}

{#- ISO 8601 with any UTC offset ('Z', '+02:00', '-0500') to a UTC timestamp without time zone. A value
    without an offset is taken as UTC already, whatever the session's time zone. -#}
{% macro crm_cast_timestamp(column_name) -%}
    {{ return(adapter.dispatch('crm_cast_timestamp', 'crm_warehouse')(column_name)) }}
{%- endmacro %}

{% macro default__crm_cast_timestamp(column_name) -%}
    {{ dbt.safe_cast(crm_nonempty(column_name), dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__crm_cast_timestamp(column_name) -%}
    {%- set value = 'upper(' ~ crm_nonempty(column_name) ~ ')' -%}
    {%- set has_offset = "regexp_matches(" ~ value ~ ", '\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*(Z|[+-]\\d\\d(:?\\d\\d)?)$')" -%}
    case when {{ has_offset }} then timezone('UTC', try_cast({{ value }} as timestamptz)) else try_cast({{ value }} as timestamp) end
{%- endmacro %}

{% macro spark__crm_cast_timestamp(column_name) -%}
    {#- Spark parses the offset and keeps instants in the session zone; pin it to UTC. -#}
    to_utc_timestamp(try_cast({{ crm_nonempty(column_name) }} as timestamp), current_timezone())
{%- endmacro %}

{#- PII leaves staging only as a stable join key: HMAC-SHA256, keyed by env CRM_PII_KEY, of the trimmed,
    lower-cased value (unkeyed, anyone with an email list could re-identify contacts). Models calling it must be
    tables (crm_base_model checks): the function exists only on dbt's connections. -#}
{% macro crm_hash_pii(column_name) -%}
    {{ crm_keyed_hash('lower(' ~ crm_nonempty(column_name) ~ ')') }}
{%- endmacro %}

{% macro crm_keyed_hash(expression) -%}
    {{ return(adapter.dispatch('crm_keyed_hash', 'crm_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__crm_keyed_hash(expression) -%}
    {{ exceptions.raise_compiler_error(
        'crm_keyed_hash: no keyed PII hash for adapter ' ~ adapter.type() ~ ' (duckdb registers crm_hmac)') }}
{%- endmacro %}

{#- crm_hmac is registered by the dbt-duckdb plugin crm_warehouse.dbt_plugin (profiles.yml). -#}
{% macro duckdb__crm_keyed_hash(expression) -%}
    crm_hmac({{ expression }})
{%- endmacro %}


{#- Over the typed CTE of a base model, where each parsed column sits beside its trimmed raw text (_raw__<name>):
    a value is invalid when its raw text is not empty but its cast is null. -#}
{% macro crm_invalid_condition(column) -%}
    _raw__{{ column.name }} is not null and {{ column.name }} is null
{%- endmacro %}

{#- Comma list of the parsed columns whose non-empty raw value did not cast ('' when every value parsed). -#}
{% macro crm_invalid_columns(parsed_columns) -%}
    {%- if parsed_columns -%}
        concat_ws(
            ','
            {%- for column in parsed_columns %},
            case when {{ crm_invalid_condition(column) }} then '{{ column.name }}' end
            {%- endfor %}
        )
    {%- else -%}
        ''
    {%- endif -%}
{%- endmacro %}

{#- JSON object of the raw text of the columns that did not cast, null when every value parsed. -#}
{% macro crm_invalid_values(parsed_columns) -%}
    {%- set invalid_value_pairs = [] -%}
    {%- for column in parsed_columns -%}
        {%- do invalid_value_pairs.append([column.name,
            'case when ' ~ crm_invalid_condition(column) ~ ' then _raw__' ~ column.name ~ ' end']) -%}
    {%- endfor -%}
    {%- if parsed_columns -%}
        case when
            {%- for column in parsed_columns %}
            {{ 'or ' if not loop.first }}({{ crm_invalid_condition(column) }})
            {%- endfor %}
        then {{ json_object_text(invalid_value_pairs) }} end
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
