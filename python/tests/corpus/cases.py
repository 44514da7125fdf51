"""Broken-extract corpus as code: each case is a mutation of a copy of the clean demo extract (seeds/demo, in
the raw contract format) and the outcome it must have.

Three kinds of outcome:
  FileCase    pre-flight (python -m crm_warehouse.preflight) reports exactly these problems, naming the file,
              line and column; an error stops the build before dbt reads the extract.
  RowCase     the extract builds and the injected row lands in quarantine with this reason and column. Row cases
              add rows with their own keys (or touch distinct entities), so they share one combined extract and
              one dbt build without interacting.
  The two whole-build cases (an entity whose every row is invalid, an absent optional entity) have their own
  mutation functions below.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import load_contract

DEMO_EXTRACT = PROJECT_ROOT / "seeds" / "demo"
Mutation = Callable[[Path], None]


def copy_demo_extract(target: Path) -> Path:
    """A writable copy of the demo extract (CSV files only) in target."""
    target.mkdir(parents=True, exist_ok=True)
    for path in DEMO_EXTRACT.glob("*.csv"):
        shutil.copy(path, target / path.name)
    return target


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def data_row_count(path: Path) -> int:
    return len(read_rows(path))


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _rewrite(path: Path, edit: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    _write(path, *edit(header, rows))


def _append_variant(extract: Path, entity: str, template_key: str, **values: str) -> None:
    """Append a copy of the row whose first column is template_key, with `values` replaced."""
    path = extract / f"{entity}.csv"
    rows = read_rows(path)
    template = next(row for row in rows if next(iter(row.values())) == template_key)
    unknown = set(values) - set(template)
    assert not unknown, f"{entity} has no column(s) {unknown}"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([values.get(c, v) for c, v in template.items()])


# --- file-level mutations (pre-flight) ------------------------------------------------------------------------


def drop_column(entity: str, column: str) -> Mutation:
    def mutate(extract: Path) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
            index = header.index(column)
            return header[:index] + header[index + 1 :], [row[:index] + row[index + 1 :] for row in rows]

        _rewrite(extract / f"{entity}.csv", edit)

    return mutate


def rename_column(entity: str, column: str, new_name: str) -> Mutation:
    def mutate(extract: Path) -> None:
        _rewrite(
            extract / f"{entity}.csv", lambda header, rows: ([new_name if h == column else h for h in header], rows)
        )

    return mutate


def semicolon_delimited(entity: str) -> Mutation:
    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        _write(path, header, rows, delimiter=";")

    return mutate


def latin1_value(entity: str, column: str, row_index: int, text: str) -> Mutation:
    """Re-encode one value as Latin-1 (a typical Excel export): the rest of the file stays UTF-8."""

    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        rows[row_index][header.index(column)] = "\x00"  # placeholder, swapped for the Latin-1 bytes below
        _write(path, header, rows)
        path.write_bytes(path.read_bytes().replace(b"\x00", text.encode("latin-1"), 1))

    return mutate


def empty_file(entity: str) -> Mutation:
    return lambda extract: (extract / f"{entity}.csv").write_bytes(b"")


def header_only(entity: str) -> Mutation:
    return lambda extract: _rewrite(extract / f"{entity}.csv", lambda header, rows: (header, []))


def ragged_row(entity: str, row_index: int) -> Mutation:
    """An unquoted comma in a free-text value: the row has one field too many."""

    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[row_index + 1] = lines[row_index + 1].rstrip("\n") + ",extra\n"
        path.write_text("".join(lines), encoding="utf-8")

    return mutate


def duplicate_column(entity: str, column: str) -> Mutation:
    """The column twice (a join in the export tool): the copy is appended with the same values."""

    def mutate(extract: Path) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
            index = header.index(column)
            return [*header, column], [[*row, row[index]] for row in rows]

        _rewrite(extract / f"{entity}.csv", edit)

    return mutate


def extra_column(entity: str, column: str, value: str) -> Mutation:
    def mutate(extract: Path) -> None:
        _rewrite(extract / f"{entity}.csv", lambda header, rows: ([*header, column], [[*row, value] for row in rows]))

    return mutate


def mixed_line_endings(entity: str, crlf_lines: int) -> Mutation:
    """The first crlf_lines lines end in CRLF, the rest in LF (files concatenated from two systems)."""

    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        lines = path.read_bytes().split(b"\n")
        path.write_bytes(b"\r\n".join(lines[:crlf_lines]) + b"\r\n" + b"\n".join(lines[crlf_lines:]))

    return mutate


def gzip_under_csv_name(entity: str) -> Mutation:
    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        path.write_bytes(gzip.compress(path.read_bytes()))

    return mutate


def gzip_as_csv_gz(entity: str) -> Mutation:
    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        (extract / f"{entity}.csv.gz").write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()

    return mutate


def utf8_bom(entity: str) -> Mutation:
    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    return mutate


def excel_sep_line(entity: str) -> Mutation:
    def mutate(extract: Path) -> None:
        path = extract / f"{entity}.csv"
        path.write_bytes(b"sep=,\r\n" + path.read_bytes())

    return mutate


HASH_ID = "#4010"  # an unquoted id starting with '#': a CSV reader with a comment character drops the line
HASH_IDS = 10
LONG_TEXT_LENGTH = 200_000  # above Python's default csv field limit of 131,072 characters
LONG_TEXT_ID = "4450"  # numeric like the others


def hash_id_and_long_text(extract: Path) -> None:
    """Tickets keyed by number (4001, 4002, ...) as some CRMs export them, every 45th written with a '#' (#4010,
    #4055, ...: 10 of 449), unquoted; the references of service calls and surveys follow. Sniffing the file, DuckDB
    takes '#' for a comment character and drops those 10 lines. Plus a ticket whose description is 200,000
    characters long."""
    path = extract / "tickets.csv"
    old_ids = [row["ticket_id"] for row in read_rows(path)]
    new_ids = {old: ("#" if i % 45 == 9 else "") + str(4001 + i) for i, old in enumerate(old_ids)}
    assert new_ids[old_ids[9]] == HASH_ID and sum(v.startswith("#") for v in new_ids.values()) == HASH_IDS
    for entity in ("tickets", "service_calls", "survey_responses"):

        def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
            index = header.index("ticket_id")
            return header, [[*row[:index], new_ids.get(row[index], row[index]), *row[index + 1 :]] for row in rows]

        _rewrite(extract / f"{entity}.csv", edit)
    _append_variant(extract, "tickets", "4001", ticket_id=LONG_TEXT_ID, description="d" * LONG_TEXT_LENGTH)


@dataclass(frozen=True)
class FileCase:
    name: str
    mutate: Mutation
    errors: list[str]
    warnings: list[str] = field(default_factory=list)


def _columns(entity: str) -> str:
    return ",".join(load_contract()[entity].column_names)


FILE_CASES = [
    FileCase(
        "missing_required_column",
        drop_column("orders", "currency"),
        ["ERROR: orders.csv, line 1, column currency: required column 'currency' is missing"],
    ),
    FileCase(
        "renamed_column",
        rename_column("opportunities", "amount", "amt"),
        [
            "ERROR: opportunities.csv, line 1, column amount: required column 'amount' is missing"
            " (found 'amt': renamed?)"
        ],
        ["WARNING: opportunities.csv, line 1, column amt: column 'amt' is not in the contract and is ignored"],
    ),
    FileCase(
        "wrong_delimiter",
        semicolon_delimited("products"),
        ["ERROR: products.csv, line 1: wrong delimiter: the header is separated by ';'; the contract expects commas"],
    ),
    FileCase(
        "non_utf8_bytes",
        # Data row 2 is line 3 of the file; account_name is the second column.
        latin1_value("accounts", "account_name", 1, "Café Iris"),
        ["ERROR: accounts.csv, line 3, column account_name: not valid UTF-8 (byte 0xe9); re-export the file as UTF-8"],
    ),
    FileCase(
        "empty_file",
        empty_file("users"),
        [f"ERROR: users.csv: file is empty; expected a header row: {_columns('users')}"],
    ),
    FileCase(
        "ragged_row",
        ragged_row("contacts", 4),
        [
            f"ERROR: contacts.csv, line 6: row has {len(load_contract()['contacts'].columns) + 1} fields,"
            f" the header has {len(load_contract()['contacts'].columns)} (unquoted comma or cut line?)"
        ],
    ),
    # issue 10, item 3: a required entity without rows, unless declared absent (crm_absent_entities).
    FileCase(
        "header_only_required_entity",
        header_only("order_items"),
        [
            "ERROR: order_items.csv: required entity order_items has a header but no data rows; its metrics would"
            " read as zero. Export its rows, or declare it absent (var crm_absent_entities: [order_items]) to"
            " build it empty with its metrics null"
        ],
    ),
    # issue 10, item 5
    FileCase(
        "duplicate_column",
        duplicate_column("order_items", "unit_price"),
        [
            "ERROR: order_items.csv, line 1, column unit_price: column 'unit_price' appears 2 times"
            f" (columns {load_contract()['order_items'].column_names.index('unit_price') + 1}"
            f" and {len(load_contract()['order_items'].columns) + 1}); keep one"
        ],
    ),
    # issue 10, item 6
    FileCase(
        "reserved_bookkeeping_column",
        extra_column("accounts", "_row_number", "X1099"),
        [
            "ERROR: accounts.csv, line 1, column _row_number: column name '_row_number' is reserved for the"
            " warehouse's bookkeeping (names _row_number, _row_hash, _invalid_columns, _invalid_values, _dup_rank,"
            " _key_rank, _flagged_values and _raw__*); rename or drop the column"
        ],
    ),
    # issue 10, item 10
    FileCase(
        "mixed_line_endings",
        mixed_line_endings("products", 4),
        [
            "ERROR: products.csv, line 5: mixed line endings: this line ends with LF, line 1 with CRLF;"
            " convert the file to one line ending (e.g. dos2unix)"
        ],
    ),
    # issue 10, item 11: read, not a crash
    FileCase("value_over_131072_characters", hash_id_and_long_text, []),
    # issue 10, item 12
    FileCase(
        "gzip_named_csv",
        gzip_under_csv_name("orders"),
        ["ERROR: orders.csv: file is gzip-compressed: rename it to orders.csv.gz (read as is) or decompress it"],
    ),
    FileCase("csv_gz", gzip_as_csv_gz("orders"), []),
    FileCase("utf8_bom", utf8_bom("accounts"), []),
    FileCase(
        "excel_sep_line",
        excel_sep_line("accounts"),
        ["ERROR: accounts.csv, line 1: first line is Excel's 'sep=,' line, not the header: remove the 'sep=' line"],
    ),
    FileCase(
        # Only a warning: the build goes on and the entity is empty (the combined row-level extract checks that).
        "header_only_file",
        header_only("crm_logins"),
        [],
        ["WARNING: crm_logins.csv: file has a header but no data rows"],
    ),
]


# --- row-level mutations (one combined extract, one build) ----------------------------------------------------

OPEN_DEAL_IN_FUTURE = "OPP-9000099"  # control row: valid despite its future close date


@dataclass(frozen=True)
class RowCase:
    name: str
    mutate: Mutation
    entity: str
    source_key: str
    reason: str
    column: str
    offending_value: str | None = None  # when set: the quarantine row's offending_value (the raw text)


ROW_CASES = [
    RowCase(
        "text_in_required_numeric_column",
        lambda x: _append_variant(x, "order_items", "ORI-00000001", order_item_id="ORI-90000002", quantity="13 units"),
        "order_items",
        "ORI-90000002",
        "unparseable_value",
        "quantity",
        "13 units",
    ),
    RowCase(
        "dates_in_mixed_formats",
        # US month/day/year among ISO dates.
        lambda x: _append_variant(
            x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000002", close_date="12/13/2023"
        ),
        "opportunities",
        "OPP-9000002",
        "unparseable_value",
        "close_date",
        "12/13/2023",
    ),
    RowCase(
        "duplicate_key",
        # An older version of an existing account: the newer one stays, this one is superseded.
        lambda x: _append_variant(
            x, "accounts", "ACC-000001", account_name="Delta Labs Old", updated_at="2023-11-03T08:00:00Z"
        ),
        "accounts",
        "ACC-000001",
        "duplicate_key",
        "account_id",
    ),
    RowCase(
        # A line of an order the extract does not have: no date, currency or account to price it by
        # (order_items.order_id meta.on_orphan: reject_row). An order of an unknown account is kept: FLAG_CASES.
        "orphan_reference",
        lambda x: _append_variant(
            x, "order_items", "ORI-00000001", order_item_id="ORI-90000009", order_id="ORD-9999999"
        ),
        "order_items",
        "ORI-90000009",
        "orphan_reference",
        "order_id",
    ),
    RowCase(
        "negative_amount",
        lambda x: _append_variant(x, "order_items", "ORI-00000001", order_item_id="ORI-90000001", unit_price="-720.00"),
        "order_items",
        "ORI-90000001",
        "negative_amount",
        "unit_price",
    ),
    RowCase(
        "unknown_stage",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000003", stage="verbal_yes"),
        "opportunities",
        "OPP-9000003",
        "unknown_enum",
        "stage",
    ),
    RowCase(
        "future_close_date_on_closed_deal",
        lambda x: _append_variant(
            x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000004", close_date="2099-06-30"
        ),
        "opportunities",
        "OPP-9000004",
        "future_timestamp",
        "close_date",
    ),
    RowCase(
        "missing_required_value",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000005", opportunity_type=""),
        "opportunities",
        "OPP-9000005",
        "missing_required",
        "opportunity_type",
    ),
    RowCase(
        "closed_deal_without_close_date",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000006", close_date=""),
        "opportunities",
        "OPP-9000006",
        "missing_required",
        "close_date",
    ),
    RowCase(
        # A row failing three checks: all three are listed, the first rejecting one is the reason.
        "row_failing_three_checks",
        lambda x: _append_variant(
            x,
            "opportunities",
            "OPP-0000001",
            opportunity_id="OPP-9000007",
            opportunity_type="",
            amount="abc",
            stage="verbal_yes",
        ),
        "opportunities",
        "OPP-9000007",
        "missing_required",
        "opportunity_type",
    ),
    RowCase(
        "unknown_currency",
        lambda x: _append_variant(x, "orders", "ORD-0000001", order_id="ORD-9000002", currency="XYZ"),
        "orders",
        "ORD-9000002",
        "unknown_currency",
        "currency",
    ),
    RowCase(
        # Issue 10 item 2: a cast would round it to 2; an integer is sign and digits only.
        "decimal_in_required_integer_column",
        lambda x: _append_variant(x, "order_items", "ORI-00000001", order_item_id="ORI-90000003", quantity="1.5"),
        "order_items",
        "ORI-90000003",
        "unparseable_value",
        "quantity",
        "1.5",
    ),
    RowCase(
        # Issue 10 item 7: 'epoch' reads as 1970-01-01; a required timestamp that implausible rejects the row.
        "epoch_as_required_timestamp",
        lambda x: _append_variant(x, "orders", "ORD-0000001", order_id="ORD-9000003", ordered_at="epoch"),
        "orders",
        "ORD-9000003",
        "implausible_date",
        "ordered_at",
    ),
    RowCase(
        # Issue 10 item 8: a closed deal closed the day before it was created (its close date is required).
        "closed_deal_closed_before_it_was_created",
        lambda x: _append_variant(
            x,
            "opportunities",
            "OPP-0000001",
            opportunity_id="OPP-9000008",
            created_at="2023-12-14T09:00:00Z",
            close_date="2023-12-13",
        ),
        "opportunities",
        "OPP-9000008",
        "out_of_order_timestamp",
        "close_date",
    ),
]


THREE_CHECKS_KEY = "OPP-9000007"
THREE_CHECKS = "missing_required(opportunity_type), unparseable_value(amount), unknown_enum(stage)"


@dataclass(frozen=True)
class FlagCase:
    """The row is kept: every listed value is flagged (rule, column, raw value as it arrived) and mended to
    `mended` (column -> value the validated row holds); no flags means the row is kept as it is."""

    name: str
    mutate: Mutation
    entity: str
    source_key: str
    flags: list[tuple[str, str, str]]
    mended: dict[str, object]


def _open_deal(**values: str) -> dict[str, str]:
    return {"stage": "prospecting", "probability": "10", "is_closed": "false", "is_won": "false", **values}


FLAG_CASES = [
    FlagCase(
        # The deal's product is spelled unlike the product table (GTXPro vs GTX Pro): the id stays for the
        # dimension's unknown member and the deal stays in every mart.
        "unmatched_optional_product",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000101", product_id="GTXPro"),
        "opportunities",
        "OPP-9000101",
        [("orphan_reference", "product_id", "GTXPRO")],
        {"product_id": "GTXPRO"},
    ),
    FlagCase(
        # A required reference to a row the extract left out keeps the row and the id (the dimension's inferred
        # member takes it): the order's revenue still counts.
        "order_of_an_account_the_extract_left_out",
        lambda x: _append_variant(
            x, "orders", "ORD-0000001", order_id="ORD-9000001", account_id="ACC-999999", opportunity_id=""
        ),
        "orders",
        "ORD-9000001",
        [("orphan_reference", "account_id", "ACC-999999")],
        {"account_id": "ACC-999999"},
    ),
    FlagCase(
        "activity_of_a_rep_the_extract_left_out",
        lambda x: _append_variant(x, "activities", "ACT-000000001", activity_id="ACT-900000001", user_id="USR-0999"),
        "activities",
        "ACT-900000001",
        [("orphan_reference", "user_id", "USR-0999")],
        {"user_id": "USR-0999"},
    ),
    FlagCase(
        # activity_type meta.on_unknown: flag_value: a CRM's note or to-do is still an activity.
        "activity_of_a_kind_outside_the_list",
        lambda x: _append_variant(x, "activities", "ACT-000000001", activity_id="ACT-900000002", activity_type="Note"),
        "activities",
        "ACT-900000002",
        [("unknown_enum", "activity_type", "note")],
        {"activity_type": "other"},
    ),
    FlagCase(
        "lead_without_a_source",
        lambda x: _append_variant(x, "leads", "LEA-0000001", lead_id="LEA-9000001", source=""),
        "leads",
        "LEA-9000001",
        [("missing_required", "source", None)],
        {"source": None},
    ),
    FlagCase(
        "contact_without_an_account",
        lambda x: _append_variant(x, "contacts", "CON-0000001", contact_id="CON-9000001", account_id=""),
        "contacts",
        "CON-9000001",
        [("missing_required", "account_id", None)],
        {"account_id": None},
    ),
    FlagCase(
        # A deal no one owns yet (common in HubSpot): company figures count it, no rep's do.
        "deal_without_an_owner",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000199", owner_user_id=""),
        "opportunities",
        "OPP-9000199",
        [("missing_required", "owner_user_id", None)],
        {"owner_user_id": None},
    ),
    FlagCase(
        # An activity credited to no user (an automated email, a sequence step).
        "activity_without_a_user",
        lambda x: _append_variant(x, "activities", "ACT-000000001", activity_id="ACT-900000003", user_id=""),
        "activities",
        "ACT-900000003",
        [("missing_required", "user_id", None)],
        {"user_id": None},
    ),
    FlagCase(
        # A ticket from someone the CRM links to no company.
        "ticket_without_an_account",
        lambda x: _append_variant(x, "tickets", "TCK-0000001", ticket_id="TCK-9000101", account_id=""),
        "tickets",
        "TCK-9000101",
        [("missing_required", "account_id", None)],
        {"account_id": None},
    ),
    FlagCase(
        "order_line_without_a_unit_cost",
        lambda x: _append_variant(x, "order_items", "ORI-00000001", order_item_id="ORI-90000004", unit_cost=""),
        "order_items",
        "ORI-90000004",
        [("missing_required", "unit_cost", None)],
        {"unit_cost": None},
    ),
    FlagCase(
        "descriptive_enum_outside_the_list",
        lambda x: _append_variant(x, "accounts", "ACC-000002", account_id="ACC-900001", industry="Telecommunications"),
        "accounts",
        "ACC-900001",
        [("unknown_enum", "industry", "telecommunications")],
        {"industry": "other"},
    ),
    FlagCase(
        "typo_in_sector",
        lambda x: _append_variant(x, "accounts", "ACC-000002", account_id="ACC-900002", industry="sofware"),
        "accounts",
        "ACC-900002",
        [("unknown_enum", "industry", "sofware")],
        {"industry": "other"},
    ),
    FlagCase(
        "text_in_optional_numeric_column",
        lambda x: _append_variant(x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000102", amount="58k"),
        "opportunities",
        "OPP-9000102",
        [("unparseable_value", "amount", "58k")],
        {"amount": None},
    ),
    FlagCase(
        "open_deal_without_account",
        lambda x: _append_variant(
            x, "opportunities", "OPP-0000001", **_open_deal(opportunity_id="OPP-9000103", account_id="")
        ),
        "opportunities",
        "OPP-9000103",
        [],
        {"account_id": None},
    ),
    FlagCase(
        "open_deal_without_close_date_or_amount",
        lambda x: _append_variant(
            x, "opportunities", "OPP-0000001", **_open_deal(opportunity_id="OPP-9000104", close_date="", amount="")
        ),
        "opportunities",
        "OPP-9000104",
        [],
        {"close_date": None, "amount": None},
    ),
    # Issue 10 item 2: integers are parsed strictly (an optional sign and digits); a cast would read these as
    # 2, 16 and 1000.
    *[
        FlagCase(
            f"integer_written_{name}",
            lambda x, key=key, value=value: _append_variant(
                x, "accounts", "ACC-000002", account_id=key, employee_count=value
            ),
            "accounts",
            key,
            [("unparseable_value", "employee_count", value)],
            {"employee_count": None},
        )
        for name, key, value in [
            ("with_a_decimal_point", "ACC-900003", "1.5"),
            ("in_hexadecimal", "ACC-900004", "0x10"),
            ("in_scientific_notation", "ACC-900005", "1e3"),
        ]
    ],
    FlagCase(
        "integer_with_sign_and_surrounding_spaces",
        lambda x: _append_variant(x, "accounts", "ACC-000002", account_id="ACC-900006", employee_count=" +42 "),
        "accounts",
        "ACC-900006",
        [],
        {"employee_count": 42},
    ),
    # Issue 10 item 4: the demo's EUR rates start 2022-11-01. Before that there is no earlier rate: the order is
    # kept and flagged (its USD amounts are null), never converted at a later rate.
    FlagCase(
        "order_before_the_first_rate_of_its_currency",
        lambda x: _append_variant(
            x, "orders", "ORD-0000001", order_id="ORD-9000101", currency="EUR", ordered_at="2022-08-15T10:00:00Z"
        ),
        "orders",
        "ORD-9000101",
        [("no_fx_rate", "currency", "EUR")],
        {"currency": "EUR"},
    ),
    FlagCase(
        "order_on_the_first_rate_day_of_its_currency",
        lambda x: _append_variant(
            x, "orders", "ORD-0000001", order_id="ORD-9000102", currency="EUR", ordered_at="2022-11-01T08:00:00Z"
        ),
        "orders",
        "ORD-9000102",
        [],
        {"currency": "EUR"},
    ),
    # Issue 10 item 7: dates outside the plausible window (1990-01-01 to as-of + 10 years) are set to null.
    FlagCase(
        "typo_year_in_optional_date",
        lambda x: _append_variant(x, "users", "USR-0001", user_id="USR-9001", hired_at="0024-03-01"),
        "users",
        "USR-9001",
        [("implausible_date", "hired_at", "0024-03-01")],
        {"hired_at": None},
    ),
    FlagCase(
        # A renewal date may lie in the future, but not at infinity.
        "infinity_as_a_future_date",
        lambda x: _append_variant(
            x, "subscriptions", "SUB-000001", subscription_id="SUB-900001", renewal_date="infinity"
        ),
        "subscriptions",
        "SUB-900001",
        [("implausible_date", "renewal_date", "infinity")],
        {"renewal_date": None},
    ),
    FlagCase(
        # Before its ticket was opened, too.
        "minus_infinity_as_optional_timestamp",
        lambda x: _append_variant(x, "tickets", "TCK-0000001", ticket_id="TCK-9000001", resolved_at="-infinity"),
        "tickets",
        "TCK-9000001",
        [("implausible_date", "resolved_at", "-infinity"), ("out_of_order_timestamp", "resolved_at", "-infinity")],
        {"resolved_at": None},
    ),
    # Issue 10 item 8: an open deal's expected close date before its creation is flagged and set to null; a deal
    # closed on the day it was created is in order (a date has no time of day).
    FlagCase(
        "open_deal_expected_to_close_before_it_was_created",
        lambda x: _append_variant(
            x,
            "opportunities",
            "OPP-0000001",
            **_open_deal(opportunity_id="OPP-9000105", created_at="2023-12-14T09:00:00Z", close_date="2023-12-13"),
        ),
        "opportunities",
        "OPP-9000105",
        [("out_of_order_timestamp", "close_date", "2023-12-13")],
        {"close_date": None},
    ),
    FlagCase(
        "deal_closed_on_the_day_it_was_created",
        lambda x: _append_variant(
            x, "opportunities", "OPP-0000001", opportunity_id="OPP-9000106", created_at="2023-12-13T15:30:00Z"
        ),
        "opportunities",
        "OPP-9000106",
        [],
        {"close_date": dt.date(2023, 12, 13)},
    ),
]


def open_deal_with_future_close_date(extract: Path) -> None:
    """Control for the future-close-date case: an open deal's close date is expected, so it stays valid."""
    _append_variant(
        extract,
        "opportunities",
        "OPP-0000001",
        opportunity_id=OPEN_DEAL_IN_FUTURE,
        stage="proposal",
        probability="50",
        is_closed="false",
        is_won="false",
        close_date="2030-06-30",  # ahead, within the plausible window (as-of + 10 years)
    )


ALL_INVALID_ENTITY = "quotas"


def every_quota_unparseable(extract: Path) -> None:
    """A 100% invalid entity: every quota amount is text. The quarantine gate must stop the build."""

    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        index = header.index("quota_amount")
        return header, [[*row[:index], "n/a", *row[index + 1 :]] for row in rows]

    _rewrite(extract / f"{ALL_INVALID_ENTITY}.csv", edit)


def combined_row_extract(target: Path) -> Path:
    """The demo extract with every row case, every flag case, the open-deal control, a header-only crm_logins and
    all-invalid quotas: distinct entities or distinct keys, so the defects do not interact."""
    extract = copy_demo_extract(target)
    for case in [*ROW_CASES, *FLAG_CASES]:
        case.mutate(extract)
    open_deal_with_future_close_date(extract)
    header_only("crm_logins")(extract)
    every_quota_unparseable(extract)
    return extract


ABSENT_OPTIONAL_ENTITY = "survey_responses"


def without_optional_entity(target: Path) -> Path:
    extract = copy_demo_extract(target)
    (extract / f"{ABSENT_OPTIONAL_ENTITY}.csv").unlink()
    return extract


PIPELINE_ONLY_ENTITIES = ("accounts", "products", "users", "opportunities")


def pipeline_only_extract(target: Path) -> Path:
    """A sales-pipeline export: only accounts, products, users and opportunities carry rows. The other required
    entities are header-only (how a mapping writes an entity it declares absent); optional ones are left out.
    With no fx_rates the deals are in the reporting currency (a USD-only export)."""
    extract = copy_demo_extract(target)

    def in_usd(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        index = header.index("currency")
        return header, [[*row[:index], "USD", *row[index + 1 :]] for row in rows]

    _rewrite(extract / "opportunities.csv", in_usd)
    for entity, meta in load_contract().items():
        if entity in PIPELINE_ONLY_ENTITIES:
            continue
        if meta.optional:
            (extract / f"{entity}.csv").unlink()
        else:
            header_only(entity)(extract)
    return extract
