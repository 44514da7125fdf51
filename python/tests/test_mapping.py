"""The mapping (crm_warehouse.mapping): a YAML file turns a user's export into contract-shaped files.

Expected rows and problems are written out by hand from the tiny exports below; the worked example
(examples/sales_pipeline) is checked for its row counts here and built end to end in test_mapping_example.py.
"""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract
from crm_warehouse.mapping import MappingError, apply_mapping
from crm_warehouse.mapping.__main__ import main
from crm_warehouse.preflight import check_extract

EXAMPLE = PROJECT_ROOT / "examples" / "sales_pipeline"
REQUIRED_ABSENT = ["contacts", "leads", "products", "orders", "order_items", "fx_rates"]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _row(entity: str, common: dict[str, str], **values: str) -> list[str]:
    """A contract row of entity in column order: the given values, every other column empty."""
    given = {**common, **values}
    return [given.get(column, "") for column in load_contract()[entity].column_names]


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A tiny export: deals (odd column names, rows not in key order), reps, and accounts as Parquet."""
    directory = tmp_path / "export"
    directory.mkdir()
    _write_csv(
        directory / "crm_deals.csv",
        [
            ["Deal ID", "Owner", "Account", 'Stage "label"', "Amount", "Opened", "Created"],
            ["D-3", "Rep O'Neil", "ACME", "Closed Won", "100.5", "2017-01-02", ""],
            ["D-1", "Rep A", "", "Engaging", "", "", "2017-02-01"],
            ["D-2", "Rep A", "ACME", "Lost", "0", "2017-01-05", "2017-01-04"],
            ["D-4", "Rep A", "", "Prospecting", "", "", ""],
        ],
    )
    _write_csv(directory / "reps.csv", [["name", "office"], ["Rep A", "West"], ["Rep O'Neil", "East"]])
    accounts = pa.table({"name": ["ACME", "Globex"], "employees": [250, 12], "sector": ["Tech", "Mining"]})
    pq.write_table(accounts, directory / "accounts.parquet")
    return directory


TINY_MAPPING = """
extract_date: 2017-12-31
entities:
  opportunities:
    file: crm_deals.csv
    columns:
      opportunity_id: Deal ID
      account_id: Account
      owner_user_id: Owner
      opportunity_type: {constant: new}
      amount: Amount
      currency: {constant: USD}
      stage:
        from: 'Stage "label"'
        values: {Engaging: qualification, Lost: closed_lost}
      is_closed:
        from: 'Stage "label"'
        values: {Closed Won: true, Lost: true, Engaging: false, Prospecting: false}
      is_won:
        from: 'Stage "label"'
        values: {Closed Won: "yes", Lost: "no", Engaging: "no", Prospecting: "no"}
      close_date: {from: Opened}
      created_at: {from: [Created, Opened], default: "${extract_date}"}
  users:
    file: reps.csv
    columns:
      user_id: name
      full_name: name
      role: {constant: sales_rep}
      region: {from: office, values: {West: north_america, East: north_america}}
  accounts:
    file: accounts.parquet
    columns:
      account_id: name
      account_name: name
      employee_count: employees
      industry: {from: sector, values: {Tech: software}}
      created_at: {constant: "2017-01-01T00:00:00Z"}
