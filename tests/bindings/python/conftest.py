import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("CANDOR_SOURCE_DIR", pathlib.Path(__file__).parents[3]))


@pytest.fixture
def surveys() -> pathlib.Path:
    return SOURCE / "examples" / "surveys"


@pytest.fixture
def hotel(surveys):
    import candor
    return candor.load(surveys / "hotel-stay.survey")


@pytest.fixture
def good_response() -> dict:
    return {"survey": "hotel-stay", "version": 3, "language": "en",
            "fields": {"site": "paris-01", "device": "kiosk-1", "channel": "kiosk", "shift": "day"},
            "submitted": "2026-11-02T10:16:12Z",
            "answers": {"recommend": 10, "satisfaction": 5, "contact_me": False}}
