"""The worked example of docs/python.md: an analyst's notebook, from the survey file to
the figures by site. Run: python3 worked_example.py EXAMPLES_DIR (CTest runs it as
python_bindings_example, with PYTHONPATH at the build tree's bindings/python)."""
import sys
import tempfile
from pathlib import Path

import pandas as pd

import candor
from candor import stats

examples = Path(sys.argv[1] if len(sys.argv) > 1 else "examples")
print("candor", candor.version())

# 1. The survey: parsed and checked. A mistake raises SurveyError with every diagnostic.
survey = candor.load(examples / "surveys" / "hotel-stay.survey")
print(survey, [q.id for q in survey.questions][:4], "...")
try:
    candor.parse('survey "s" version 1 {\n  languages en\n  question a: nps "A?"\n'
                 '  question a: csat "B?"\n}\n', "s.survey")
except candor.SurveyError as e:
    for d in e.errors:
        print(f"  {d.file}:{d.line}:{d.column} {d.code}: {d.message}")

# 2. Responses are dicts; validate() lists what is wrong with one (empty: accepted).
card = {"survey": "hotel-stay", "version": 3, "language": "en",
        "fields": {"site": "paris-01", "device": "kiosk-1", "channel": "kiosk", "shift": "day"},
        "submitted": "2026-11-02T10:16:12Z",
        "answers": {"recommend": 9, "satisfaction": 4, "contact_me": False}}
assert candor.validate(survey, card) == []
typo = dict(card, answers={"recommend": 11, "satisfaction": 4, "contact_me": False})
for p in candor.validate(survey, typo):
    print(f"  refused: {p.field} [{p.code}] {p.message}")

# 3. Submitting to a device's journal: sealed to head office, durable, then the receipt.
with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    candor.make_hq_keys(tmp)                 # head office's pair: normally `candor keys hq`
    candor.make_device_keys("kiosk-1", tmp)  # the kiosk's pair
    with candor.Journal(tmp / "journal", tmp / "kiosk-1.key", tmp / "hq.pub") as journal:
        receipt = journal.submit(survey, card)
        print(f"stored as card {receipt.seq}, receipt {receipt.code}")
        try:
            journal.submit(survey, typo)
        except candor.RejectedError as e:
            print("  rejected, nothing written:", [p.code for p in e.problems[0]])
    problems = candor.verify_journal(tmp / "journal")
    assert not problems, problems
    print("journal verified")

# 4. The figures of an export, straight from a DataFrame (columns read in place).
df = pd.read_csv(examples / "data" / "stats-sample.csv", dtype={"site": "category"})
nps = stats.nps(df["rec"])
csat = stats.csat(df["sat"])
ces = stats.ces(df["effort"])
print(f"NPS {nps['nps']:.1f} (95% CI {nps['ci95'][0]:.1f} to {nps['ci95'][1]:.1f}), n = {nps['n']}")
print(f"CSAT {100 * csat['share']:.1f}%, n = {csat['n']};  CES {ces['mean']:.2f}, n = {ces['n']}")
by_site = stats.summary_by(df, "site", nps="rec", csat="sat", ces="effort")
print(by_site[["cards", "nps", "nps_se", "csat", "ces"]].round(3).to_string())

drivers = stats.key_drivers(df, "overall", ["clean", "staff", "value"])
print(drivers["table"].round(3).to_string(), f"\nR² {drivers['r2']:.3f}, n = {drivers['n']}")

# The same figures as `candor stats` prints for this file (docs/statistics.md).
assert round(nps["nps"], 1) == -14.5 and nps["n"] == 83
assert round(100 * csat["share"], 1) == 52.4 and csat["n"] == 84
assert round(ces["mean"], 2) == 4.39 and ces["n"] == 90
assert list(by_site.index) == ["lyon", "nice", "paris"]
assert round(by_site.loc["paris", "nps"], 1) == -23.1
print("worked example: OK")