absent: [contacts, leads, products, orders, order_items, fx_rates, quotas]
"""


def test_tiny_export_maps_to_the_expected_contract_rows(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "mapped"
    mapped = apply_mapping(_mapping(tmp_path, TINY_MAPPING), raw, out)
    contract = load_contract()

    common = {"owner_user_id": "Rep A", "opportunity_type": "new", "currency": "USD", "updated_at": "2017-12-31"}
    assert _read_csv(out / "opportunities.csv") == [
        contract["opportunities"].column_names,
        _row(
            "opportunities",
            {**common, "opportunity_id": "D-3", "account_id": "ACME", "owner_user_id": "Rep O'Neil"},
            amount="100.5",
            stage="Closed Won",  # not in the value map: passes through (staging makes it closed_won)
            is_closed="true",
            is_won="yes",
            close_date="2017-01-02",
            created_at="2017-01-02",  # Created is empty: the next listed column, Opened
        ),
        _row(
            "opportunities",
            {**common, "opportunity_id": "D-1"},
            stage="qualification",
            is_closed="false",
            is_won="no",
            created_at="2017-02-01",
        ),
        _row(
            "opportunities",
            {**common, "opportunity_id": "D-2", "account_id": "ACME"},
            amount="0",
            stage="closed_lost",
            is_closed="true",
            is_won="no",
            close_date="2017-01-05",
            created_at="2017-01-04",
        ),
        _row(
            "opportunities",
            {**common, "opportunity_id": "D-4"},
            stage="Prospecting",
            is_closed="false",
            is_won="no",
            created_at="2017-12-31",  # neither Created nor Opened: the default, the extract date
        ),
    ]
    users = {"role": "sales_rep", "region": "north_america", "updated_at": "2017-12-31"}
    assert _read_csv(out / "users.csv") == [
        contract["users"].column_names,
        _row("users", users, user_id="Rep A", full_name="Rep A"),
        _row("users", users, user_id="Rep O'Neil", full_name="Rep O'Neil"),
    ]
    # Parquet integers arrive as text; 'Mining' is not mapped and passes through for the build to flag.
    accounts = {"created_at": "2017-01-01T00:00:00Z", "updated_at": "2017-12-31"}
    assert _read_csv(out / "accounts.csv") == [
        contract["accounts"].column_names,
        _row("accounts", accounts, account_id="ACME", account_name="ACME", industry="software", employee_count="250"),
        _row("accounts", accounts, account_id="Globex", account_name="Globex", industry="Mining", employee_count="12"),
    ]
    assert mapped.raw_dir == out
    assert mapped.raw_format == "csv"
    assert mapped.source_files == {
        "opportunities": "crm_deals.csv",
        "users": "reps.csv",
        "accounts": "accounts.parquet",
    }
    assert mapped.row_counts == {
        "accounts": 2,
        "contacts": 0,
        "users": 2,
        "leads": 0,
        "opportunities": 4,
        "products": 0,
        "orders": 0,
        "order_items": 0,
        "fx_rates": 0,
    }
    # The mapped directory is an extract the door's own pre-flight accepts, given the entities declared absent.
    assert [p for p in check_extract(out, absent=mapped.absent_entities) if p.severity == "error"] == []


def test_absent_entities(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "mapped"
    out.mkdir()
    (out / "tickets.csv").write_text("stale,file\n")  # an earlier run's entity must not be read again
    mapped = apply_mapping(_mapping(tmp_path, TINY_MAPPING), raw, out)
    contract = load_contract()
    # Required and declared absent: header-only, so the build runs with the entity empty.
    for name in REQUIRED_ABSENT:
        assert _read_csv(out / f"{name}.csv") == [contract[name].column_names], name
    # Optional: not written, whether declared absent (quotas) or not mentioned (the rest, with a note).
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.csv" for name in [*REQUIRED_ABSENT, "accounts", "users", "opportunities"]
    )
    optional = [e.name for e in contract.values() if e.optional]
    assert mapped.absent_entities == [name for name in contract if name in REQUIRED_ABSENT or name in optional]
    assert mapped.dbt_vars == {"crm_absent_entities": mapped.absent_entities}
    notes = [(p.line, p.message) for p in mapped.problems if p.severity == "note" and p.data_file is None]
    assert notes == [
        (2, f"optional entity {name} is neither mapped nor declared absent: it is left absent")
        for name in optional
        if name != "quotas"
    ]


def test_on_invalid_overrides_become_the_dbt_var(raw: Path, tmp_path: Path) -> None:
    text = TINY_MAPPING + "on_invalid:\n  accounts.industry: reject_row\n  opportunities.product_id: flag_value\n"
    mapped = apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert mapped.dbt_vars["crm_on_invalid"] == {
        "accounts.industry": "reject_row",
        "opportunities.product_id": "flag_value",
    }
    # industry now rejects the row, so the unmapped sector is a warning (rows quarantined), no longer a note.
    (warning,) = [p for p in mapped.problems if p.severity == "warning"]
    assert (warning.line, warning.data_file, warning.column) == (36, "accounts.parquet", "sector")
    assert warning.message == (
        "accounts.industry: values the value map does not cover and that are not contract values; "
        "those rows will be quarantined (unknown_enum): 'Mining' (1 row)"
    )


def test_an_enum_outside_the_list_on_a_descriptive_column_is_a_note(raw: Path, tmp_path: Path) -> None:
    mapped = apply_mapping(_mapping(tmp_path, TINY_MAPPING), raw, tmp_path / "mapped")
    (note,) = [p for p in mapped.problems if p.severity == "note" and p.data_file]
    assert str(note) == (
        f"NOTE: {tmp_path / 'mapping.yml'}, line 36 (accounts.parquet, column 'sector'): accounts.industry: "
        "values the value map does not cover and that are not contract values; the rows are kept and the value "
        "becomes 'other' (flag_value): 'Mining' (1 row)"
    )


def test_uncovered_values_of_required_columns_are_warned_with_row_counts(tmp_path: Path) -> None:
    raw = tmp_path / "export"
    raw.mkdir()
    stages = ["Won", "Negotiating", "Won", "Closed", "Negotiating", "", "Won"]
    _write_csv(raw / "deals.csv", [["id", "rep", "Stage"], *[[f"D{i}", "R1", s] for i, s in enumerate(stages)]])
    _write_csv(raw / "reps.csv", [["name"], ["R1"]])
    mapping = _mapping(
        tmp_path,
        """
        extract_date: 2017-12-31
        entities:
          opportunities:
            file: deals.csv
            columns:
              opportunity_id: id
              owner_user_id: rep
              opportunity_type: {constant: new}
              currency: {constant: USD}
              stage:
                from: Stage
                values: {Won: closed_won}
              is_closed:
                from: Stage
                values: {Won: true, Negotiating: false}
              is_won: {constant: false}
              created_at: {constant: 2017-01-01}
          users:
            file: reps.csv
            columns: {user_id: name, role: {constant: sales_rep}}
          accounts:
            file: reps.csv
            columns: {account_id: name, account_name: name, created_at: {constant: 2017-01-01}}
        absent: [contacts, leads, products, orders, order_items, fx_rates]
        """,
    )
    mapped = apply_mapping(mapping, raw, tmp_path / "mapped")
    warnings = [(p.line, p.data_file, p.column, p.message) for p in mapped.problems if p.severity == "warning"]
    assert warnings == [
        (
            3,
            "deals.csv",
            None,
            "opportunities.close_date is not mapped; it is required when is_closed is true: "
            "those rows will be quarantined",
        ),
        (
            10,
            "deals.csv",
            "Stage",
            "opportunities.stage: values the value map does not cover and that are not contract values; "
            "those rows will be quarantined (unknown_enum): 'Negotiating' (2 rows), 'Closed' (1 row)",
        ),
        (
            10,
            "deals.csv",
            "Stage",
            "opportunities.stage: 1 row with no value in Stage and no default: "
            "they will be quarantined (missing_required)",
        ),
        (
            13,
            "deals.csv",
            "Stage",
            "opportunities.is_closed: values the value map does not cover and that are not booleans; "
            "those rows will be quarantined (unparseable_value): 'Closed' (1 row)",
        ),
        (
            13,
            "deals.csv",
            "Stage",
            "opportunities.is_closed: 1 row with no value in Stage and no default: "
            "they will be quarantined (missing_required)",
        ),
    ]
    # Warnings do not stop the mapping: every row is written, for the build to quarantine and count.
    assert mapped.row_counts["opportunities"] == 7


# Line numbers are those of this text (the mapping file starts at "extract_date").
FAULTY_MAPPING = """
extract_date: 2017-12-31
entities:
  acounts:
    file: accounts.csv
  users:
    file: reps.csv
    columns:
      user_id: name
      role: {constant: sales_representative}
      favourite_colour: {constant: blue}
  opportunities:
    file: crm_deals.csv
    columns:
      opportunity_id: Deal ID
      owner_user_id: Owner Name
      opportunity_type: {constant: new}
      currency: {constant: USD}
      is_closed: {constant: maybe}
      is_won: {constant: false}
      created_at: Created
  leads:
    file: leads.csv
    columns: {lead_id: id, source: {constant: website}, status: {constant: new}, created_at: created}
