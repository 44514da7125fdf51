"""Great Expectations quality gate over the marts (run after `dbt build`).

GX's SQL datasource fails on DuckDB upstream, so each mart is read through Arrow into a dataframe and
validated with GX's pandas datasource. Suites come from three places: column-name conventions (rates,
NPS, durations), the dbt manifest (keys and category sets already declared next to the columns), and a
short list of relations between marts and the facts they come from (row counts, freshness).
"""
