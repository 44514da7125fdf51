"""Streamlit app over the metric marts: `make app` (entry point: crm_warehouse/app/streamlit_app.py)."""
