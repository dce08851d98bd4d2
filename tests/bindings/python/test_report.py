"""candor.report.build and candor.stats.figures: the library's report and figures as dicts,
checked against figures worked out here from the same cards."""
import json

import numpy as np
import pandas as pd
import pytest

import candor
from candor import stats
from conftest import SOURCE

SAMPLE = SOURCE / "examples" / "data" / "hotel-stay.sample.jsonl"
ORG = SOURCE / "examples" / "org" / "hotel-chain.org"
STATS_CSV = SOURCE / "examples" / "data" / "stats-sample.csv"
NOW = "2026-11-16T09:00:00Z"


def cards():
    return [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]


def nps_of(values):
    v = np.asarray([x for x in values if x is not None], dtype=float)
    return 100.0 * (np.sum(v >= 9) - np.sum(v <= 6)) / len(v), len(v)


def test_report_figures_are_those_of_the_cards(hotel):
    r = candor.report.build(hotel, responses=SAMPLE, org=ORG, now=NOW)
    all_cards = cards()
    score, n = nps_of(c["answers"].get("recommend") for c in all_cards)
    assert r["figures"]["n"] == len(all_cards)
    assert r["figures"]["nps"]["n"] == n
    assert r["figures"]["nps"]["score"] == pytest.approx(score, rel=1e-12)
    for site, g in r["figures"]["by"]["site"].items():
        mine = [c["answers"].get("recommend") for c in all_cards if c["fields"]["site"] == site]
        assert g["n"] == len(mine)
        assert g["nps"]["score"] == pytest.approx(nps_of(mine)[0], rel=1e-12)
    assert len(r["names"]) == 12 and r["generated"] == NOW
    assert r["personal_data"] is False and all("contact" not in v for v in r["verbatims"])
    page, text = r.html(), r.text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 4 and "<script" not in page
    assert f"{r['figures']['nps']['score']:+.1f}" in page and "NPS by site, best first:" in text
    assert json.loads(r.json()) == dict(r)


def test_report_contacts_only_for_guest_care(hotel):
    care = candor.report.build(hotel, responses=SAMPLE, org=ORG, reader_role="customer_care", now=NOW)
    assert care["personal_data"] is True
    assert any("contact" in v for v in care["verbatims"])
    assert care["reader_role"] == "customer_care"


def test_report_of_few_cards_says_why(hotel, tmp_path):
    lines = SAMPLE.read_text().splitlines(keepends=True)
    few = tmp_path / "four.jsonl"
    few.write_text("".join(lines[:4]))
    r = candor.report.build(hotel, responses=few, now=NOW)
    assert r["figures"]["n"] == 4 and r["figures"]["nps"] is None
    assert "not shown: fewer than 5 answers" in r.html()
    assert "NPS   suppressed" in r.text()
    none = tmp_path / "none.jsonl"
    none.write_text("")
    with pytest.raises(candor.ReportError) as e:
        candor.report.build(hotel, responses=none, now=NOW)
    assert e.value.errors[0].code == "no-responses"


def test_report_refuses_bad_input(hotel, tmp_path):
    with pytest.raises(ValueError, match="give one source"):
        candor.report.build(hotel, now=NOW)
    with pytest.raises(ValueError, match="needs org="):
        candor.report.build(hotel, responses=SAMPLE, reader_role="customer_care")
    with pytest.raises(candor.ReportError) as e:
        candor.report.build(hotel, responses=SAMPLE, org=ORG, reader_role="janitor")
    assert e.value.errors[0].code == "unknown-role"
    with pytest.raises(candor.ReportError) as e:
        candor.report.build(hotel, responses=tmp_path / "nope.jsonl")
    assert e.value.errors[0].code == "io"
    with pytest.raises(candor.ReportError) as e:
        candor.report.build(hotel, responses=SAMPLE, cases=tmp_path / "no-log")
    assert e.value.errors[0].code == "no-case-log" and not (tmp_path / "no-log").exists()


def test_figures_equal_the_array_figures():
    df = pd.read_csv(STATS_CSV)
    f = stats.figures(STATS_CSV, nps="rec", csat="sat", by="site")
    want = stats.nps(df["rec"])
    assert f["n"] == len(df)
    assert f["nps"]["score"] == pytest.approx(want["nps"], rel=1e-12)
    assert f["nps"]["se"] == pytest.approx(want["se"], rel=1e-12)
    assert f["csat"]["share"] == pytest.approx(stats.csat(df["sat"])["share"], rel=1e-12)
    counts = df["site"].value_counts()
    assert set(f["by"]["site"]) == set(counts[counts >= stats.DEFAULT_MIN_N].index)
    assert f.text().startswith(f"cards: {len(df)}\n")
    assert "(1 segment(s) under the minimum n suppressed)" in f.text()


def test_figures_options_in_their_two_spellings():
    a = stats.figures(STATS_CSV, drivers="overall=clean,staff,value", alpha="clean,staff,value")
    b = stats.figures(STATS_CSV, drivers=("overall", ["clean", "staff", "value"]),
                      alpha=["clean", "staff", "value"])
    assert a == b and a["drivers"]["outcome"] == "overall" and "alpha" in a
    margins = SOURCE / "examples" / "data" / "stats-site-margins.csv"
    from_file = stats.figures(STATS_CSV, nps="rec", rake={"site": margins})
    given = stats.figures(STATS_CSV, nps="rec",
                          rake={"site": {"lyon": 500, "nice": 300, "paris": 150, "brest": 50}})
    assert from_file == given and given["weights"]["converged"] is True
    assert given["weights"]["sum"] == pytest.approx(1000)
    import datetime
    assert (stats.figures(STATS_CSV, nps="rec", compare="2026-10-01")
            == stats.figures(STATS_CSV, nps="rec", compare=datetime.date(2026, 10, 1)))


def test_figures_refuse_bad_input():
    with pytest.raises(candor.ReportError) as e:
        stats.figures(STATS_CSV, nps="nope")
    assert e.value.errors[0].code == "unknown-column"
    with pytest.raises(candor.ReportError) as e:
        stats.figures(STATS_CSV, nps="rec", compare="2026-13-01")
    assert e.value.errors[0].code == "bad-date"
    with pytest.raises(candor.ReportError) as e:
        stats.figures(STATS_CSV, nps="rec", period="fortnight")
    assert e.value.errors[0].code == "unknown-period"
