"""App shell: page registry, global filters, and the missing-warehouse page."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import streamlit as st

from crm_warehouse.app import filters, queries
from crm_warehouse.app.views import (
    adoption,
    churn,
    cycle_length,
    funnel,
    overview,
    pipeline,
    profitability,
    segments,
    service,
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
}


def missing_warehouse_page() -> None:
    st.title("CRM analytics")
    st.error(
        f"No warehouse to show yet: {queries.warehouse_path()} does not exist.\n\n"
        "Build it with `make build` (from the project root), then reload this page."
    )


def _page_runner(module: ModuleType) -> Callable[[], None]:
    def render() -> None:
        selected = filters.sidebar()
        st.title(module.TITLE)
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
