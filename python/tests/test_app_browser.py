"""Headless Chromium over `streamlit run`: every page renders (screenshots in test-output/screenshots/), and a
republished warehouse swapped in while the server serves shows the new numbers, never an error page."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from app_helpers import app_warehouse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.app.main import PAGES
from crm_warehouse.publish import publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
APP = PROJECT_ROOT / "python" / "crm_warehouse" / "app" / "streamlit_app.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`streamlit run` on a free localhost port over a private published copy (so the test may republish it)."""
    work = tmp_path_factory.mktemp("app_browser")
    published = publish(app_warehouse(), work / "crm_app.duckdb")
    port = free_port()
    env = {**os.environ, "CRM_APP_DUCKDB": str(published)}
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "localhost"]
    command += ["--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    log = (work / "streamlit.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (work / "streamlit.log").read_text()
            assert time.monotonic() < deadline, "streamlit did not come up within 60 s"
            time.sleep(0.5)
        yield url, published
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "run `make browser` (Debian chromium, chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1440,1100",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium_profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_page(driver: WebDriver, title: str) -> None:
    """Until the page's title is shown, the script has finished and the charts are drawn."""

    settled = [0]

    def ready(d: WebDriver) -> bool:
        titles = [e.text for e in d.find_elements(By.CSS_SELECTOR, "h1")]
        running = d.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        errors = d.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
        # The running indicator shows only after a short delay: require three quiet polls in a row.
        settled[0] = settled[0] + 1 if title in titles and not running else 0
        return bool(errors) or settled[0] >= 3

    WebDriverWait(driver, 60, poll_frequency=0.5).until(ready)
    time.sleep(1.0)  # plotly draws after the script run ends


def assert_no_error(driver: WebDriver) -> None:
    exceptions = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not exceptions, exceptions[0].text
    dialogs = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '[role="dialog"]')]
    assert not dialogs, dialogs  # e.g. "Page not found"
    alerts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentError"]')]
    assert not alerts, alerts


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_in_chromium(served: tuple[str, Path], browser: WebDriver, page: str) -> None:
    url, _ = served
    # The first page is the app's default, served at the root.
    browser.get(f"{url}/" if page == next(iter(PAGES)) else f"{url}/{page}")
    wait_for_page(browser, PAGES[page].TITLE)
    assert_no_error(browser)
    if getattr(PAGES[page], "CHARTS", True):  # the Definitions page is a table only
        assert browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot"), "no chart drawn"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / f"{page}.png"))


def first_metric(driver: WebDriver) -> str:
    return driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')[0].text


def test_republish_while_serving_swaps_in_the_new_data(
    served: tuple[str, Path], browser: WebDriver, tmp_path: Path
) -> None:
    url, published = served
    browser.get(f"{url}/")
    wait_for_page(browser, "Overview")
    before = first_metric(browser)
    # A rebuilt warehouse whose revenue differs, held open for writing like dbt holds it during a build.
    rebuilt = tmp_path / "crm.duckdb"
    shutil.copyfile(published, rebuilt)
    rebuilt.chmod(0o644)
    with duckdb.connect(str(rebuilt)) as writer:
        # The Revenue tile shows the last complete month (the slider's default end): one of its orders gains $1M.
        writer.execute(
            "update main.fct_orders set revenue_usd = revenue_usd + 1000000 where order_id = ("
            " select min(order_id) from main.fct_orders where date_trunc('month', order_date) ="
            " (select max(month_start) from main.kpi_overview where month_start < (select max(month_start)"
            " from main.kpi_overview)) and revenue_usd > 0)"
        )
        writer.execute("checkpoint")
        browser.refresh()  # served while the "build" holds its write lock
        wait_for_page(browser, "Overview")
        assert_no_error(browser)
        assert first_metric(browser) == before
    publish(rebuilt, published)
    browser.refresh()
    wait_for_page(browser, "Overview")
    assert_no_error(browser)
    after = first_metric(browser)
    assert dollars(after) == pytest.approx(dollars(before) + 1_000_000, abs=5_000)


def dollars(text: str) -> float:
    """$183,870 or $1.18M as a number (the tile rounds millions to $10k)."""
    number = text.replace("$", "").replace(",", "")
    return float(number[:-1]) * 1e6 if number.endswith("M") else float(number)


def choose(driver: WebDriver, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label`, as a user does (open the list, click the option)."""
    box = next(
        e for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSelectbox"]') if e.text.startswith(label)
    )
    box.find_element(By.CSS_SELECTOR, "input").click()
    WebDriverWait(driver, 20).until(
        lambda d: next((o for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]') if o.text == option), None)
    ).click()


def tiles(driver: WebDriver) -> dict[str, str]:
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricLabel"]')]
    values = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')]
    return dict(zip(labels, values, strict=True))


def test_two_filters_at_once_in_chromium(served: tuple[str, Path], browser: WebDriver) -> None:
    """Segment and team picked together: the deal tiles show the figures of that segment within that team (the
    compiled metric query with both values), the tiles that cannot take them stay and show them greyed out."""
    url, published = served
    ((tier, team),) = (
        duckdb.connect(str(published), read_only=True)
        .execute(
            "select a.tier, u.team from main.fct_opportunities o join main.dim_accounts a using (account_id)"
            " join main.dim_users u on u.user_id = o.owner_user_id where o.is_won or o.is_lost"
            " group by all order by count(*) desc, 1, 2 limit 1"
        )
        .fetchall()
    )
    browser.get(f"{url}/")
    wait_for_page(browser, "Overview")
    before = tiles(browser)
    choose(browser, "Segment", tier)
    wait_for_page(browser, "Overview")
    choose(browser, "Team", team)
    wait_for_page(browser, "Overview")
    assert_no_error(browser)
    after = tiles(browser)
    with duckdb.connect(str(published), read_only=True) as con:
        ((sql,),) = con.execute("select sql from main.app_metric_queries where query_name = 'kpi_win_rate'").fetchall()
        ((last_month,),) = con.execute(
            "select max(month_start) from main.kpi_overview where month_start < (select max(month_start)"
            " from main.kpi_overview)"
        ).fetchall()
        params = dict.fromkeys(["start", "rep", "region", "product_family", "lead_source"])
        rates = con.execute(sql, {**params, "end": last_month, "segment": tier, "team": team}).fetchall()
    by_month = {(m.date() if isinstance(m, datetime) else m): r for m, r in rates}
    rate = by_month.get(last_month)
    assert after["Win rate"] == (f"{rate * 100:.1f}%" if rate is not None else "no data")
    assert after["CAC"] == before["CAC"]  # marketing spend is not split by segment or team
    greyed = [e.text for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stCaptionContainer"]')]
    assert any("Not split by" in text and "Team" in text for text in greyed), greyed
    assert after != before
