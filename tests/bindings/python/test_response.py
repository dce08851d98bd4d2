import datetime as dt
import json

import numpy as np
import pytest

import candor


def test_good_response_has_no_problem(hotel, good_response):
    assert candor.validate(hotel, good_response) == []
    assert candor.validate(hotel, json.dumps(good_response)) == []


def test_bad_response_names_each_problem(hotel, good_response):
    r = dict(good_response, answers={"recommend": 11, "satisfaction": "great", "contact_me": False,
                                     "favourite_colour": "blue"})
    problems = candor.validate(hotel, r)
    found = {(p.field, p.code) for p in problems}
    assert found == {("recommend", "out-of-range"), ("satisfaction", "wrong-type"),
                     ("favourite_colour", "unknown-question")}
    assert all(p.message for p in problems)


def test_every_bad_sample_is_refused(hotel, surveys):
    lines = (surveys / "hotel-stay.bad-responses.jsonl").read_text().splitlines()
    for line in filter(str.strip, lines):
        try:  # refused either by the checks or as not a response at all
            assert candor.validate(hotel, line), line
        except candor.ResponseError as e:
            assert e.errors[0].code in ("json", "response-shape")
    for line in filter(str.strip, (surveys / "hotel-stay.responses.jsonl").read_text().splitlines()):
        assert candor.validate(hotel, line) == [], line


def test_python_values_in_responses(hotel, good_response):
    r = dict(good_response, submitted=dt.datetime(2026, 11, 2, 10, 16, tzinfo=dt.timezone.utc))
    r["answers"] = dict(r["answers"], recommend=np.int64(9), amenities=np.array(["spa", "bar"]))
    assert candor.validate(hotel, r) == []
    with pytest.raises(TypeError):
        candor.validate(hotel, dict(good_response, submitted=dt.datetime(2026, 11, 2)))


def test_not_a_response(hotel):
    with pytest.raises(candor.ResponseError) as e:
        candor.validate(hotel, "{not json")
    assert e.value.errors[0].code == "json"
    with pytest.raises(candor.ResponseError) as e:
        candor.validate(hotel, {"answers": {}})
    assert e.value.errors[0].code == "response-shape"
