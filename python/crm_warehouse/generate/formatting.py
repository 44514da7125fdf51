"""Vectorised text formatting of generated values in the raw contract's formats.

Every raw value is text: ids `ACC-000123`, timestamps `2025-03-01T09:30:00Z`, dates `2025-03-01`,
decimals with a dot, booleans true/false. Empty values are nulls (an empty CSV field).
Formatting runs in Arrow compute kernels so 10M-row chunks stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crm_warehouse.generate.sampling import NO_ID, NO_TIME

_NULL = pa.scalar(None, pa.string())


def _masked(values: pa.Array, empty: np.ndarray | None) -> pa.Array:
    if empty is None or not empty.any():
        return values
    return pc.if_else(pa.array(empty), _NULL, values)


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`PREFIX-000123`; NO_ID (-1) becomes empty. Width grows when a number needs more digits."""
    numbers = np.asarray(numbers, dtype=np.int64)
    empty = numbers == NO_ID
    digits = pc.cast(pa.array(np.where(empty, 0, numbers)), pa.string())
    padded = pc.utf8_lpad(digits, width=width, padding="0")
    return _masked(pc.utf8_replace_slice(padded, start=0, stop=0, replacement=f"{prefix}-"), empty)


def timestamps(epoch_seconds: np.ndarray) -> pa.Array:
    """ISO 8601 UTC with a Z suffix; NO_TIME becomes empty."""
    ts = np.asarray(epoch_seconds, dtype=np.int64)
    empty = ts == NO_TIME
    arr = pa.array(np.where(empty, 0, ts), type=pa.timestamp("s"))
    return _masked(pc.strftime(arr, format="%Y-%m-%dT%H:%M:%SZ"), empty)


def dates(epoch_days: np.ndarray) -> pa.Array:
    """YYYY-MM-DD; NO_TIME becomes empty."""
    d = np.asarray(epoch_days, dtype=np.int64)
    empty = d == NO_TIME
    arr = pa.array(np.where(empty, 0, d).astype(np.int32), type=pa.date32())
    return _masked(pc.strftime(arr, format="%Y-%m-%d"), empty)


def decimals(values: np.ndarray, places: int = 2) -> pa.Array:
    """Fixed-point text with a dot (`1234.50`); NaN becomes empty."""
    x = np.asarray(values, dtype=float)
    empty = np.isnan(x)
    scaled = np.round(np.abs(np.where(empty, 0.0, x)) * 10**places).astype(np.int64)
    whole = pc.cast(pa.array(scaled // 10**places), pa.string())
    if places:
        frac = pc.utf8_lpad(pc.cast(pa.array(scaled % 10**places), pa.string()), width=places, padding="0")
        whole = pc.binary_join_element_wise(whole, frac, ".")
    negative = (x < 0) & (scaled > 0)
    if negative.any():
        whole = pc.if_else(pa.array(negative), pc.utf8_replace_slice(whole, 0, 0, "-"), whole)
    return _masked(whole, empty)


def integers(values: np.ndarray, empty: np.ndarray | None = None) -> pa.Array:
    arr = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return _masked(arr, empty)


def booleans(values: np.ndarray, empty: np.ndarray | None = None) -> pa.Array:
    """true/false; `empty` marks rows where the flag does not apply."""
    arr = pc.take(pa.array(["false", "true"]), pa.array(np.asarray(values).astype(np.int8)))
    return _masked(arr, empty)


def enums(codes: np.ndarray, values: Sequence[str]) -> pa.Array:
    """values[code]; a negative code becomes empty."""
    codes = np.asarray(codes, dtype=np.int64)
    empty = codes < 0
    arr = pc.take(pa.array(list(values), type=pa.string()), pa.array(np.where(empty, 0, codes)))
    return _masked(arr, empty)


def texts(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())
