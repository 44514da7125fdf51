{#- Every staged row of an entity with the verdict of the contract checks (models/staging/crm/_crm__sources.yml).
    A failed check either rejects the row (quarantine) or flags the value and keeps the row, as the column's
    on_invalid says (macro crm_check_action). A kept row carries its flagged values already mended:
        unparseable_value, future_timestamp, implausible_date, out_of_order_timestamp, negative_amount,
        unknown_currency -> null
        unknown_enum -> 'other'
        orphan_reference -> the id is kept as it is (the dimension has an inferred member for it)
        no_fx_rate -> the currency is kept; the amounts it prices convert to a null USD value (never rejects)
    Bookkeeping columns:
        quarantine_reason   the first check that rejects the row (priority order below), null when kept
        quarantine_column   the column of that check
        failed_checks       every failed check of the row, rejecting or flagging: 'reason(column), ...'
        failed_check_count  how many
        value_issues        the flagged values of a kept row: 'reason:column,reason:column' (null when none)
        _flagged_values     JSON object of the flagged values as they arrived (raw text when unparseable)
        has_value_issues    the row is kept and has at least one flagged value
        is_valid            the row is kept: no rejecting check failed (core models read `where is_valid`)

    Checks, in priority order; within a check, columns in contract order:
        missing_required        meta.required (or meta.required_if <boolean column> and that column is true) and
                                the value is missing (not: present but unparseable)
        unparseable_value       the column is listed in _invalid_columns (staging could not cast the raw text)
        future_timestamp        timestamp/date after as_of_date + 1 day, unless meta.may_be_future: true, or
                                meta.may_be_future_unless: <boolean column> and that column is not true
        implausible_date        timestamp/date before var crm_min_plausible_date or more than var
                                crm_max_plausible_years_ahead years after as_of_date ('epoch', 'infinity', year 0024)
        out_of_order_timestamp  earlier than its meta.not_before column (compared as dates when either is a date:
                                a deal closed on the day it was created is in order)
        negative_amount         meta.non_negative and below zero
        unknown_enum            logical_type enum and not one of meta.values
        orphan_reference        meta.references <entity>.<column> and no staged row of that entity has the value
        unknown_currency        logical_type currency, not in fx_rates and not var reporting_currency
        no_fx_rate              a known currency other than the reporting one without a rate on or before the day
                                its amounts convert at (meta.fx_date: a date/timestamp column; as_of_date when that
                                is empty): conversion uses the latest earlier rate only (macro join_fx_rate)
    duplicate_key (superseded versions of a key) is decided in staging (_key_rank) and never reaches stg.

    A model calling this must declare the staged models its references point to (dbt resolves ref() before it
    reads the contract): `-- depends_on: {{ ref('stg_crm__users') }}`; dbt names any one that is missing. -#}

{% macro validate_entity(entity) -%}
    {%- set staged_relation = ref('stg_crm__' ~ entity) -%}
    {#- Called before the execute guard so dbt records what "today" depends on at parse time. -#}
    {%- set today = as_of_date() -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ staged_relation) }}
    {%- endif -%}
    {%- set contract = crm_contract_entity(entity) -%}
    {%- set future_cutoff = 'cast(' ~ dbt.dateadd('day', 1, today) | trim ~ ' as date)' -%}

    {%- set validation = crm_entity_checks(contract, future_cutoff, today=today) -%}
    {%- set imports, key_sets, joins, verdicts = validation.imports, validation.key_sets, validation.joins,
        validation.verdicts -%}
    {%- set flaggable = verdicts | rejectattr('rejects', 'equalto', 'true') | list %}

with

staged as (

    select * from {{ staged_relation }}

),
{%- for name, relation in imports.items() %}

{{ name }} as (

    select * from {{ relation }}

),
{%- endfor %}
{%- for key_set, source in key_sets.items() %}

