{#- One row: the calibration end of the probabilistic CLV models (BG/NBD, Gamma-Gamma). var
    clv_calibration_end_date (YYYY-MM-DD) pins it; empty (the default): the warehouse's as-of date. Completed orders
    on or before this day are the calibration period the models are fitted on and score from. -#}
{%- set pinned = var('clv_calibration_end_date', '') | string | trim -%}
{%- if pinned and not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', pinned) -%}
    {{ exceptions.raise_compiler_error("var clv_calibration_end_date must be YYYY-MM-DD (or empty: the as-of date), got '" ~ pinned ~ "'") }}
{%- endif -%}
with calibration as (
    select
        {% if pinned -%}
            cast('{{ pinned }}' as date)
        {%- else -%}
            {{ as_of_date() }}
        {%- endif %} as calibration_end_date
),

final as (
    select
        calibration_end_date,
        {{ as_of_date() }} as as_of_date
    from calibration
)

select * from final
