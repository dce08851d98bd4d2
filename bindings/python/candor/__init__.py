"""Candor from Python: surveys, response checks, the device's journal and the figures.

    import candor
    survey = candor.load("hotel-stay.survey")       # raises candor.SurveyError
    problems = candor.validate(survey, {"survey": "hotel-stay", ...})
    candor.stats.nps_by(df["recommend"], by=df["site"])   # a DataFrame, one row per site
    candor.report.build(survey, responses="cards.jsonl")  # the head-office report, a dict

See docs/python.md.
"""
from __future__ import annotations

import json as _json
from typing import Any, Iterable, NamedTuple

from . import _candor
from ._candor import Error, Question, Survey
from ._jsonify import to_json as _to_json

__all__ = [
    "CandorError", "SurveyError", "ResponseError", "RejectedError", "Error", "Question", "Survey",
    "Journal", "Receipt", "version", "parse", "load", "validate", "make_hq_keys",
    "make_device_keys", "verify_journal", "ReportError", "stats", "report",
]

#: The version of the C++ library the extension was built from (semantic versioning).
__version__: str = _candor.version()


def version() -> str:
    """The version of the Candor library linked, "MAJOR.MINOR.PATCH"."""
    return _candor.version()


class CandorError(Exception):
    """Base of the exceptions raised by candor."""


class SurveyError(CandorError, ValueError):
    """A survey that does not parse or check. `errors` holds every one, each an Error with
    `line`, `column`, `code` and `message`; str() renders them with their source lines."""

    def __init__(self, errors: list[Error], text: str):
        self.errors = list(errors)
        super().__init__(text.rstrip("\n"))


class ResponseError(CandorError, ValueError):
    """Text that is not a response at all (not JSON, or not shaped as one)."""

    def __init__(self, errors: list[Error]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.message} [{e.code}]" for e in self.errors))


class RejectedError(CandorError, ValueError):
    """Responses refused by submit: nothing was written. `problems` maps the index of each
    refused response to its problems, a list of Error (`field` names the question)."""

    def __init__(self, problems: dict[int, list]):
        self.problems = problems
        lines = []
        for i, found in problems.items():
            lines += [f"response {i}: {p}" for p in found]
        super().__init__("response rejected:\n  " + "\n  ".join(lines))


class ReportError(CandorError, ValueError):
    """Figures or a report that cannot be made: a file that does not read, an unknown
    column, no card, an unknown role... `errors` holds every one, each an Error."""

    def __init__(self, errors: list[Error]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def _response_text(response: Any) -> str:
    if isinstance(response, (str, bytes)):
        return response.decode() if isinstance(response, bytes) else response
    return _to_json(response)


def _raise_survey(outcome) -> Survey:
    survey, errors, text = outcome
    if survey is None:
        raise SurveyError(errors, text)
    return survey


def parse(text: str, file: str = "<input>") -> Survey:
    """Parses and checks a survey; raises SurveyError with every error."""
    return _raise_survey(_candor.parse(text, file))


def load(path) -> Survey:
    """Reads and parses a .survey file (a file that cannot be read: SurveyError, code "io")."""
    return _raise_survey(_candor.parse_file(str(path)))


def validate(survey: Survey, response: Any) -> list[Error]:
    """The problems of a response (a dict, or its JSON text) against the survey, each an
    Error whose `field` names the question; an empty list means it is accepted. Raises
    ResponseError when it is not a response at all."""
    problems, errors = _candor.validate(survey, _response_text(response))
    if problems is None:
        raise ResponseError(errors)
    return problems


class Receipt(NamedTuple):
    """What the respondent is told once the card is durable."""
    seq: int
    code: str


class Journal:
    """The device's journal: accepted cards sealed to head office, signed, chained and
    durable before their receipt is given. Opens (creating when absent) DIR for the device
    whose secret key file is `device_key`, sealing to head office's `hq_public` file."""

    def __init__(self, dir, device_key, hq_public):
        self._j = _candor.Journal(str(dir), str(device_key), str(hq_public))

    def submit(self, survey: Survey, response: Any) -> Receipt:
        """Checks the response; when accepted, writes it and returns its receipt. Raises
        RejectedError (nothing written) when it is refused."""
        return self.submit_many(survey, [response])[0]

    def submit_many(self, survey: Survey, responses: Iterable[Any]) -> list[Receipt]:
        """All or nothing, with one sync for all (group commit)."""
        texts = [_response_text(r) for r in responses]
        receipts, refused = self._inner().submit(survey, texts)
        if refused:
            raise RejectedError({i: list(p) for i, p in refused})
        return [Receipt(seq, code) for seq, code in receipts]

    @property
    def device(self) -> str:
        return self._inner().device

    @property
    def last_seq(self) -> int:
        return self._inner().last_seq

    @property
    def recovery(self) -> list[Error]:
        """What opening found and repaired (a torn last frame, cut off and kept aside)."""
        return list(self._inner().recovery)

    def close(self) -> None:
        self._j = None

    def _inner(self):
        if self._j is None:
            raise ValueError("the journal is closed")
        return self._j

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_hq_keys(dir) -> None:
    """Writes a new head-office key pair, DIR/hq.key and DIR/hq.pub (never overwrites)."""
    _candor.make_hq_keys(str(dir))


def make_device_keys(device_id: str, dir) -> None:
    """Writes a device's key pair, DIR/ID.key and DIR/ID.pub (never overwrites)."""
    _candor.make_device_keys(device_id, str(dir))


def verify_journal(dir, devices=None) -> list[Error]:
    """Every problem of the journal in DIR: frames, sequence, chain, signatures (against
    head office's device list file when given). Intact: no problem of level "error"."""
    return list(_candor.verify_journal(str(dir), None if devices is None else str(devices)))


from . import report, stats  # noqa: E402  (after the names they use)
