"""Entry point: `streamlit run python/crm_warehouse/app/streamlit_app.py` (or `make app`)."""

from __future__ import annotations

from crm_warehouse.app.main import run

run()
