"""The warehouse's "today" comes from the data: built from an extract whose events end on 2017-06-30, as_of_date is
2017-07-01 (not the run date), no mart has a month after it, and var as_of_date / env CRM_AS_OF_DATE pin it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from as_of_helpers import AS_OF, END_DAY, NO_TESTS, extract_ending_on_end_day
from dbt_helpers import assert_ok, run_dbt

# The marts that look past the as-of month: a forecast's target months are its three-month horizon; a forecast
# range's next quarter starts at most three months after the as-of month; revenue_trends forecasts six months.
HORIZON_MONTHS = {
    ("forecast", "target_month_start"): 3,
    ("forecast_simulation", "quarter_start"): 3,
    ("revenue_trends", "series_month"): 6,
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("as_of_date")


@pytest.fixture(scope="module")
def extract(work: Path) -> Path:
    return extract_ending_on_end_day(work / "extract")


@pytest.fixture(scope="module")
def built(work: Path, extract: Path) -> Path:
    database = work / "crm.duckdb"
    assert_ok(run_dbt(work, extract, "build", *NO_TESTS, database=database))
    return database


def as_of_row(database: Path) -> tuple[object, ...]:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            "select as_of_date, is_pinned, derived_as_of_date, latest_event_date"
            " from main_intermediate.int_extract_as_of_date"
        ).fetchone()
    assert row is not None
    return row


def month_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def test_as_of_date_is_the_day_after_the_latest_event(built: Path) -> None:
    # The 2099 login is ignored (after the run's date + 1 day), and the run's date plays no part.
    assert as_of_row(built) == (AS_OF, False, AS_OF, END_DAY)


def test_no_mart_has_a_month_after_the_as_of_month(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as connection:
        columns = connection.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'main' and data_type = 'DATE'"
            " and (column_name like '%month%' or column_name in ('period_start', 'quarter_start', 'snapshot_date'))"
            " and table_name <> 'dim_date' order by 1, 2"
        ).fetchall()
        assert ("kpi_overview", "month_start") in columns and ("win_rates", "period_start") in columns
        late = {}
        for table, column in columns:
            limit = month_after(AS_OF, 1 + HORIZON_MONTHS.get((table, column), 0))
            (count,) = connection.execute(
                f'select count(*) from main."{table}" where "{column}" >= ?', [limit]
            ).fetchone()
            if count:
                late[f"{table}.{column}"] = count
        (last_kpi_month,) = connection.execute("select max(month_start) from main.kpi_overview").fetchone()
        (forecast_end,) = connection.execute("select max(target_month_start) from main.forecast").fetchone()
    assert late == {}
    assert last_kpi_month == AS_OF.replace(day=1) == dt.date(2017, 7, 1)
    assert forecast_end == dt.date(2017, 9, 1)  # the latest forecast (as of 2017-07-01) targets July to September


def test_var_and_env_pin_as_of_date(work: Path, extract: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy under the same file name: the staging views name the database (catalog "crm").
    pinned = work / "pinned" / built.name
    pinned.parent.mkdir()
    shutil.copy(built, pinned)
    selection = ["--select", "int_extract_as_of_date", "revenue_monthly", "win_rates"]
    monkeypatch.setenv("CRM_AS_OF_DATE", "2017-02-10")
    assert_ok(run_dbt(work, extract, "run", *selection, database=pinned))
    assert as_of_row(pinned) == (dt.date(2017, 2, 10), True, AS_OF, END_DAY)
    # --vars beats the environment.
    assert_ok(run_dbt(work, extract, "run", *selection, database=pinned, dbt_vars={"as_of_date": "2017-03-15"}))
    assert as_of_row(pinned) == (dt.date(2017, 3, 15), True, AS_OF, END_DAY)
    with duckdb.connect(str(pinned), read_only=True) as connection:
        (revenue_end,) = connection.execute("select max(month_start) from main.revenue_monthly").fetchone()
        (win_rate_end,) = connection.execute(
            "select max(period_start) from main.win_rates where period_grain = 'month'"
        ).fetchone()
    assert (revenue_end, win_rate_end) == (dt.date(2017, 3, 1), dt.date(2017, 3, 1))


def test_no_event_falls_back_to_the_run_date_and_a_late_event_is_capped(work: Path, extract: Path) -> None:
    """Header-only extract: no event -> the run's date. Then one login tomorrow (UTC, allowed: run date + 1 day)
    and one the day after (ignored): today is tomorrow, never later."""
    empty = work / "empty"
    empty.mkdir()
    for source in extract.glob("*.csv"):
        (empty / source.name).write_text(source.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    database = work / "empty_db" / "crm.duckdb"
    database.parent.mkdir()
    selection = ["--select", "+int_extract_as_of_date"]
    assert_ok(run_dbt(work, empty, "run", *selection, database=database))
    with duckdb.connect(str(database), read_only=True) as connection:
        as_of, latest, run_date = connection.execute(
            "select as_of_date, latest_event_date, run_date from main_intermediate.int_extract_as_of_date"
        ).fetchone()
    assert (as_of, latest) == (run_date, None)
    tomorrow, day_after = (run_date + dt.timedelta(days=days) for days in (1, 2))
    with (empty / "crm_logins.csv").open("a", encoding="utf-8") as logins:
        logins.write(f'"LOG-1","USR-1","{tomorrow}T01:00:00Z","60"\n"LOG-2","USR-1","{day_after}T01:00:00Z","60"\n')
    assert_ok(run_dbt(work, empty, "run", *selection, database=database))
    with duckdb.connect(str(database), read_only=True) as connection:
        as_of, latest, run_date_again = connection.execute(
            "select as_of_date, latest_event_date, run_date from main_intermediate.int_extract_as_of_date"
        ).fetchone()
    assert run_date_again == run_date, "the run crossed midnight"
    assert (as_of, latest) == (tomorrow, tomorrow)
