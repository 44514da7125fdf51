"""App shell: page registry, global filters, and the missing-warehouse page."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from types import ModuleType

import streamlit as st

from crm_warehouse.app import filters, queries
from crm_warehouse.app.views import (
    adoption,
    churn,
    churn_drivers,
    clusters,
    customer_360,
    cycle_length,
    definitions,
    feedback,
    forecast_ranges,
    funnel,
    my_pipeline,
    overview,
    pipeline,
    profitability,
    rep,
    segments,
    service,
    trends,
)

# (url path, module); each module has TITLE, ICON and render(filters).
PAGES: dict[str, ModuleType] = {
    "overview": overview,
    "segments": segments,
    "profitability": profitability,
    "funnel": funnel,
    "cycle-length": cycle_length,
    "pipeline": pipeline,
    "churn": churn,
    "service": service,
    "adoption": adoption,
    "rep": rep,
    "my-pipeline": my_pipeline,
    "customer-360": customer_360,
    "forecast-ranges": forecast_ranges,
    "trends": trends,
    "feedback": feedback,
    "clusters": clusters,
    "churn-drivers": churn_drivers,
    "definitions": definitions,
}


# Addresses on which Streamlit listens on every interface (None: Streamlit's default, also every interface).
ALL_INTERFACES = frozenset({"", "0.0.0.0", "::", "[::]"})
ALLOW_ALL_INTERFACES = "CRM_APP_ALLOW_ALL_INTERFACES"


def listens_on_all_interfaces(address: str | None) -> bool:
    return address is None or address.strip() in ALL_INTERFACES


def exposure_refusal(address: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """Why the app will not serve on this address, or None when it may (localhost, a named host, or opted in)."""
    if not listens_on_all_interfaces(address) or environ.get(ALLOW_ALL_INTERFACES) == "1":
        return None
    return (
        f"Not serving: server.address is {address!r}, which listens on all network interfaces and would show the"
        " CRM data to anyone who can reach this machine. Start the app with `make app` (localhost), or pass"
        f" --server.address localhost; to serve on every interface on purpose, set {ALLOW_ALL_INTERFACES}=1."
    )


def refuse_all_interfaces() -> bool:
    """On an address open to every interface: show why on the page and in the log, and serve nothing."""
    address = st.get_option("server.address")
    refusal = exposure_refusal(address)
    if refusal is not None:
        st.set_page_config(page_title="CRM analytics")
        st.error(refusal)
        print(refusal, file=sys.stderr)
        return True
    if listens_on_all_interfaces(address):
        print(f"Warning: serving on all interfaces ({ALLOW_ALL_INTERFACES}=1).", file=sys.stderr)
    return False


def missing_warehouse_page() -> None:
    st.title("CRM analytics")
    st.error(
        f"No warehouse to show yet: {queries.warehouse_path()} does not exist.\n\n"
        "Build it with `make build` (from the project root), then reload this page."
    )


def build_line() -> None:
    """The header line every page carries: what day the data describes and when the warehouse was built."""
    info = queries.select("warehouse_build_info")
    if not info.empty:
        row = info.iloc[0]
        st.caption(f"Data as of {row['as_of_date']:%d %B %Y} · warehouse built {row['built_at']:%Y-%m-%d %H:%M} UTC")


def _page_runner(module: ModuleType) -> Callable[[], None]:
    def render() -> None:
        selected = filters.sidebar()
        st.title(module.TITLE)
        build_line()
        module.render(selected)

    render.__name__ = f"render_{module.__name__.rsplit('.', 1)[-1]}"
    return render


def run(page: str | None = None) -> None:
    """The multi-page app; `page` renders that one page alone (used by the AppTests)."""
    st.set_page_config(page_title="CRM analytics", layout="wide")
    if not queries.warehouse_path().is_file():
        missing_warehouse_page()
        return
    if page is not None:
        _page_runner(PAGES[page])()
        return
    navigation = st.navigation(
        [
            st.Page(_page_runner(module), title=module.TITLE, icon=module.ICON, url_path=path, default=i == 0)
            for i, (path, module) in enumerate(PAGES.items())
        ]
    )
    navigation.run()
