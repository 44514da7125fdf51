{#- Acquisition channel of an account (dim_accounts: campaign channel, else lead source, else 'unattributed') in the
    vocabulary of acquisition_costs.channel, so spend and the customers it bought meet on one key: the lead sources
    email_campaign and paid are the spend channels email and paid_search; other values are kept (a lead source
    such as website has no spend recorded against it). -#}
{% macro acquisition_spend_channel(acquisition_channel) -%}
    case {{ acquisition_channel }}
        when 'email_campaign' then 'email'
        when 'paid' then 'paid_search'
        else {{ acquisition_channel }}
    end
{%- endmacro %}
