"""The quarantine layer follows the raw contract.

dbt unit tests run without the sources graph, so the validation unit tests hand validate_entity its contract
entry through a macro override; these tests keep those copies equal to the contract itself, and keep the
list of entities the quarantine models loop over, the one-line validated models and their declared
dependencies in step with it.
"""

from __future__ import annotations

import re

import pytest
import yaml

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import CONTRACT_PATH

QUARANTINE_DIR = PROJECT_ROOT / "models" / "intermediate" / "quarantine"


def _contract_tables() -> dict[str, dict]:
    (source,) = [s for s in yaml.safe_load(CONTRACT_PATH.read_text())["sources"] if s["name"] == "crm"]
    return {table["name"]: table for table in source["tables"]}


def _unit_test_contracts() -> list[dict]:
    doc = yaml.safe_load((QUARANTINE_DIR / "_quarantine__models.yml").read_text())
    return [
        test["overrides"]["macros"]["crm_contract_entity"]
        for test in doc["unit_tests"]
        if "crm_contract_entity" in test.get("overrides", {}).get("macros", {})
    ]


@pytest.mark.parametrize("override", _unit_test_contracts(), ids=lambda o: o["name"])
def test_unit_test_contract_overrides_copy_the_contract(override: dict) -> None:
    table = _contract_tables()[override["name"]]
    primary_key = table["meta"]["primary_key"]
    assert override["primary_key"] == ([primary_key] if isinstance(primary_key, str) else primary_key)
    assert override["updated_at"] == table["meta"].get("updated_at")
    assert override["columns"] == [
        {
            "name": column["name"],
            "column": column["name"] + ("_hash" if column["meta"]["logical_type"] == "pii" else ""),
            "meta": column["meta"],
        }
        for column in table["columns"]
    ]


def test_crm_entities_lists_the_contract_entities_in_order() -> None:
    macro = (PROJECT_ROOT / "macros" / "contract" / "crm_contract.sql").read_text()
    listed = re.search(r"set entities = \[(.*?)\]", macro, re.DOTALL)
    assert listed is not None
    assert re.findall(r"'(\w+)'", listed.group(1)) == list(_contract_tables())


@pytest.mark.parametrize("entity", list(_contract_tables()))
def test_validated_model_declares_exactly_the_staged_models_it_checks_against(entity: str) -> None:
    referenced = []
    for column in _contract_tables()[entity]["columns"]:
        meta = column["meta"]
        if meta.get("references"):
            target = meta["references"].split(".")[0]
        elif meta["logical_type"] == "currency":
            target = "fx_rates"
        else:
            continue
        if target not in referenced:
            referenced.append(target)
    sql = (QUARANTINE_DIR / f"int_{entity}_validated.sql").read_text()
    assert re.findall(r"-- depends_on: \{\{ ref\('stg_crm__(\w+)'\) \}\}", sql) == referenced
    assert sql.strip().endswith(f"{{{{ validate_entity('{entity}') }}}}")


@pytest.mark.parametrize("entity", list(_contract_tables()))
def test_validated_model_documents_every_column(entity: str) -> None:
    doc = yaml.safe_load((QUARANTINE_DIR / "_quarantine__models.yml").read_text())
    (model,) = [m for m in doc["models"] if m["name"] == f"int_{entity}_validated"]
    staged = [
        c["name"] + ("_hash" if c["meta"]["logical_type"] == "pii" else "")
        for c in _contract_tables()[entity]["columns"]
    ]
    bookkeeping = [
        "_row_number",
        "_invalid_columns",
        "_invalid_values",
        "quarantine_reason",
        "quarantine_column",
        "failed_checks",
        "failed_check_count",
        "value_issues",
        "_flagged_values",
        "is_valid",
        "has_value_issues",
    ]
    assert [c["name"] for c in model["columns"]] == staged + bookkeeping
    assert all(c.get("description") for c in model["columns"])
