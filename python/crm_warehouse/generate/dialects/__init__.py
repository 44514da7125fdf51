"""The generated world in a CRM export's dialect: rewrites of the contract extract (generate --dialect)."""

from __future__ import annotations

from pathlib import Path

DIALECTS = ("contract", "salesforce", "hubspot")


def write_export(dialect: str, source: Path, out: Path) -> dict[str, int]:
    """The export of the contract extract in source (CSV) in dialect (salesforce, hubspot), into out; rows per file."""
    if dialect == "salesforce":
        from crm_warehouse.generate.dialects.salesforce import write_salesforce_export

        return write_salesforce_export(source, out)
    if dialect == "hubspot":
        from crm_warehouse.generate.dialects.hubspot import write_hubspot_export

        return write_hubspot_export(source, out)
    raise ValueError(f"unknown dialect {dialect!r}: one of {', '.join(DIALECTS[1:])}")
