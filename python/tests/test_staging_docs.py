"""Documentation generated from or checked against the raw contract cannot drift from it."""

from __future__ import annotations

import re

import yaml

from crm_warehouse import PROJECT_ROOT
from crm_warehouse.contract import Entity, load_contract
from crm_warehouse.contract_markdown import README_PATH, contract_markdown, readme_contract_block

STAGING_DIR = PROJECT_ROOT / "models" / "staging" / "crm"
BASE_BOOKKEEPING = ["_row_number", "_row_hash", "_invalid_columns", "_invalid_values", "_dup_rank", "_key_rank"]
STG_BOOKKEEPING = ["_row_number", "_invalid_columns", "_invalid_values"]


def _staged_columns(entity: Entity) -> list[str]:
    return [c.name + "_hash" if c.logical_type == "pii" else c.name for c in entity.columns]


def _documented_models() -> dict[str, list[str]]:
    doc = yaml.safe_load((STAGING_DIR / "_crm__models.yml").read_text())
    return {m["name"]: [c["name"] for c in m["columns"] if c.get("description")] for m in doc["models"]}


def _stg_select_list(entity: Entity) -> list[str]:
    sql = (STAGING_DIR / f"stg_crm__{entity.name}.sql").read_text()
    final_select = sql.split("final as (", 1)[1].split("from latest_versions", 1)[0]
    return [c for c in re.findall(r"^\s+(\w+),?$", final_select, flags=re.MULTILINE) if c != "select"]


def test_readme_contract_section_is_generated_from_the_contract() -> None:
    generated = contract_markdown(load_contract())
    assert readme_contract_block(README_PATH.read_text()) == generated, (
        "README contract section is stale: run python -m crm_warehouse.contract --update-readme"
    )


def test_markdown_lists_every_entity_and_column() -> None:
    entities = load_contract()
    markdown = contract_markdown(entities)
    for entity in entities.values():
        assert f"| `{entity.name}` |" in markdown
        for column in entity.columns:
            assert f"| `{column.name}` |" in markdown


def test_every_staging_model_and_column_is_documented() -> None:
    documented = _documented_models()
    for entity in load_contract().values():
        staged = _staged_columns(entity)
        assert documented[f"base_crm__{entity.name}"] == staged + BASE_BOOKKEEPING
        assert documented[f"stg_crm__{entity.name}"] == staged + STG_BOOKKEEPING


def test_stg_models_select_exactly_the_documented_columns() -> None:
    for entity in load_contract().values():
        assert _stg_select_list(entity) == _staged_columns(entity) + STG_BOOKKEEPING, entity.name


def test_no_raw_pii_column_is_exposed_by_staging() -> None:
    documented = _documented_models()
    for entity in load_contract().values():
        pii = {c.name for c in entity.columns if c.logical_type == "pii"}
        for model in (f"base_crm__{entity.name}", f"stg_crm__{entity.name}"):
            assert pii.isdisjoint(documented[model]), model
