"""Every way of starting the app binds to localhost (issue 10, item 19).

The effective config is read as `streamlit run python/crm_warehouse/app/streamlit_app.py` reads it (global, then
$CWD, then the script's own .streamlit/config.toml), from a working directory and a home whose config files ask for
all interfaces. An address open to all interfaces that is forced on the command line is refused by the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from crm_warehouse import PROJECT_ROOT

APP = PROJECT_ROOT / "python" / "crm_warehouse" / "app" / "streamlit_app.py"
EFFECTIVE = """
import json, sys
from streamlit import config
config._main_script_path = sys.argv[1]  # what `streamlit run <script>` sets before it reads the config
config.get_config_options(force_reparse=True)
names = ["server.address", "server.headless", "browser.gatherUsageStats", "client.toolbarMode"]
print(json.dumps({name: config.get_option(name) for name in names}))
"""
HOSTILE = (
    '[server]\naddress = "0.0.0.0"\nheadless = false\n[browser]\ngatherUsageStats = true\n'
    '[client]\ntoolbarMode = "developer"\n'
)


def effective_config(cwd: Path, home: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env["HOME"] = str(home)
    out = subprocess.run(
        [sys.executable, "-c", EFFECTIVE, str(APP)], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_streamlit_run_from_any_directory_binds_to_localhost(tmp_path: Path) -> None:
    for folder in (tmp_path / "home", tmp_path / "cwd"):
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "config.toml").write_text(HOSTILE)
    expected = {
        "server.address": "localhost",
        "server.headless": True,
        "browser.gatherUsageStats": False,
        "client.toolbarMode": "viewer",
    }
    assert effective_config(tmp_path / "cwd", tmp_path / "home") == expected
    assert effective_config(PROJECT_ROOT, tmp_path / "home") == expected


@pytest.fixture
def address_flag():
    """Set server.address as a command-line flag would, and restore it."""
    previous = streamlit_config.get_option("server.address")

    def set_address(value: str | None) -> None:
        streamlit_config.set_option("server.address", value, "command-line argument or environment variable")

    yield set_address
    set_address(previous)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", None])
def test_the_app_refuses_to_serve_on_all_interfaces(address_flag, monkeypatch, address: str | None) -> None:
    monkeypatch.delenv("CRM_APP_ALLOW_ALL_INTERFACES", raising=False)
    address_flag(address)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert error.value.startswith(f"Not serving: server.address is {address!r}, which listens on all network")
    assert "--server.address localhost" in error.value and "CRM_APP_ALLOW_ALL_INTERFACES=1" in error.value
    assert not at.title  # no page, no data


def test_the_app_serves_on_localhost(address_flag, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRM_APP_DUCKDB", str(tmp_path / "absent.duckdb"))
    address_flag("localhost")
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["CRM analytics"]  # the app itself (here: its missing-warehouse page)
    assert "make build" in at.error[0].value