absent: [contacts, products, orders, order_items, fx_rates, quotas]
on_invalid:
  opportunities.colour: reject_row
  accounts.industry: drop
"""


def test_preflight_lists_every_error_with_its_mapping_line_file_and_column(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "mapped"
    with pytest.raises(MappingError) as caught:
        apply_mapping(_mapping(tmp_path, FAULTY_MAPPING), raw, out)
    header = 'Deal ID, Owner, Account, Stage "label", Amount, Opened, Created'
    assert [(p.line, p.data_file, p.column, p.message) for p in caught.value.errors] == [
        (26, None, None, "on_invalid: 'opportunities.colour' is not a contract column (<entity>.<column>)"),
        (27, None, None, "on_invalid: accounts.industry: 'drop' is not one of reject_row, flag_value"),
        (3, None, None, "'acounts' is not a contract entity (did you mean 'accounts'?)"),
        (
            9,
            None,
            None,
            "users.role: constant 'sales_representative' is not one of the contract's values "
            "(sales_rep, sales_manager, customer_success, support_agent, admin)",
        ),
        (10, None, None, "users.favourite_colour is not a contract column of users"),
        (
            15,
            "crm_deals.csv",
            "Owner Name",
            f"opportunities.owner_user_id: user column 'Owner Name' is not in crm_deals.csv (did you mean 'Owner'?); "
            f"its header: {header}",
        ),
        (18, None, None, "opportunities.is_closed: constant 'maybe' is not a boolean (true/false, 1/0, yes/no)"),
        (
            11,
            "crm_deals.csv",
            None,
            "opportunities.stage is required by the contract and not mapped: map a user column or a constant",
        ),
        (22, "leads.csv", None, f"leads: the user file is not in {raw}"),
        (
            2,
            None,
            None,
            "required entity accounts is neither mapped nor declared absent: map it under 'entities' "
            "or list it under 'absent' (it then builds empty)",
        ),
    ]
    assert not out.exists()  # nothing is written when pre-flight finds an error
    message = str(caught.value)
    assert message.startswith("10 error(s) in the mapping; nothing was written\n")
    assert f"ERROR: {tmp_path / 'mapping.yml'}, line 15 (crm_deals.csv, column 'Owner Name'): " in message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("entities:\n  users: [unclosed\n", 3, "not valid YAML"),
        ("entities:\n  users:\n    file: a.csv\n  users:\n    file: b.csv\n", 4, "entities: 'users' is given twice"),
        (
            "entities:\n  users:\n    file: reps.csv\n    columns:\n      user_id: {form: name}\n",
            5,
            "users.user_id: unknown key 'form'",
        ),
        ("entities:\n  users:\n    columns: {user_id: name}\n", 2, "entity users: 'file' (the user's file for it)"),
        (
            "entities:\n  users:\n    file: reps.csv\n    columns:\n      user_id: {from: name, constant: x}\n",
            5,
            "users.user_id: give exactly one of 'from' (user columns) or 'constant'",
        ),
    ],
)
def test_structural_errors_name_the_line(raw: Path, tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    (error, *_) = caught.value.errors
    assert error.line == line
    assert error.message.startswith(message)


def test_extract_date_placeholder_needs_an_extract_date(raw: Path, tmp_path: Path) -> None:
    text = TINY_MAPPING.replace("extract_date: 2017-12-31\n", "")  # every line moves up by one
    with pytest.raises(MappingError) as caught:
        apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert [(p.line, p.message) for p in caught.value.errors] == [
        (21, "opportunities.created_at: default uses ${extract_date} but the mapping has no extract_date"),
        (
            2,
            "opportunities.updated_at is required by the contract and not mapped: "
            "map a user column or a constant or declare extract_date",
        ),
        (
            22,
            "users.updated_at is required by the contract and not mapped: "
            "map a user column or a constant or declare extract_date",
        ),
        (
            29,
            "accounts.updated_at is required by the contract and not mapped: "
            "map a user column or a constant or declare extract_date",
        ),
    ]


def test_values_are_data_not_sql(raw: Path, tmp_path: Path) -> None:
    """Quotes in user column names and in written values reach the files verbatim."""
    text = TINY_MAPPING.replace("{constant: new}", """{constant: "it's \\"new\\"); drop table x; --"}""")
    with pytest.raises(MappingError) as caught:  # still not an opportunity type of the contract
        apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert caught.value.errors[0].message.startswith(
        """opportunities.opportunity_type: constant 'it\\'s "new"); drop table x; --' is not one of"""
    )
    text = TINY_MAPPING.replace("full_name: name", """full_name: {constant: "O'Brien \\"Bob\\""}""")
    apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert {row[1] for row in _read_csv(tmp_path / "mapped" / "users.csv")[1:]} == {'O\'Brien "Bob"'}


