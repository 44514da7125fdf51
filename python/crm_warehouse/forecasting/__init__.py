"""Forecast ranges: Monte Carlo of the open deals' bookings, calibrated from history (forecast_simulation)."""
