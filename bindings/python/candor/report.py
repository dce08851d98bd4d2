"""The head-office report of `candor report` (docs/report.md), made by the library.

    report = candor.report.build(survey, responses="cards.jsonl", org="hotel-chain.org")
    report["figures"]["nps"]["score"]        # a dict: what `candor report --format json` prints
    pathlib.Path("report.html").write_text(report.html())

Errors (a file that does not read, no card, an unknown role...) raise candor.ReportError.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import os
import time as _time
from typing import Any

from . import ReportError, _candor

__all__ = ["Report", "build", "DEFAULT_VERBATIMS"]

#: How many detractors' comments the report shows by default.
DEFAULT_VERBATIMS = 10


class Printed(dict):
    """A model of the library as the dict of its JSON, kept to print it again."""

    def __init__(self, model):
        super().__init__(_json.loads(model.json()))
        self._model = model

    def json(self) -> str:
        """The JSON text the command line prints (without its final newline)."""
        return self._model.json()

    def text(self) -> str:
        """Plain tables for a terminal."""
        return self._model.text()


class Report(Printed):
    """The report as a dict (the keys of docs/report.md) that also prints itself, as the
    library does for `candor report`."""

    def html(self) -> str:
        """One self-contained page: inline CSS and SVG, no script."""
        return self._model.html()

    @property
    def warnings(self) -> list:
        """What opening the store found and repaired (Error objects)."""
        return list(self._model.warnings)


def _seconds(now: Any) -> int:
    if now is None:
        return int(_time.time())
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:
            raise TypeError("now: a naive datetime; give it a time zone (UTC)")
        return int(now.timestamp())
    if isinstance(now, str):
        return _seconds(_dt.datetime.fromisoformat(now.replace("Z", "+00:00")))
    return int(now)


def _path(p) -> str:
    return "" if p is None else os.fspath(p)


def build(survey, *, store=None, hq_key=None, csv=None, responses=None, org=None,
          reader_role: str | None = None, cases=None, now: Any = None, by: str = "site",
          compare: str = "month", verbatims: int = DEFAULT_VERBATIMS, min_n: int = 5) -> Report:
    """The report of one source of cards: head office's store (`store` with `hq_key`), an
    export (`csv`) or JSON lines (`responses`). `org` gives site names and the role of
    `reader_role` (contact details only for a role that contacts guests); `cases` is a case
    log directory; `now` (a datetime, ISO text or Unix seconds; default the current time)
    is when the report is made and cases are overdue."""
    given = [(k, v) for k, v in (("store", store), ("csv", csv), ("responses", responses))
             if v is not None]
    if len(given) != 1:
        raise ValueError("give one source: store= (with hq_key=), csv= or responses=")
    source, path = given[0]
    if source == "store" and hq_key is None:
        raise ValueError("store= needs hq_key=, head office's secret key")
    if reader_role is not None and org is None:
        raise ValueError("reader_role= needs org=, the file that defines the role")
    model, errors = _candor.build_report(
        survey, source, _path(path), _path(hq_key), _path(org), _path(cases), reader_role or "",
        _seconds(now), by, compare, int(verbatims), int(min_n))
    if model is None:
        raise ReportError(errors)
    return Report(model)