def test_the_sales_pipeline_example_maps_to_the_expected_row_counts(tmp_path: Path) -> None:
    out = tmp_path / "mapped"
    mapped = apply_mapping(EXAMPLE / "mapping.yml", EXAMPLE, out)
    # Rows of the fixture files: 12 accounts, 6 products, 7 sales agents, 50 deals; the other required
    # entities are declared absent and written header-only.
    assert mapped.row_counts == {
        "accounts": 12,
        "contacts": 0,
        "users": 7,
        "leads": 0,
        "opportunities": 50,
        "products": 6,
        "orders": 0,
        "order_items": 0,
        "fx_rates": 0,
    }
    assert {name: len(_read_csv(out / f"{name}.csv")) - 1 for name in mapped.row_counts} == mapped.row_counts
    assert mapped.source_files == {
        "accounts": "accounts.csv",
        "products": "products.csv",
        "users": "sales_teams.csv",
        "opportunities": "sales_pipeline.csv",
    }
    # One sector typo and two telecommunications accounts: kept by the build with industry 'other'.
    assert [(p.severity, p.data_file, p.column) for p in mapped.problems] == [("note", "accounts.csv", "sector")]
    assert mapped.problems[0].message.endswith("'telecommunications' (2 rows), 'technolgy' (1 row)")
    assert mapped.dbt_vars["crm_on_invalid"] == {"accounts.industry": "flag_value"}
    assert [p for p in check_extract(out, absent=mapped.absent_entities) if p.severity == "error"] == []


