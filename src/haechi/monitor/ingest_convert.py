"""Column converters for ingestion: any decoded column -> the canonical Arrow type,
plus the rows that could not be converted and why.

Each converter takes either a ``pyarrow`` array (columnar bodies, files) or a Python
list (JSON rows) and tries one vectorised conversion first; only when that fails does it
walk the values one by one, so bad rows are named exactly and good batches stay fast.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Column: TypeAlias = "pa.Array | pa.ChunkedArray | list[Any]"
Errors = dict[int, str]

TS_TYPE = pa.timestamp("us", tz="UTC")


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_array(values: Column, keep_dictionary: bool = False) -> pa.Array | pa.ChunkedArray | None:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        if pa.types.is_dictionary(values.type) and not keep_dictionary:
            return pc.cast(values, values.type.value_type)
        return values
    return None


def is_text_dictionary(kind: pa.DataType) -> bool:
    """Dictionary-encoded text (categories from Arrow clients): stored as is, no decoding."""
    return pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type)


def _nan_to_null(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    nan = pc.is_nan(arr)
    if not pc.any(nan).as_py():
        return arr
    return pc.if_else(nan, pa.scalar(None, pa.float64()), arr)


def _double_value(value: Any) -> tuple[float | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, bool | int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None, f"expected a number, got {_describe(value)}"
    else:
        return None, f"expected a number, got {type(value).__name__}"
    if math.isinf(number):
        return None, "infinite values are not allowed"
    return (None if math.isnan(number) else number), None


def to_double(values: Column) -> tuple[pa.Array, Errors]:
    """Numbers, booleans (0/1) and numeric text as ``double``; NaN becomes null."""
    arr = _as_array(values)
    try:
        if arr is None:
            arr = pa.array(values, pa.float64())
        elif not (
            pa.types.is_floating(arr.type)
            or pa.types.is_integer(arr.type)
            or pa.types.is_boolean(arr.type)
            or pa.types.is_null(arr.type)
            or pa.types.is_decimal(arr.type)
            or pa.types.is_string(arr.type)
            or pa.types.is_large_string(arr.type)
        ):
            return _all_bad(len(arr), f"expected numbers, got a column of type {arr.type}")
        elif not pa.types.is_float64(arr.type):
            arr = pc.cast(arr, pa.float64())
        doubles = _nan_to_null(arr)
        if not pc.any(pc.is_inf(doubles)).as_py():
            return _combine(doubles), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        pass
    return _slow(values, _double_value, pa.float64())


def _string_value(value: Any) -> tuple[str | None, str | None]:
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        return (None, None) if math.isnan(value) else (repr(value), None)
    return None, f"expected text or a number, got {type(value).__name__}"


def to_string(values: Column) -> tuple[pa.Array, Errors]:
    """Text as is; numbers and booleans as their text; nested values are errors."""
    arr = _as_array(values, keep_dictionary=True)
    try:
        if arr is None:
            arr = pa.array(values, pa.string())
        elif is_text_dictionary(arr.type) or pa.types.is_string(arr.type):
            return _combine(arr), {}
        elif pa.types.is_nested(arr.type) or pa.types.is_binary(arr.type):
            return _all_bad(len(arr), f"expected text, got a column of type {arr.type}")
        else:
            arr = pc.cast(arr, pa.string())
        return _combine(arr), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return _slow(values, _string_value, pa.string())


def _epoch(value: float) -> tuple[dt.datetime | None, str | None]:
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC), None
    except (OverflowError, OSError, ValueError):
        return None, f"{_describe(value)} is not a usable epoch time in seconds"


def _iso(value: str) -> tuple[dt.datetime | None, str | None]:
    try:
        return dt.datetime.fromisoformat(value.strip()), None
    except ValueError:
        return None, (f"cannot read {_describe(value)} as a time; use ISO 8601 such as 2026-01-05T10:15:00Z")


def _timestamp_value(value: Any) -> tuple[dt.datetime | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "expected an ISO 8601 time or epoch seconds, got a boolean"
    if isinstance(value, int | float):
        return _epoch(value)
    moment: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    problem = None
    if isinstance(value, str):
        moment, problem = _iso(value)
    elif moment is None:
        problem = f"expected an ISO 8601 time, got {type(value).__name__}"
    if moment is None:
        return None, problem
    if moment.tzinfo is None:  # documented: times without a zone are UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC), None


def to_timestamp(values: Column) -> tuple[pa.Array, Errors]:
    """ISO 8601 text (a missing zone means UTC), epoch seconds or Arrow timestamps."""
    arr = _as_array(values)
    try:
        if arr is None:
            arr = pa.array(values, pa.string()) if _all_text(values) else None
        if arr is not None:
            if pa.types.is_timestamp(arr.type):
                return _combine(pc.cast(arr, TS_TYPE)), {}
            if pa.types.is_date(arr.type):
                return _combine(pc.cast(pc.cast(arr, pa.timestamp("us")), TS_TYPE)), {}
            if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
                return _combine(pc.cast(arr, TS_TYPE)), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    return _slow(values, _timestamp_value, TS_TYPE)


def _all_text(values: list[Any]) -> bool:
    return all(v is None or isinstance(v, str) for v in values)


def _slow(values: Column, convert: Any, arrow_type: pa.DataType) -> tuple[pa.Array, Errors]:
    items = values.to_pylist() if isinstance(values, pa.Array | pa.ChunkedArray) else values
    out: list[Any] = []
    errors: Errors = {}
    for index, value in enumerate(items):
        converted, problem = convert(value)
        if problem:
            errors[index] = problem
        out.append(converted)
    return pa.array(out, arrow_type), errors


def _all_bad(n: int, reason: str) -> tuple[pa.Array, Errors]:
    return pa.nulls(n, pa.float64()), dict.fromkeys(range(n), reason)


def _combine(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    return arr


def rows_where(mask: pa.Array | np.ndarray) -> list[int]:
    """Row indexes where a boolean mask is true (nulls count as false)."""
    if isinstance(mask, np.ndarray):
        return np.flatnonzero(mask).tolist()
    return np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False)).tolist()
