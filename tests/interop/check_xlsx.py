"""The .xlsx export read back with openpyxl, cell by cell against the CSV export of the same
responses: same columns, same values, numbers as numbers, times as date-times, and a text
that looks like a formula stored as text.
usage: check_xlsx.py CANDOR SURVEY RESPONSES.jsonl WORKDIR"""
import csv
import datetime
import json
import os
import subprocess
import sys

import openpyxl

candor, survey, responses, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)

# One answer made hostile: a spreadsheet must show it, never run it.
lines = [json.loads(l) for l in open(responses, encoding="utf-8") if l.strip()]
hostile = "=HYPERLINK(\"http://127.0.0.1/\")"
target = next(l for l in lines if "what_went_wrong" in l["answers"])
target["answers"]["what_went_wrong"] = hostile
jsonl = os.path.join(work, "responses.jsonl")
with open(jsonl, "w", encoding="utf-8") as f:
    for l in lines:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")

xlsx = os.path.join(work, "responses.xlsx")
csv_text = subprocess.run([candor, "export", "--survey", survey, jsonl, "--format", "csv"],
                          check=True, capture_output=True, text=True).stdout
subprocess.run([candor, "export", "--survey", survey, jsonl, "--format", "xlsx", "--out", xlsx],
               check=True, capture_output=True)

rows = list(csv.reader(csv_text.splitlines()))
book = openpyxl.load_workbook(xlsx)
sheet = book["responses"]
cells = [list(r) for r in sheet.iter_rows()]
problems = []
if len(cells) != len(rows):
    problems.append(f"{len(cells)} rows in the .xlsx, {len(rows)} in the CSV")


def csv_value(text):
    # The CSV guards formula-looking text with a leading quote; the .xlsx needs none.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def as_text(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


formulas = 0
for r, (want, got) in enumerate(zip(rows, cells)):
    if len(got) != len(want):
        problems.append(f"row {r + 1}: {len(got)} cells, CSV {len(want)}")
        continue
    for c, (w, g) in enumerate(zip(want, got)):
        if g.data_type == "f":
            formulas += 1
        if r > 0 and w.lstrip("-").replace(".", "", 1).isdigit() and g.data_type != "n":
            problems.append(f"{g.coordinate}: {w} is not stored as a number")
        if as_text(g) != csv_value(w):
            problems.append(f"{g.coordinate}: {as_text(g)!r}, CSV {w!r}")
if formulas:
    problems.append(f"{formulas} cell(s) stored as formulas")
if not any(as_text(c) == hostile for row in cells for c in row):
    problems.append("the formula-looking answer is not in the .xlsx as text")
variables = [r[0] for r in book["variables"].iter_rows(min_row=2, values_only=True)]
if variables != rows[0]:
    problems.append(f"the variables sheet lists {variables}, not the columns {rows[0]}")

for p in problems[:20]:
    print(p)
compared = sum(len(r) for r in rows)
print(f"{len(rows) - 1} responses, {compared} cells compared, {len(problems)} differ")
sys.exit(1 if problems else 0)
