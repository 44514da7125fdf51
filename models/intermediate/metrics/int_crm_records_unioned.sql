{#- One row per CRM record a user created (accounts, contacts, leads, opportunities), for adoption metrics.
    The core dims/facts do not carry created_by_user_id, so this reads the validated rows (is_valid) directly. -#}
{%- set record_types = {
    'account': ('int_accounts_validated', 'account_id'),
    'contact': ('int_contacts_validated', 'contact_id'),
    'lead': ('int_leads_validated', 'lead_id'),
    'opportunity': ('int_opportunities_validated', 'opportunity_id'),
} -%}

with
{%- for record_type, (model_name, key_column) in record_types.items() %}
    {{ record_type }}_records as (
        select
            '{{ record_type }}' as record_type,
            {{ key_column }} as record_id,
            created_by_user_id,
            created_at
        from {{ ref(model_name) }}
        where is_valid
    ),
{% endfor %}

final as (
    {%- for record_type in record_types %}
        select * from {{ record_type }}_records
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
