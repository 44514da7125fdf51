"""Probabilistic customer value: BG/NBD (purchase count, P(alive)) and Gamma-Gamma (order value)."""