{{ key_set }} as (
    {%- if key_set == 'known_currencies' %}

    select distinct currency as key_value
    from staged_fx_rates
    where currency is not null
    union
    select '{{ var("reporting_currency") }}' as key_value
    {%- else %}

    select distinct {{ source[0] }} as key_value
    from {{ source[1] }}
    where {{ source[0] }} is not null
    {%- endif %}

),
{%- endfor %}

checked as (

    select
        staged.*,
        {%- for verdict in verdicts %}
        coalesce({{ verdict.condition }}, false) as {{ verdict.flag }}{{ ',' if not loop.last }}
        {%- endfor %}
    from staged
    {%- for key_set, alias, column in joins %}
    left join {{ key_set }} as {{ alias }} on staged.{{ column.column }} = {{ alias }}.key_value
    {%- endfor %}

),

rejected as (

    select
        *,
        case
            {%- for verdict in verdicts if verdict.rejects != 'false' %}
            when {{ verdict.flag }}{{ ' and ' ~ verdict.rejects if verdict.rejects != 'true' }} then '{{ verdict.reason }}'
            {%- endfor %}
        end as quarantine_reason,
        case
            {%- for verdict in verdicts if verdict.rejects != 'false' %}
            when {{ verdict.flag }}{{ ' and ' ~ verdict.rejects if verdict.rejects != 'true' }} then '{{ verdict.column.name }}'
            {%- endfor %}
        end as quarantine_column
    from checked

),

mended as (

    select
        {%- for column in contract.columns %}
        {%- set mendings = verdicts | selectattr('column.name', 'equalto', column.name)
            | rejectattr('mended', 'none') | rejectattr('rejects', 'equalto', 'true') | list %}
        {%- if mendings %}
        case
            {%- for verdict in mendings %}
            when quarantine_reason is null and {{ verdict.flag }} then {{ verdict.mended }}
            {%- endfor %}
            else {{ column.column }}
        end as {{ column.column }},
        {%- else %}
        {{ column.column }},
        {%- endif %}
        {%- endfor %}
        _row_number,
        _invalid_columns,
        _invalid_values,
        quarantine_reason,
        quarantine_column,
        nullif(concat_ws(
            ', '
            {%- for verdict in verdicts %},
            case when {{ verdict.flag }} then '{{ verdict.reason }}({{ verdict.column.name }})' end
            {%- endfor %}
        ), '') as failed_checks,
        {%- for verdict in verdicts %}
        case when {{ verdict.flag }} then 1 else 0 end{{ ' +' if not loop.last }}
        {%- endfor %} as failed_check_count,
        {%- if flaggable %}
        case when quarantine_reason is null then nullif(concat_ws(
            ','
            {%- for verdict in flaggable %},
            case when {{ verdict.flag }} then '{{ verdict.reason }}:{{ verdict.column.name }}' end
            {%- endfor %}
        ), '') end as value_issues,
        case when quarantine_reason is null and ({{ flaggable | map(attribute='flag') | join(' or ') }}) then
            {{ json_object_text(crm_flagged_value_pairs(flaggable)) | indent(12) }}
        end as _flagged_values,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as value_issues,
        cast(null as {{ dbt.type_string() }}) as _flagged_values,
        {%- endif %}
        quarantine_reason is null as is_valid
    from rejected

),

final as (

    select
        *,
        is_valid and value_issues is not null as has_value_issues
    from mended

)

select * from final
{%- endmacro %}


