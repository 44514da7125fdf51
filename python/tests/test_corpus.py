"""The broken-extract corpus (python/tests/corpus/cases.py): every case's defect has exactly its documented outcome.

File-level cases run pre-flight only (no dbt). Row-level cases share one dbt build of a combined extract; the
all-invalid entity rides along in it, since the quarantine gate only fails its own test. The absent optional
entity and the mutation proof (a value outside its documented range that quarantine lets through) get their
own builds, selecting only the models they need.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from corpus.cases import (
    ABSENT_OPTIONAL_ENTITY,
    ALL_INVALID_ENTITY,
    FILE_CASES,
    FLAG_CASES,
    HASH_ID,
    HASH_IDS,
    LONG_TEXT_ID,
    LONG_TEXT_LENGTH,
    OPEN_DEAL_IN_FUTURE,
    PIPELINE_ONLY_ENTITIES,
    ROW_CASES,
    THREE_CHECKS,
    THREE_CHECKS_KEY,
    FileCase,
    FlagCase,
    RowCase,
    combined_row_extract,
    copy_demo_extract,
    data_row_count,
    gzip_as_csv_gz,
    hash_id_and_long_text,
    header_only,
    pipeline_only_extract,
    read_rows,
    utf8_bom,
    without_optional_entity,
)
from dbt_helpers import assert_ok, run_dbt

from crm_warehouse.contract import load_contract
from crm_warehouse.preflight import check_extract, main, run_preflight

# Staging tests are the staging suite's business; cautious indirect selection leaves out tests that also read
# models outside the selection.
NO_STAGING_TESTS = ["--exclude", "path:models/staging,resource_type:test", "--indirect-selection", "cautious"]


def test_the_corpus_covers_every_defect_kind() -> None:
    assert len(FILE_CASES) + len(ROW_CASES) + 2 >= 15  # + the all-invalid and the absent-entity builds
    assert {c.reason for c in ROW_CASES} >= {
        "unparseable_value",
        "duplicate_key",
        "orphan_reference",
        "negative_amount",
        "unknown_enum",
        "future_timestamp",
    }


# --- file level: pre-flight -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo_extract(tmp_path_factory.mktemp("corpus_demo"))


def test_the_clean_demo_extract_passes_preflight(demo_copy: Path) -> None:
    assert check_extract(demo_copy) == []


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.name)
def test_file_case_preflight_names_file_line_and_column(
    case: FileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    case.mutate(extract)
    problems = check_extract(extract)
    assert [str(p) for p in problems if p.severity == "error"] == case.errors
    assert [str(p) for p in problems if p.severity == "warning"] == case.warnings
    # The command the build runs first: non-zero exactly when there is an error, each problem printed.
    assert main([str(extract)]) == (1 if case.errors else 0)
    printed = capsys.readouterr().err
    assert all(line in printed for line in case.errors + case.warnings)


# --- row level: one combined build ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def combined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(extract, DuckDB file, dbt stdout) of the quarantine layer built over the combined row-case extract."""
    tmp = tmp_path_factory.mktemp("corpus_rows")
    extract = combined_row_extract(tmp / "extract")
    assert [p for p in check_extract(extract) if p.severity == "error"] == []
    result = run_dbt(tmp, extract, "build", "--select", "+data_quality__row_accounting", *NO_STAGING_TESTS)
    # The all-invalid entity must stop the build (next test); anything else failing is a real failure.
    failed = [
        r["unique_id"]
        for r in json.loads((tmp / "target" / "run_results.json").read_text())["results"]
        if r["status"] in ("error", "fail")
    ]
    assert len(failed) == 1 and ".quarantine_share_within_thresholds" in failed[0], result.stdout[-6000:]
    return extract, tmp / "crm.duckdb", result.stdout


