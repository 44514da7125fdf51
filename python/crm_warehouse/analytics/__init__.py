"""Analytics marts' methods (issue 15): revenue trends and forecast, feedback sentiment, behaviour clusters (k-means)
and churn drivers (logistic regression)."""