{#- The checks of an entity, from its contract entry: {imports, key_sets, joins, verdicts} (resolve_refs false:
    the imports' relations are left out, for a caller that needs only the verdicts) where verdicts are, in
    priority order, {reason, column, condition (SQL over `staged` and the reference joins), flag (its boolean
    column), rejects (SQL: 'true', 'false' or a condition), mended (a kept row's new value; none: kept as is)}. -#}
{% macro crm_entity_checks(contract, future_cutoff, resolve_refs=true, today='null') -%}
    {%- set invalid_list = dbt.concat(["','", "replace(coalesce(staged._invalid_columns, ''), ' ', '')", "','"]) -%}
    {#- Referenced keys and currencies: one import CTE per referenced entity, one join per referencing column. -#}
    {%- set imports = {} -%}
    {%- set key_sets = {} -%}
    {%- set joins = [] -%}
    {%- for column in contract.columns -%}
        {%- set meta = column.meta -%}
        {%- if meta.references -%}
            {%- set target_entity, target_column = meta.references.split('.') -%}
            {%- do imports.update({'staged_' ~ target_entity: ref('stg_crm__' ~ target_entity) if resolve_refs}) -%}
            {%- set key_set = 'known_' ~ target_entity ~ '_' ~ target_column ~ 's' -%}
            {%- do key_sets.update({key_set: (target_column, 'staged_' ~ target_entity)}) -%}
            {%- do joins.append((key_set, 'ref_' ~ column.name, column)) -%}
        {%- elif meta.logical_type == 'currency' -%}
            {%- do imports.update({'staged_fx_rates': ref('stg_crm__fx_rates') if resolve_refs}) -%}
            {%- do key_sets.update({'known_currencies': none}) -%}
            {%- do joins.append(('known_currencies', 'ref_' ~ column.name, column)) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- Each check: (reason, column, condition over `staged`). -#}
    {%- set checks = [] -%}
    {%- for column in contract.columns if column.meta.required or column.meta.required_if -%}
        {%- set required_if = column.meta.required_if -%}
        {%- do checks.append(('missing_required', column,
            'staged.' ~ column.column ~ ' is null and ' ~ invalid_list ~ " not like '%," ~ column.name ~ ",%'"
            ~ (' and coalesce(staged.' ~ required_if ~ ', false)' if required_if else ''))) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.logical_type in crm_parsed_logical_types() -%}
        {%- do checks.append(('unparseable_value', column, invalid_list ~ " like '%," ~ column.name ~ ",%'")) -%}
    {%- endfor -%}
    {%- for column in contract.columns
        if column.meta.logical_type in ('timestamp', 'date') and not column.meta.may_be_future -%}
        {%- set unless = column.meta.may_be_future_unless -%}
        {%- do checks.append(('future_timestamp', column,
            'cast(staged.' ~ column.column ~ ' as date) > ' ~ future_cutoff
            ~ (' and coalesce(staged.' ~ unless ~ ', false)' if unless else ''))) -%}
    {%- endfor -%}
    {%- set plausible_from, plausible_to = crm_plausible_window(today) -%}
    {%- for column in contract.columns if column.meta.logical_type in ('timestamp', 'date') -%}
        {%- set day = 'cast(staged.' ~ column.column ~ ' as date)' -%}
        {%- do checks.append(('implausible_date', column,
            '(' ~ day ~ ' < ' ~ plausible_from ~ ' or ' ~ day ~ ' > ' ~ plausible_to ~ ')')) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.not_before -%}
        {%- set earlier = contract.columns | selectattr('name', 'equalto', column.meta.not_before) | first -%}
        {%- if 'date' in (column.meta.logical_type, earlier.meta.logical_type) -%}
            {#- A date has no time of day: compare days, or a deal closed on its creation day would be early. -#}
            {%- do checks.append(('out_of_order_timestamp', column,
                'cast(staged.' ~ column.column ~ ' as date) < cast(staged.' ~ earlier.column ~ ' as date)')) -%}
        {%- else -%}
            {%- do checks.append(('out_of_order_timestamp', column,
                'staged.' ~ column.column ~ ' < staged.' ~ earlier.column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.non_negative -%}
        {%- do checks.append(('negative_amount', column, 'staged.' ~ column.column ~ ' < 0')) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.meta.logical_type == 'enum' -%}
        {%- do checks.append(('unknown_enum', column,
            'staged.' ~ column.column ~ " not in ('" ~ column.meta['values'] | join("', '") ~ "')")) -%}
    {%- endfor -%}
    {%- for reason in ('orphan_reference', 'unknown_currency') -%}
        {%- for key_set, alias, column in joins
            if (key_set == 'known_currencies') == (reason == 'unknown_currency') -%}
            {%- do checks.append((reason, column,
                'staged.' ~ column.column ~ ' is not null and ' ~ alias ~ '.key_value is null')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for key_set, alias, column in joins if key_set == 'known_currencies' and column.meta.fx_date -%}
        {%- set fx_day = 'coalesce(cast(staged.' ~ column.meta.fx_date ~ ' as date), ' ~ today ~ ')' -%}
        {%- do checks.append(('no_fx_rate', column,
            'staged.' ~ column.column ~ " <> '" ~ var('reporting_currency') ~ "' and " ~ alias ~ '.key_value is not null'
            ~ ' and not exists (select 1 from staged_fx_rates as fx_rate where fx_rate.currency = staged.'
            ~ column.column ~ ' and fx_rate.rate_to_usd is not null and fx_rate.rate_date <= ' ~ fx_day ~ ')')) -%}
    {%- endfor -%}

    {#- Per check: its flag column, whether it rejects the row (SQL over `checked`) and what a kept row's value
        becomes (none: kept as it is). -#}
    {%- set verdicts = [] -%}
    {%- for reason, column, condition in checks -%}
        {%- do verdicts.append({
            'reason': reason,
            'column': column,
            'condition': condition,
            'flag': '_failed__' ~ reason ~ '__' ~ column.name,
            'rejects': 'false' if reason == 'no_fx_rate' else crm_rejects_row(contract.name, column, reason),
            'mended': none if reason in ('orphan_reference', 'missing_required', 'no_fx_rate')
                else ("'other'" if reason == 'unknown_enum' else 'null'),
        }) -%}
    {%- endfor -%}
    {{ return({'imports': imports, 'key_sets': key_sets, 'joins': joins, 'verdicts': verdicts}) }}
{%- endmacro %}


{#- JSON pairs of the flagged values as they arrived: the raw text for unparseable values, the staged value for
    the others (one key per column, whichever of its checks failed). -#}
{% macro crm_flagged_value_pairs(flaggable) -%}
    {%- set pairs = [] -%}
    {%- set seen = [] -%}
    {%- for verdict in flaggable if verdict.column.name not in seen -%}
        {%- do seen.append(verdict.column.name) -%}
        {%- set column_flags = flaggable | selectattr('column.name', 'equalto', verdict.column.name)
            | map(attribute='flag') | list -%}
        {%- do pairs.append([verdict.column.name,
            'case when ' ~ column_flags | join(' or ') ~ ' then coalesce('
            ~ json_text_field('_invalid_values', verdict.column.name) ~ ', cast(' ~ verdict.column.column
            ~ ' as ' ~ dbt.type_string() ~ ')) end']) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}


{#- Whether a failed check rejects the row, as SQL over the checked row: 'true', 'false', or a condition.
    The check's action (crm_check_action) decides; a missing key always rejects. -#}
{% macro crm_rejects_row(entity, column, reason) -%}
    {%- set action = crm_check_action(entity, column, reason) -%}
    {%- if action == 'reject_row' -%}
        {{ return('true') }}
    {%- elif action == 'flag_value' -%}
        {{ return('false') }}
    {%- else -%}
        {#- required_if: rejects when the row needs the value (a closed deal's close_date). -#}
        {{ return('coalesce(' ~ column.meta.required_if ~ ', false)') }}
    {%- endif -%}
{%- endmacro %}


{#- What one failed check (reason) on a column does: the column's action (crm_on_invalid), except on a required
    column that the contract and var crm_on_invalid leave at its default: a reference naming no row of its entity
    (orphan_reference) keeps the row and its id, which the dimension's inferred member takes (a deal owned by a
    user the export left out is still a deal), unless meta.on_orphan: reject_row (a row that is a part of its
    parent: an order line without its order); an enum value outside the list (unknown_enum) keeps the row with
    'other' when meta.on_unknown: flag_value. A missing or unparseable value still rejects. -#}
{% macro crm_check_action(entity, column, reason) -%}
    {%- set action = crm_on_invalid(entity, column) -%}
    {%- set overrides = var('crm_on_invalid', {}) -%}
    {%- if overrides is string -%}
        {%- set overrides = fromjson(overrides) if overrides | trim else {} -%}
    {%- endif -%}
    {%- set decided = column.name in crm_contract_entity(entity).primary_key or column.meta.on_invalid
        or (entity ~ '.' ~ column.name) in (overrides or {}) -%}
    {%- if action == 'reject_row' and not decided and reason == 'orphan_reference' -%}
        {{ return(column.meta.get('on_orphan', 'flag_value')) }}
    {%- elif action == 'reject_row' and not decided and reason == 'unknown_enum' -%}
        {{ return(column.meta.get('on_unknown', 'reject_row')) }}
    {%- endif -%}
    {{ return(action) }}
{%- endmacro %}


{#- What a failed check on a column does: 'reject_row', 'flag_value' or 'reject_if_required' (meta.required_if).
    Default: the primary key and required columns reject the row, required_if columns reject it when their
    condition holds, every other column flags the value. meta.on_invalid in the contract sets it per column,
    and var crm_on_invalid ({"<entity>.<column>": "reject_row" | "flag_value"}, also a JSON text) overrides
    both for a user's extract. The primary key always rejects. -#}
{% macro crm_on_invalid(entity, column) -%}
    {%- set overrides = var('crm_on_invalid', {}) -%}
    {%- if overrides is string -%}
        {%- set overrides = fromjson(overrides) if overrides | trim else {} -%}
    {%- endif -%}
    {%- set actions = ['reject_row', 'flag_value'] -%}
    {%- for key, action in (overrides or {}).items() -%}
        {%- if action not in actions or key.split('.') | length != 2 -%}
            {{ exceptions.raise_compiler_error(
                "var crm_on_invalid: '" ~ key ~ ": " ~ action ~ "' must be '<entity>.<column>: reject_row | flag_value'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set contract = crm_contract_entity(entity) -%}
    {%- if column.name in contract.primary_key -%}
        {{ return('reject_row') }}
    {%- endif -%}
    {%- set override = (overrides or {}).get(entity ~ '.' ~ column.name) -%}
    {%- if override -%}
        {{ return(override) }}
    {%- elif column.meta.on_invalid -%}
        {%- if column.meta.on_invalid not in actions -%}
            {{ exceptions.raise_compiler_error(
                'Contract ' ~ entity ~ '.' ~ column.name ~ ': meta.on_invalid must be reject_row or flag_value') }}
        {%- endif -%}
        {{ return(column.meta.on_invalid) }}
    {%- elif column.meta.required -%}
        {{ return('reject_row') }}
    {%- elif column.meta.required_if -%}
        {{ return('reject_if_required') }}
    {%- else -%}
        {{ return('flag_value') }}
    {%- endif -%}
{%- endmacro %}


{#- (first, last) plausible day of any timestamp or date, as SQL date expressions: var crm_min_plausible_date and
    var crm_max_plausible_years_ahead years after `today` (the as-of date expression). -#}
{% macro crm_plausible_window(today) -%}
    {%- set first_day = var('crm_min_plausible_date', '1990-01-01') | string | trim -%}
    {%- set years_ahead = var('crm_max_plausible_years_ahead', 10) | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', first_day) -%}
        {{ exceptions.raise_compiler_error("var crm_min_plausible_date must be YYYY-MM-DD, got '" ~ first_day ~ "'") }}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]+$', years_ahead) -%}
        {{ exceptions.raise_compiler_error("var crm_max_plausible_years_ahead must be a whole number of years, got '" ~ years_ahead ~ "'") }}
    {%- endif -%}
    {{ return(("cast('" ~ first_day ~ "' as date)",
        'cast(' ~ dbt.dateadd('year', years_ahead, today) | trim ~ ' as date)')) }}
{%- endmacro %}
