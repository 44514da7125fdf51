"""Build driver: `python -m crm_warehouse.build`, what `make build` runs.

One command from extract to app: optional mapping of a user's export onto the raw contract, pre-flight, `dbt
build` with the user's vars, a plain-words data-quality summary per entity on the terminal (dbt's --quiet hides
the warn-level lines of the quarantine gate), an actionable message when a gate stops the build, and publishing
the app's copy after every successful build.
"""
