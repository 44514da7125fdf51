"""The generated world in a CRM export's dialect: rewrites of the contract extract (generate --dialect)."""

from __future__ import annotations

DIALECTS = ("contract", "salesforce")
