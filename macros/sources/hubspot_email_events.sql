{#- HubSpot email event types of the delivery pipeline (nobody engaged): left out of engagement_events and counted
    (int_engagement_events_from_hubspot, int_hubspot_rows_accounted), as a SQL list of quoted upper-case names. -#}
{% macro hubspot_email_delivery_event_types() -%}
    {%- set types = ['PROCESSED', 'DELIVERED', 'DEFERRED', 'DROPPED', 'BOUNCE', 'SUPPRESSED', 'STATUSCHANGE'] -%}
    {%- for type in types %}'{{ type }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
