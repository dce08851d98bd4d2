import pytest

import candor


@pytest.fixture
def keys(tmp_path):
    candor.make_hq_keys(tmp_path)
    candor.make_device_keys("kiosk-1", tmp_path)
    return tmp_path


def test_submit_gives_receipts_and_the_journal_verifies(keys, hotel, good_response):
    jdir = keys / "journal"
    with candor.Journal(jdir, keys / "kiosk-1.key", keys / "hq.pub") as j:
        assert j.device == "kiosk-1" and j.last_seq == 0
        r = j.submit(hotel, good_response)
        assert r.seq == 1
        assert len(r.code) == 7 and r.code[3] == "-"
        more = j.submit_many(hotel, [good_response] * 3)
        assert [x.seq for x in more] == [2, 3, 4]
        assert j.last_seq == 4
    assert candor.verify_journal(jdir) == []
    # Reopened, it goes on from where it was.
    j = candor.Journal(jdir, keys / "kiosk-1.key", keys / "hq.pub")
    assert j.recovery == [] and j.submit(hotel, good_response).seq == 5


def test_rejected_writes_nothing(keys, hotel, good_response):
    j = candor.Journal(keys / "j", keys / "kiosk-1.key", keys / "hq.pub")
    bad = dict(good_response, answers={"recommend": 11, "satisfaction": 5, "contact_me": False})
    with pytest.raises(candor.RejectedError) as e:
        j.submit_many(hotel, [good_response, bad, "{oops"])
    assert set(e.value.problems) == {1, 2}
    assert [(p.field, p.code) for p in e.value.problems[1]] == [("recommend", "out-of-range")]
    assert e.value.problems[2][0].code == "json"
    assert j.last_seq == 0
    other = dict(good_response, fields=dict(good_response["fields"], device="kiosk-2"))
    with pytest.raises(candor.RejectedError) as e:
        j.submit(hotel, other)
    assert e.value.problems[0][0].code == "device-field"


def test_tampering_is_found(keys, hotel, good_response):
    jdir = keys / "journal"
    j = candor.Journal(jdir, keys / "kiosk-1.key", keys / "hq.pub")
    j.submit_many(hotel, [good_response] * 3)
    j.close()
    segment = max(p for p in jdir.iterdir() if p.name != "device.pub")
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    problems = candor.verify_journal(jdir)
    assert any(p.level == "error" for p in problems)
    assert all(isinstance(p, candor.Error) and p.code for p in problems)


def test_keys(tmp_path):
    candor.make_hq_keys(tmp_path)
    with pytest.raises(OSError):
        candor.make_hq_keys(tmp_path)  # never overwritten
    with pytest.raises(ValueError):
        candor.make_device_keys("no spaces", tmp_path)
    with pytest.raises(OSError):
        candor.Journal(tmp_path / "j", tmp_path / "missing.key", tmp_path / "hq.pub")
