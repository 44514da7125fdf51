"""Issue 10, item 4, end to end: an order in a currency whose only rate is years later is flagged, not converted.

ORD-0000003 (2023-12-26, two lines) is rewritten in JPY and the extract's only JPY rate is dated 2026-10-31. The
documented rule is the latest rate on or before the day: there is none, so the door flags the order no_fx_rate,
its USD amounts stay null in fct_orders (not 0, not the 2026 rate) and every model downstream still builds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from corpus.cases import copy_demo_extract
from dbt_helpers import assert_ok, run_dbt

ORDER = "ORD-0000003"


def test_an_order_before_its_currencys_first_rate_is_flagged_and_left_unconverted(tmp_path: Path) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    orders = extract / "orders.csv"
    text = orders.read_text(encoding="utf-8")
    line = f'"{ORDER}","ACC-000008","OPP-0000008","2023-12-26T03:12:03Z","completed","EUR","2023-12-26T08:03:46Z"'
    assert text.count(line) == 1
    orders.write_text(text.replace(line, line.replace('"EUR"', '"JPY"')), encoding="utf-8")
    with (extract / "fx_rates.csv").open("a", encoding="utf-8") as rates:
        rates.write('"2026-10-31","JPY","0.006500"\n')

    assert_ok(run_dbt(tmp_path, extract, "build"))

    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as con:
        flags = con.execute(
            "select column_name, rule from main_intermediate.data_quality__value_issues "
            "where entity = 'orders' and source_key = ?",
            [ORDER],
        ).fetchall()
        order = con.execute(
            "select currency, fx_rate_to_usd, gross_revenue_usd, revenue_usd, cost_usd, margin_usd, item_count "
            "from main.fct_orders where order_id = ?",
            [ORDER],
        ).fetchall()
        lines = con.execute(
            "select count(*), count(revenue_usd) from main.fct_order_items where order_id = ?", [ORDER]
        ).fetchone()
    assert flags == [("currency", "no_fx_rate")]
    assert order == [("JPY", None, None, None, None, None, 2)]
    assert lines == (2, 0)
