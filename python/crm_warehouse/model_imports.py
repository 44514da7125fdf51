"""Imports for dbt's Python models, one at a time.

dbt runs Python models on parallel threads. Two models whose libraries import the same package at the same moment
can meet inside its circular imports (scikit-learn and statsmodels both import narwhals, whose `stable` package
imports `v1` and `v2`, which import `stable` back): Python then raises `_DeadlockError` and one model fails. Each
model loads its method module through this lock, so the first import of a library runs on one thread at a time.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType

_IMPORT_LOCK = threading.Lock()


def import_method(module_name: str) -> ModuleType:
    """The module module_name, imported under the process-wide lock (a no-op wait once it is loaded)."""
    with _IMPORT_LOCK:
        return importlib.import_module(module_name)
