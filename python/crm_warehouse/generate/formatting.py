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


def _text(buf: np.ndarray) -> pa.Array:
    """Rows of a (n, width) uint8 ASCII matrix as a string array (no Python objects involved)."""
    n, width = buf.shape
    raw = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), n, [None, pa.py_buffer(np.ascontiguousarray(buf))])
    return raw.cast(pa.binary()).cast(pa.string())


def _put_digits(buf: np.ndarray, start: int, value: np.ndarray, width: int) -> None:
    v = value.astype(np.int64, copy=True)
    for k in range(width - 1, -1, -1):
        buf[:, start + k] = 48 + v % 10
        v //= 10


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of epoch days (H. Hinnant's civil_from_days, proleptic Gregorian)."""
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1_460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _put_date(buf: np.ndarray, epoch_days: np.ndarray) -> None:
    y, m, d = _civil(epoch_days)
    _put_digits(buf, 0, y, 4)
    _put_digits(buf, 5, m, 2)
    _put_digits(buf, 8, d, 2)
    buf[:, 4] = buf[:, 7] = ord("-")


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`PREFIX-000123`; NO_ID (-1) becomes empty."""
    numbers = np.asarray(numbers, dtype=np.int64)
    empty = numbers == NO_ID
    values = np.where(empty, 0, numbers)
    if len(values) and values.max() >= 10**width:
        raise ValueError(f"{prefix} ids exceed {width} digits: use a smaller --scale")
    head = np.frombuffer(f"{prefix}-".encode(), dtype=np.uint8)
    buf = np.empty((len(values), len(head) + width), dtype=np.uint8)
    buf[:, : len(head)] = head
    _put_digits(buf, len(head), values, width)
    return _masked(_text(buf), empty)


def timestamps(epoch_seconds: np.ndarray) -> pa.Array:
    """ISO 8601 UTC with a Z suffix (2025-03-01T09:30:00Z); NO_TIME becomes empty."""
    ts = np.asarray(epoch_seconds, dtype=np.int64)
    empty = ts == NO_TIME
    ts = np.where(empty, 0, ts)
    days, secs = np.divmod(ts, 86_400)
    buf = np.empty((len(ts), 20), dtype=np.uint8)
    _put_date(buf, days)
    buf[:, 10] = ord("T")
    _put_digits(buf, 11, secs // 3_600, 2)
    _put_digits(buf, 14, secs // 60 % 60, 2)
    _put_digits(buf, 17, secs % 60, 2)
    buf[:, 13] = buf[:, 16] = ord(":")
    buf[:, 19] = ord("Z")
    return _masked(_text(buf), empty)


def dates(epoch_days: np.ndarray) -> pa.Array:
    """YYYY-MM-DD; NO_TIME becomes empty."""
    d = np.asarray(epoch_days, dtype=np.int64)
    empty = d == NO_TIME
    buf = np.empty((len(d), 10), dtype=np.uint8)
    _put_date(buf, np.where(empty, 0, d))
    return _masked(_text(buf), empty)


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
