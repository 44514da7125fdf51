"""Descriptive and predictive analytics over the marts: revenue trends and forecast, feedback sentiment."""
