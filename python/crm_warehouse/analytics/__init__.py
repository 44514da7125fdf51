"""Diagnostic analytics marts (issue 15): behaviour clusters (k-means) and churn drivers (logistic regression)."""
