"""CRM analytics warehouse: generator, contract, validation and app around the dbt project."""

from pathlib import Path

# The repository root (the dbt project); the package is installed in editable mode from it.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