@pytest.fixture
def warehouse(combined: tuple[Path, Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(combined[1]), read_only=True)
    yield connection
    connection.close()


def test_an_all_invalid_entity_stops_the_build_naming_it_and_its_top_reasons(combined) -> None:
    quotas = data_row_count(combined[0] / f"{ALL_INVALID_ENTITY}.csv")
    assert quotas > 0
    stdout = combined[2]
    assert (
        f"Quarantine share of {ALL_INVALID_ENTITY} is 100.0% ({quotas} of {quotas} rows; error above 10%)."
        f" Top reasons: unparseable_value" in stdout
    )
    assert "Done." in stdout and "ERROR=1" in stdout


@pytest.mark.parametrize("case", ROW_CASES, ids=lambda c: c.name)
def test_row_case_lands_in_quarantine_with_its_reason_and_column(case: RowCase, warehouse) -> None:
    rows = warehouse.execute(
        "select reason, column_name from main_intermediate.quarantine where entity = ? and source_key = ?",
        [case.entity, case.source_key],
    ).fetchall()
    assert rows == [(case.reason, case.column)]


@pytest.mark.parametrize("case", [c for c in ROW_CASES if c.offending_value], ids=lambda c: c.name)
def test_row_case_keeps_the_raw_text_of_its_offending_value(case: RowCase, warehouse) -> None:
    rows = warehouse.execute(
        "select offending_value from main_intermediate.quarantine where entity = ? and source_key = ?",
        [case.entity, case.source_key],
    ).fetchall()
    assert rows == [(case.offending_value,)]


def test_nothing_but_the_injected_rows_is_quarantined(warehouse) -> None:
    quarantined = set(
        warehouse.sql(
            "select entity, source_key, reason, column_name from main_intermediate.quarantine where entity <> ?",
            params=[ALL_INVALID_ENTITY],
        ).fetchall()
    )
    assert quarantined == {(c.entity, c.source_key, c.reason, c.column) for c in ROW_CASES}
    reasons = warehouse.execute(
        "select distinct reason, column_name from main_intermediate.quarantine where entity = ?",
        [ALL_INVALID_ENTITY],
    ).fetchall()
    assert reasons == [("unparseable_value", "quota_amount")]


def test_a_row_failing_three_checks_lists_all_three(warehouse) -> None:
    rows = warehouse.execute(
        "select reason, column_name, failed_checks, failed_check_count from main_intermediate.quarantine"
        " where entity = 'opportunities' and source_key = ?",
        [THREE_CHECKS_KEY],
    ).fetchall()
    assert rows == [("missing_required", "opportunity_type", THREE_CHECKS, 3)]


@pytest.mark.parametrize("case", FLAG_CASES, ids=lambda c: c.name)
def test_flag_case_keeps_the_row_with_its_values_flagged_and_mended(case: FlagCase, warehouse) -> None:
    (pk,) = load_contract()[case.entity].primary_key
    columns = ", ".join(case.mended)
    kept = warehouse.execute(
        f"select is_valid, has_value_issues, {columns} from main_intermediate.int_{case.entity}_validated"
        f" where {pk} = ?",
        [case.source_key],
    ).fetchall()
    assert kept == [(True, bool(case.flags), *case.mended.values())]
    flags = warehouse.execute(
        "select rule, column_name, raw_value from main_intermediate.data_quality__value_issues"
        " where entity = ? and source_key = ? order by rule, column_name",
        [case.entity, case.source_key],
    ).fetchall()
    assert flags == sorted(case.flags)


def test_nothing_but_the_flag_cases_is_flagged(warehouse) -> None:
    flagged = set(
        warehouse.sql(
            "select entity, source_key, rule, column_name from main_intermediate.data_quality__value_issues"
        ).fetchall()
    )
    assert flagged == {(c.entity, c.source_key, rule, column) for c in FLAG_CASES for rule, column, _ in c.flags}


def test_an_open_deal_may_close_in_the_future(warehouse) -> None:
    rows = warehouse.execute(
        "select is_valid from main_intermediate.int_opportunities_validated where opportunity_id = ?",
        [OPEN_DEAL_IN_FUTURE],
    ).fetchall()
    assert rows == [(True,)]


def test_every_raw_row_is_accounted_for(warehouse, combined) -> None:
    extract = combined[0]
    rows = warehouse.sql(
        "select entity, raw_rows, valid_rows, flagged_rows, quarantined_rows, exact_duplicates_collapsed,"
        " is_balanced from main_intermediate.data_quality__row_accounting"
    ).fetchall()
    assert {entity for entity, *_ in rows} == set(load_contract())
    clean = copy_demo_extract(extract.parent / "clean")
    for entity, raw_rows, valid, flagged, quarantined, collapsed, is_balanced in rows:
        assert raw_rows == data_row_count(extract / f"{entity}.csv"), entity
        assert raw_rows == valid + flagged + quarantined + collapsed and is_balanced, entity
        if entity in (ALL_INVALID_ENTITY, "crm_logins"):
            continue
        # Exactly the injected rows: the demo's own rows are all valid, each case adds one row.
        row_cases = sum(c.entity == entity for c in ROW_CASES)
        flag_cases = [c for c in FLAG_CASES if c.entity == entity]
        flagged_cases = sum(bool(c.flags) for c in flag_cases)
        control = int(entity == "opportunities")  # the open deal closing in the future
        assert (quarantined, flagged) == (row_cases, flagged_cases), entity
        assert valid == data_row_count(clean / f"{entity}.csv") + len(flag_cases) - flagged_cases + control, entity
    by_entity = {entity: (raw, valid, flagged, quarantined) for entity, raw, valid, flagged, quarantined, *_ in rows}
    assert by_entity["crm_logins"] == (0, 0, 0, 0)  # the header-only file: an empty entity, nothing lost
    quotas = by_entity[ALL_INVALID_ENTITY][0]
    assert by_entity[ALL_INVALID_ENTITY] == (quotas, 0, 0, quotas)
    # The duplicate_key case adds an older version of an account: quarantined, the newer one stays valid.
    assert by_entity["accounts"][3] == 1


# --- an extract of only accounts, products, users and opportunities -------------------------------------------


def test_a_pipeline_only_extract_keeps_every_deal(tmp_path: Path) -> None:
    extract = pipeline_only_extract(tmp_path / "extract")
    # The required entities it lacks are header-only and declared absent (what a mapping's `absent:` does).
    absent = [e for e, meta in load_contract().items() if e not in PIPELINE_ONLY_ENTITIES and not meta.optional]
    assert [p for p in check_extract(extract, absent=absent) if p.severity == "error"] == []
    selection = ["+data_quality__row_accounting", "+fct_opportunities"]
    dbt_vars = {"crm_absent_entities": absent}
    assert_ok(run_dbt(tmp_path, extract, "build", "--select", *selection, *NO_STAGING_TESTS, dbt_vars=dbt_vars))
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as connection:
        accounting = {
            entity: (raw, valid, flagged, quarantined, balanced)
            for entity, raw, valid, flagged, quarantined, balanced in connection.sql(
                "select entity, raw_rows, valid_rows, flagged_rows, quarantined_rows, is_balanced"
                " from main_intermediate.data_quality__row_accounting"
            ).fetchall()
        }
        deals = connection.sql("select count(*) from main.fct_opportunities").fetchone()[0]
    for entity in ("accounts", "products", "users"):
        raw = data_row_count(extract / f"{entity}.csv")
        assert raw > 0 and accounting[entity] == (raw, raw, 0, 0, True), entity
    # Every deal is kept. Those naming a lead or campaign (entities this export lacks) are flagged, not dropped.
    deal_rows = read_rows(extract / "opportunities.csv")
    with_missing_reference = sum(1 for row in deal_rows if row["lead_id"] or row["campaign_id"])
    assert with_missing_reference > 0
    assert accounting["opportunities"] == (
        len(deal_rows),
        len(deal_rows) - with_missing_reference,
        with_missing_reference,
        0,
        True,
    )
    assert {e for e in accounting if accounting[e][0] > 0} == set(PIPELINE_ONLY_ENTITIES)
    assert deals == data_row_count(extract / "opportunities.csv")


# --- the door reads every record pre-flight counted (issue 10, items 1, 11, 12) --------------------------------


def test_every_record_preflight_counts_is_read(tmp_path: Path) -> None:
    """Tickets keyed by number, 10 of them written #4010 and the like (unquoted: comment lines to a reader that
    sniffs a comment character; main read 440 of 450 tickets, balanced and green), a 200,000-character
    description, a BOM before accounts' header and activities as .csv.gz: every record is read, and the row
    accounting, given pre-flight's counts, balances."""
    extract = copy_demo_extract(tmp_path / "extract")
    hash_id_and_long_text(extract)
    utf8_bom("accounts")(extract)
    gzip_as_csv_gz("activities")(extract)
    preflight = run_preflight(extract)
    assert preflight.problems == []
    assert preflight.row_counts["tickets"] == data_row_count(copy_demo_extract(tmp_path / "clean") / "tickets.csv") + 1
    dbt_vars = {"crm_preflight_row_counts": preflight.row_counts}
    assert_ok(
        run_dbt(
            tmp_path,
            extract,
            "build",
            "--select",
            "+data_quality__row_accounting",
            *NO_STAGING_TESTS,
            dbt_vars=dbt_vars,
        )
    )
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as connection:
        accounting = dict(
            connection.sql(
                "select entity, [raw_rows, preflight_rows, is_balanced::int]"
                " from main_intermediate.data_quality__row_accounting"
            ).fetchall()
        )
        tickets = connection.sql(
            "select ticket_id, length(description) from main_intermediate.int_tickets_validated"
            " where ticket_id like '#%' or ticket_id = ? order by 1",
            params=[LONG_TEXT_ID],
        ).fetchall()
    assert accounting == {entity: [rows, rows, 1] for entity, rows in preflight.row_counts.items()}
    assert len(tickets) == HASH_IDS + 1
    hash_row = next(row for row in read_rows(extract / "tickets.csv") if row["ticket_id"] == HASH_ID)
    assert tickets[0] == (HASH_ID, len(hash_row["description"]))
    assert tickets[-1] == (LONG_TEXT_ID, LONG_TEXT_LENGTH)


def test_a_short_read_or_an_empty_required_entity_stops_a_direct_dbt_build(tmp_path: Path) -> None:
    """dbt without the driver: order_items header-only and not declared absent stops the build naming it; a file
    read short of pre-flight's count (here the count says one more ticket than the file has) stops it naming the
    file and both counts."""
    extract = copy_demo_extract(tmp_path / "extract")
    header_only("order_items")(extract)
    counts = run_preflight(extract).row_counts
    tickets = counts["tickets"]
    dbt_vars = {"crm_preflight_row_counts": {**counts, "tickets": tickets + 1}}
    result = run_dbt(
        tmp_path, extract, "build", "--select", "+data_quality__row_accounting", *NO_STAGING_TESTS, dbt_vars=dbt_vars
    )
    assert result.returncode != 0
    assert (
        "Required entity order_items has no data rows (its file has only a header): export its rows, or declare it"
        " absent with var crm_absent_entities: [order_items] to build it empty with its metrics null" in result.stdout
    )
    assert (
        f"Raw file tickets.csv was read with {tickets} rows but pre-flight counted {tickets + 1} records: rows were"
        " lost on the way in. Run python -m crm_warehouse.preflight on the extract" in result.stdout
    )
    failed = sorted(
        r["unique_id"].rsplit(".", 1)[-1]
        for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        if r["status"] in ("error", "fail")
    )
    assert failed == [
        "assert_raw_files_read_whole",
        "assert_required_entities_have_rows",
        "assert_row_accounting_balances",
    ], result.stdout[-4000:]


# --- an absent optional entity --------------------------------------------------------------------------------


def test_an_absent_optional_entity_builds_with_null_metrics(tmp_path: Path) -> None:
    extract = without_optional_entity(tmp_path / "extract")
    assert [(p.file, p.severity) for p in check_extract(extract)] == [(f"{ABSENT_OPTIONAL_ENTITY}.csv", "warning")]
    assert_ok(run_dbt(tmp_path, extract, "build", "--select", "+kpi_overview", *NO_STAGING_TESTS))
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as connection:
        assert connection.sql("select count(*) from main.customer_perception").fetchone() == (0,)
        months, nps, csat, revenue = connection.sql(
            "select count(*), count(nps), count(csat_mean), count(revenue_usd) from main.kpi_overview"
        ).fetchone()
    assert months > 0 and revenue > 0  # the rest of the overview is there
    assert (nps, csat) == (0, 0)  # the survey metrics are null, not zero


# --- mutation proof: a value outside its documented range reaches a mart and the gate names it ----------------


@dataclass(frozen=True)
class Mutation:
    """One demo value set outside its documented range, which quarantine (a type and contract check) lets through."""

    name: str
    entity: str
    clean_line: str
    corrupt: tuple[str, str]  # (clean field, corrupted field) within clean_line
    key: tuple[str, str]  # (primary key column, value) of the corrupted row
    mart: str
    stops_with: tuple[str, ...]  # lines dbt prints: an enforced constraint stops the model, a test fails


MUTATIONS = [
    # A discount of 300% makes the line's revenue negative.
    Mutation(
        "discount_rate_above_one",
        "order_items",
        '"ORI-00000001","ORD-0000001","PRD-0002","13","720.00","0.10","124.80"',
        ('"0.10"', '"3"'),
        ("order_item_id", "ORI-00000001"),
        "fct_order_items",
        (
            "Runtime Error in model fct_order_items",
            "CHECK constraint failed on table fct_order_items with expression CHECK((discount_rate BETWEEN 0 AND 1))",
        ),
    ),
    # A score of 50 on a 0..10 NPS scale counts as a promoter and inflates every score mean.
    Mutation(
        "survey_score_outside_its_scale",
        "survey_responses",
        '"SRV-0000001","ACC-000001","CON-0000001",,"nps","8","0","10","2024-03-25T09:51:34Z",',
        ('"8"', '"50"'),
        ("response_id", "SRV-0000001"),
        "fct_survey_responses",
        (
            "Failure in test accepted_range_fct_survey_responses_score__scale_max__scale_min",
            "Got 1 result, configured to fail if != 0",
        ),
    ),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_value_outside_its_documented_range_fails_the_gate_naming_mart_and_column(
    mutation: Mutation, tmp_path: Path
) -> None:
    extract = copy_demo_extract(tmp_path / "extract")
    path = extract / f"{mutation.entity}.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(mutation.clean_line) == 1
    clean, corrupted = mutation.corrupt
    path.write_text(text.replace(mutation.clean_line, mutation.clean_line.replace(clean, corrupted, 1)), "utf-8")
    result = run_dbt(tmp_path, extract, "build", "--select", f"+{mutation.mart}", *NO_STAGING_TESTS)
    assert result.returncode != 0
    for line in mutation.stops_with:
        assert line in result.stdout, result.stdout[-4000:]
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as connection:
        column, value = mutation.key
        verdict = connection.execute(
            f"select is_valid from main_intermediate.int_{mutation.entity}_validated where {column} = ?", [value]
        ).fetchall()
    assert verdict == [(True,)]  # quarantine let it through: the mart's range test is what stops it


# --- source freshness -----------------------------------------------------------------------------------------


def test_source_freshness_flags_a_stale_entity_and_passes_a_fresh_one(tmp_path: Path) -> None:
    """orders gets a row updated now; leads keeps the demo's last update, weeks before the run (error after 7
    days)."""
    extract = copy_demo_extract(tmp_path / "extract")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = extract / "orders.csv"
    newest = max(row["updated_at"] for row in read_rows(path))
    assert dt.datetime.fromisoformat(newest) < dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f'"ORD-9000003","ACC-000001",,"{now}","completed","USD","{now}"\n')
    result = run_dbt(tmp_path, extract, "source", "freshness", "--select", "source:crm.orders", "source:crm.leads")
    assert result.returncode != 0
    statuses = {
        r["unique_id"].rsplit(".", 1)[1]: r["status"]
        for r in json.loads((tmp_path / "target" / "sources.json").read_text())["results"]
    }
    assert statuses == {"orders": "pass", "leads": "error"}
