"""Entry point: `streamlit run python/crm_warehouse/app/streamlit_app.py` (or `make app`).

The .streamlit/config.toml next to this file binds to localhost from any working directory; an address given on
the command line or in STREAMLIT_SERVER_ADDRESS that listens on all interfaces is refused (see main.py).
"""

from __future__ import annotations

from crm_warehouse.app.main import refuse_all_interfaces, run

if not refuse_all_interfaces():
    run()