def test_command_prints_what_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLE / "mapping.yml"), str(EXAMPLE), str(tmp_path / "mapped")]) == 0
    printed = capsys.readouterr().out
    assert f"opportunities <- sales_pipeline.csv: 50 row(s) -> {tmp_path / 'mapped' / 'opportunities.csv'}" in printed
    assert "    stage <- deal_stage (value map of 4 values)" in printed
    assert "    currency = 'USD'" in printed
    assert "    created_at <- engage_date (default '2017-12-31')" in printed
    assert "orders: absent (required: written header-only, it builds empty)" in printed
    assert 'dbt vars: {"crm_absent_entities": ["contacts", ' in printed


def test_command_fails_and_lists_the_problems(raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = _mapping(tmp_path, FAULTY_MAPPING)
    assert main([str(mapping), str(raw), str(tmp_path / "mapped")]) == 1
    printed = capsys.readouterr().err
    assert printed.startswith("mapping: 10 error(s) in the mapping; nothing was written\n")
    assert f"ERROR: {mapping}, line 22 (leads.csv): leads: the user file is not in {raw}" in printed


def test_value_map_targets_and_defaults_are_checked_too(raw: Path, tmp_path: Path) -> None:
    text = TINY_MAPPING.replace("Lost: closed_lost}", "Lost: closed_lose}").replace(
        'default: "${extract_date}"', "default: 31/12/2017"
    )
    with pytest.raises(MappingError) as caught:
        apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert [(p.line, p.message) for p in caught.value.errors] == [
        (
            14,
            "opportunities.stage: value map 'Lost' -> 'closed_lose' is not one of the contract's values "
            "(prospecting, qualification, demo, proposal, negotiation, closed_won, closed_lost)",
        ),
        (
            22,
            "opportunities.created_at: default '31/12/2017' is not an ISO 8601 timestamp "
            "(2017-12-31 or 2017-12-31T09:30:00Z)",
        ),
    ]


def test_semicolon_csv_and_a_value_map_of_the_empty_value(raw: Path, tmp_path: Path) -> None:
    (raw / "reps.csv").write_text("name;office\nRep A;West\nRep B;\n")
    text = TINY_MAPPING.replace("file: reps.csv", "file: reps.csv\n    delimiter: ';'").replace(
        "{West: north_america, East: north_america}", "{West: north_america, ~: emea}"
    )
    apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    users = _read_csv(tmp_path / "mapped" / "users.csv")
    region = users[0].index("region")
    assert [(row[0], row[region]) for row in users[1:]] == [("Rep A", "north_america"), ("Rep B", "emea")]


def test_file_type_and_delimiter_errors(raw: Path, tmp_path: Path) -> None:
    text = TINY_MAPPING.replace("file: reps.csv", "file: reps.xlsx").replace(
        "file: accounts.parquet", "file: accounts.parquet\n    delimiter: ','"
    )
    with pytest.raises(MappingError) as caught:
        apply_mapping(_mapping(tmp_path, text), raw, tmp_path / "mapped")
    assert [(p.line, p.data_file, p.message) for p in caught.value.errors] == [
        (24, "reps.xlsx", "users: unknown file type; expected .csv or .parquet"),
        (32, "accounts.parquet", "accounts: a delimiter applies to CSV files only"),
    ]
