"""Responses as JSON: dicts from Python (with datetimes and numpy scalars) to the text the
library reads."""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any


def _default(x: Any):
    if isinstance(x, _dt.datetime):
        if x.tzinfo is None:
            raise TypeError("naive datetime in a response: give it a time zone (UTC)")
        return x.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(x, _dt.date):
        return x.isoformat()
    # numpy scalars and arrays, without importing numpy here.
    if hasattr(x, "item") and getattr(x, "ndim", None) == 0:
        return x.item()
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, (set, frozenset, tuple)):
        return sorted(x) if isinstance(x, (set, frozenset)) else list(x)
    raise TypeError(f"{type(x).__name__} is not allowed in a response")


def to_json(response: Any) -> str:
    return json.dumps(response, default=_default, ensure_ascii=False)
