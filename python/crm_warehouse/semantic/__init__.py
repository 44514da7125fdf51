"""The semantic layer from Python: the app's metric queries compiled by MetricFlow into parameterised SQL."""
