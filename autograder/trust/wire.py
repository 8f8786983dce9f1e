"""Plain data on the pipe between the trusted grader and the replay worker: JSON, with arrays as base64.

``decode`` builds nothing but numbers, strings, lists, tuples, dicts and numpy arrays of plain dtypes, so a
hostile worker can send wrong answers, never objects or code. Anything else a student's function returns
arrives as ``Opaque(type name)``, which compares equal to nothing.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
          "float64", "complex64", "complex128"}
MAX_ITEMS = 50_000_000


@dataclass(frozen=True)
class Opaque:
    """A value that could not cross as data; ``kind`` is its type's name."""
    kind: str


def encode(value, depth: int = 0):
    if depth > 20:
        return {"opaque": "nesting too deep"}
    if value is None or type(value) in (bool, str):
        return value
    plain = (str, bytes, int, float, list, tuple, dict)
    if isinstance(value, (np.ndarray, np.generic)) or (hasattr(value, "__array__") and not isinstance(value, plain)):
        try:
            arr = np.asarray(value)
        except Exception:
            return {"opaque": type(value).__name__}
        if arr.dtype.name not in DTYPES:
            return {"opaque": f"array of {arr.dtype}"}
        kind = "scalar" if isinstance(value, np.generic) else "array"
        return {kind: {"dtype": arr.dtype.name, "shape": list(arr.shape),
                       "data": base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode()}}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return {"int": str(int(value))}
    if isinstance(value, float):
        return {"float": float.__repr__(float(value))}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    return {"opaque": type(value).__name__}


def decode(data):
    if data is None or isinstance(data, (bool, str)):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("malformed value on the pipe")
    (kind, body), = data.items()
    if kind == "int":
        return int(body)
    if kind == "float":
        return float(body)
    if kind in ("list", "tuple"):
        items = [decode(v) for v in body]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {_key(decode(k)): decode(v) for k, v in body}
    if kind in ("array", "scalar"):
        if body["dtype"] not in DTYPES:
            raise ValueError(f"dtype {body['dtype']!r} cannot cross the pipe")
        shape = tuple(int(n) for n in body["shape"])
        if any(n < 0 for n in shape) or int(np.prod(shape, dtype=np.int64)) > MAX_ITEMS:
            raise ValueError("array too large")
        arr = np.frombuffer(base64.b64decode(body["data"]), dtype=body["dtype"]).reshape(shape).copy()
        return arr[()] if kind == "scalar" else arr
    if kind == "opaque":
        return Opaque(str(body))
    raise ValueError(f"unknown kind {kind!r} on the pipe")


def _key(key):
    if isinstance(key, (list, dict, np.ndarray)):
        raise ValueError("unhashable dict key on the pipe")
    return key
