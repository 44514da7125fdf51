"""Every metric of the reference catalogue lands in a documented mart column (issue 4).

python/tests/metric_catalogue.yml maps each metric of docs/crm-metrics.md to mart columns; docs/metric_catalogue.md
is rendered from it (`python python/tests/test_metric_catalogue.py` rewrites it). A metric added to the reference
without a mart column, a column renamed or left undocumented, or a stale doc fails here. No dbt run: YAML only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_PATH = PROJECT_ROOT / "python" / "tests" / "metric_catalogue.yml"
REFERENCE_PATH = PROJECT_ROOT / "docs" / "crm-metrics.md"
DOC_PATH = PROJECT_ROOT / "docs" / "metric_catalogue.md"
MARTS_DIR = PROJECT_ROOT / "models" / "marts"
TABLE_SECTIONS = ("1", "2", "3", "4")
STATUSES = {"implemented", "partial", "later"}

DOC_HEADER = """# Metric catalogue coverage

Where each metric of the reference catalogue ([crm-metrics.md](crm-metrics.md), kept in
`docs/`) lands in the marts. Generated from
`python/tests/metric_catalogue.yml` by `python python/tests/test_metric_catalogue.py`; do not edit by hand.
`python/tests/test_metric_catalogue.py` checks that every column listed exists in a mart YAML
(`models/marts/*/_*__models.yml`) with a description (formula, grain and window live there), and that every
metric row of sections 1-4 of the reference is listed.

Status: **implemented**; **partial** (the note says what is missing); **later** (a later issue; the columns
listed are the documented stand-ins used until then).
"""


def load_catalogue() -> list[dict]:
    return yaml.safe_load(CATALOGUE_PATH.read_text())


def documented_mart_columns() -> dict[str, str]:
    """`model.column` -> description, over every mart model YAML."""
    columns: dict[str, str] = {}
    for path in sorted(MARTS_DIR.glob("**/_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models") or []:
            for column in model.get("columns") or []:
                columns[f"{model['name']}.{column['name']}"] = (column.get("description") or "").strip()
    return columns


def reference_table_metrics(markdown: str) -> dict[str, list[str]]:
    """Section number -> metric names (first column) of the markdown tables under `## <n>.` headings."""
    metrics: dict[str, list[str]] = {}
    section = ""
    for line in markdown.splitlines():
        heading = re.match(r"^## (\d+)\.", line)
        if heading:
            section = heading.group(1)
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("metric", "") or set(cells[0]) <= {"-"}:
            continue
        metrics.setdefault(section, []).append(cells[0])
    return metrics


def render_markdown(catalogue: list[dict]) -> str:
    rows = [
        "| section | metric | mart(s) | column(s) | formula as implemented | status |",
        "|---|---|---|---|---|---|",
    ]
    for entry in catalogue:
        marts = list(dict.fromkeys(column.split(".")[0] for column in entry["columns"]))
        columns = ", ".join(f"`{column}`" for column in entry["columns"])
        status = entry.get("status", "implemented")
        note = f": {entry['note']}" if entry.get("note") else ""
        cells = [entry["section"], entry["metric"], ", ".join(f"`{m}`" for m in marts), columns]
        cells += [entry["formula"], status + note]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return DOC_HEADER + "\n" + "\n".join(rows) + "\n"


def test_every_catalogue_column_is_a_documented_mart_column() -> None:
    documented = documented_mart_columns()
    missing = [
        f"{entry['metric']}: {column}"
        for entry in load_catalogue()
        for column in entry["columns"]
        if not documented.get(column)
    ]
    assert not missing, f"catalogue columns missing from the mart YAMLs or without a description: {missing}"


def test_every_entry_is_complete() -> None:
    for entry in load_catalogue():
        assert entry["section"] in {str(n) for n in range(1, 9)}, entry
        assert entry["metric"] and entry["formula"] and entry["columns"], entry
        assert entry.get("status", "implemented") in STATUSES, entry
        if entry.get("status", "implemented") != "implemented":
            assert entry.get("note"), f"{entry['metric']}: a partial or later metric says what stands in"


def test_every_reference_table_metric_is_catalogued() -> None:
    reference = reference_table_metrics(REFERENCE_PATH.read_text())
    assert all(reference.get(section) for section in TABLE_SECTIONS), "reference tables not found"
    catalogued = {(entry["section"], entry["metric"]) for entry in load_catalogue()}
    uncovered = [
        f"section {section}: {metric}"
        for section in TABLE_SECTIONS
        for metric in reference[section]
        if (section, metric) not in catalogued
    ]
    assert not uncovered, f"reference metrics with no mart column in metric_catalogue.yml: {uncovered}"


def test_reference_parser_reads_table_rows_only() -> None:
    markdown = "## 1. Pre-sale\n| metric | definition |\n|---|---|\n| win rate | won / closed |\n## 7. Methods\ntext\n"
    assert reference_table_metrics(markdown) == {"1": ["win rate"]}


def test_doc_is_rendered_from_the_catalogue() -> None:
    assert DOC_PATH.read_text() == render_markdown(load_catalogue()), (
        "docs/metric_catalogue.md is stale: run python python/tests/test_metric_catalogue.py"
    )


if __name__ == "__main__":
    DOC_PATH.write_text(render_markdown(load_catalogue()))
    sys.exit(0)
