{#- A summed amount joined onto a spine (month, dimension), null when there is no data, never a made-up 0:
      no row joined (rows_key is null)    0 when the extract has such rows at all (extract_has_rows), else null
      rows, but none with an amount       null (amounts_key is null: the sum of the amounts themselves)
      rows with amounts                   the value, 0 when its own factor was missing (a deal without a win
                                          probability adds nothing to a weighted sum) -#}
{% macro amount_or_no_data(value, rows_key, amounts_key, extract_has_rows) -%}
    case
        when {{ rows_key }} is null then case when {{ extract_has_rows }} then 0 end
        when {{ amounts_key }} is not null then coalesce({{ value }}, 0)
    end
{%- endmacro %}
