{#- Whether an engagement event is an action BY the customer (it opened, clicked, visited, submitted, attended,
    engaged or subscribed) rather than something we did to it (email_sent) or a step away (list_unsubscribe).
    One definition for "engaged" wherever engagement is counted (engagement mart, customer health recency,
    segmentation's engaged-recently flag). -#}
{% macro is_engagement_action(event_type='event_type') -%}
    ({{ event_type }} not in ('email_sent', 'list_unsubscribe'))
{%- endmacro %}
