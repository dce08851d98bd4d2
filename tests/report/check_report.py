#!/usr/bin/python3
"""Checks of `candor report` on the bundled sample, one per CTest:

  check_report.py CHECK CANDOR SOURCE_DIR WORK_DIR

numbers     the report's figures are `candor stats --json` on the same data, from CSV and
            from JSON lines; its change rows are the monthly NPS of `candor stats`
svg         every inline SVG parses as XML; the page balances its tags, has no script
            and nothing from elsewhere
escape      hostile comments are escaped; contact details only for a contacts-guests reader
store       from head office's store (keys, submit, export, import), as from the JSON lines
cases       a case log filled by `candor route run`: open, acknowledged, overdue and
            escalated cases counted as routing left them; a missing log is a clear error
errors      bad input: a clear message, exit 1, no report written
few_cards   1 card and 4 (under --min-n 5): every format of `candor report` and `candor stats`
            prints what it can and says why the rest is suppressed; 0 cards: the report is
            refused clearly, the figures say there are none
screenshot  headless chromium renders the page into WORK_DIR/report.png
"""

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CHECK, CANDOR, SRC, WORK = sys.argv[1:5]
SURVEY = os.path.join(SRC, "examples/surveys/hotel-stay.survey")
SAMPLE = os.path.join(SRC, "examples/data/hotel-stay.sample.jsonl")
ORG = os.path.join(SRC, "examples/org/hotel-chain.org")
NOW = "2026-11-16T09:00:00Z"


def run(*args, ok=True):
    p = subprocess.run([CANDOR, *args], capture_output=True, text=True)
    if ok and p.returncode != 0:
        sys.exit(f"candor {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def report(*args):
    return run("report", "--survey", SURVEY, "--now", NOW, *args).stdout


def sample_csv():
    path = os.path.join(WORK, "sample.csv")
    with open(path, "w") as f:
        f.write(run("export", "--csv", "--survey", SURVEY, SAMPLE).stdout)
    return path


def expect(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)


def check_numbers():
    csv = sample_csv()
    r = json.loads(report("--csv", csv, "--format", "json"))
    stats = json.loads(run("stats", csv, "--survey", SURVEY, "--json", *r["stats_args"]).stdout)
    expect(r["figures"] == stats, "report figures differ from candor stats --json " + " ".join(r["stats_args"]))
    expect(len(stats["by"]["site"]) == 12 and len(stats["periods"]) >= 26, "12 sites and six months of weeks")
    from_jsonl = json.loads(report("--responses", SAMPLE, "--format", "json"))
    expect(from_jsonl["figures"] == r["figures"], "the report from JSON lines differs from the report from CSV")
    months = json.loads(run("stats", csv, "--survey", SURVEY, "--json", "--period", "month").stdout)["periods"]
    by_start = {p["start"]: p["nps"] for p in months}
    c = r["change"]
    expect(c["overall"]["before"] == by_start[c["before"]] and c["overall"]["after"] == by_start[c["after"]],
           "change before/after are the monthly NPS of candor stats")
    expect(any(x["significant"] for x in c["by"].values()), "the sample shows a significant change")
    # The rendered pages print the same figures.
    nps = r["figures"]["nps"]
    text = report("--csv", csv, "--format", "text")
    page = report("--csv", csv)
    for shown in (f"{nps['score']:+.1f}", f"{nps['ci95'][0]:+.1f}", f"{nps['ci95'][1]:+.1f}"):
        expect(shown in text and shown in page, f"NPS {shown} in the text and HTML reports")
    for site, g in stats["by"]["site"].items():
        expect(f"{site}: NPS {g['nps']['score']:+.1f}" in page, f"{site}'s NPS in the chart")
    print("figures equal candor stats --json", " ".join(r["stats_args"]))


class Balance(html.parser.HTMLParser):
    void = {"meta", "br", "hr", "img", "input", "link", "circle", "line", "rect", "polygon", "polyline", "path"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.errors.append(f"<{tag}> in the page")
        for name, value in attrs:
            if name in ("src", "href") or name.startswith("on"):
                self.errors.append(f"{tag} {name}={value}")
        if tag not in self.void:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.void:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def check_page(page, charts):
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    expect(len(svgs) == charts, f"{charts} inline SVG charts, found {len(svgs)}")
    for s in svgs:
        try:
            ET.fromstring(s)
        except ET.ParseError as e:
            sys.exit(f"FAILED: SVG not well formed: {e}\n{s[:300]}")
    b = Balance()
    b.feed(page)
    b.close()
    expect(not b.errors and not b.stack, f"balanced tags, nothing external: {b.errors[:5]} {b.stack}")
    expect("http://" not in page and "https://" not in page, "no address of anything elsewhere")
    return svgs


def check_svg():
    svgs = check_page(report("--responses", SAMPLE, "--org", ORG), 4)
    print(len(svgs), "SVG blocks well formed")


def check_escape():
    hostile = os.path.join(WORK, "hostile.jsonl")
    card = {"survey": "hotel-stay", "version": 3, "language": "en",
            "fields": {"site": "<b>x</b>", "device": "kiosk-1", "channel": "kiosk", "shift": "day"},
            "submitted": "2026-11-10T10:00:00Z",
            "answers": {"recommend": 2, "satisfaction": 1, "contact_me": True, "email": "guest@example.org",
                        "phone": "+33 6 11 22 33 44",
                        "what_went_wrong": "</blockquote><script>alert('x')</script> & call me on +33 6 12 34 56 78 "
                                           "or write to jane.doe@example.com."}}
    with open(hostile, "w") as f:
        for k in range(6):
            card["submitted"] = f"2026-11-1{k}T10:00:00Z"
            f.write(json.dumps(card) + "\n")
    page = report("--responses", hostile, "--min-n", "1")
    check_page(page, 2)  # NPS split and sites: one week, too few cards for drivers
    expect("Not worked out: key drivers need more complete cases" in page, "why the drivers are missing")
    expect("<script>" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page, "comment escaped")
    expect("&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page, "site label escaped")
    for personal in ("guest@example.org", "jane.doe@example.com", "12 34 56 78", "11 22 33 44"):
        expect(personal not in page, f"{personal} removed by default")
    expect("[removed]" in page, "redactions are marked")
    as_director = report("--responses", hostile, "--org", ORG, "--reader-role", "regional_director", "--format", "json")
    expect("guest@example.org" not in as_director and "contact" not in json.loads(as_director)["verbatims"][0],
           "a regional director (not contacts-guests) sees no contact details")
    care = json.loads(report("--responses", hostile, "--org", ORG, "--reader-role", "customer_care", "--format", "json"))
    v = care["verbatims"][0]
    expect(v["contact"] == {"email": "guest@example.org", "phone": "+33 6 11 22 33 44"}, "guest care sees contacts")
    expect("jane.doe@example.com" in v["text"]["what_went_wrong"], "guest care sees the comment whole")
    expect(len(care["verbatims"]) == 6 and care["verbatims"][0]["submitted"] == "2026-11-15T10:00:00Z", "newest first")
    print("escaped and redacted")


def make_store(d, cards):
    """Head office's store holding `cards` of kiosk-rouen-05-a, as a kiosk and an import make it."""
    src = os.path.join(d, "cards.jsonl")
    mine = [c for c in map(json.loads, open(SAMPLE)) if c["fields"]["device"] == "kiosk-rouen-05-a"][-cards:]
    with open(src, "w") as f:
        f.writelines(json.dumps(c) + "\n" for c in mine)
    run("keys", "hq", "--out", os.path.join(d, "hq"))
    run("keys", "device", "--id", "kiosk-rouen-05-a", "--out", os.path.join(d, "dev"))
    run("submit", "--survey", SURVEY, "--journal", os.path.join(d, "journal"), "--device-key",
        os.path.join(d, "dev/kiosk-rouen-05-a.key"), "--hq-public", os.path.join(d, "hq/hq.pub"), src)
    run("journal", "export", os.path.join(d, "journal"), "--after", "0", "--out", os.path.join(d, "b.bundle"))
    run("hq", "import", "--store", os.path.join(d, "store"), "--hq-key", os.path.join(d, "hq/hq.key"),
        "--devices", os.path.join(d, "dev/kiosk-rouen-05-a.pub"), os.path.join(d, "b.bundle"))
    return src, os.path.join(d, "store"), os.path.join(d, "hq/hq.key")


def check_store():
    d = tempfile.mkdtemp(dir=WORK)
    src, store, key = make_store(d, 60)
    stored = json.loads(report("--store", store, "--hq-key", key, "--format", "json"))
    direct = json.loads(report("--responses", src, "--format", "json"))
    expect(stored["figures"] == direct["figures"] and stored["figures"]["n"] == 60, "store = JSON lines, 60 cards")
    run("keys", "hq", "--out", os.path.join(d, "other"))
    wrong = run("report", "--survey", SURVEY, "--store", store, "--hq-key", os.path.join(d, "other/hq.key"), ok=False)
    expect(wrong.returncode == 1 and "do not open with this key" in wrong.stderr, "a wrong key is named")
    shutil.rmtree(d)
    print("store report equals the JSON lines report")


def check_cases():
    """A case log filled by `candor route run`, one case acknowledged, deadlines passing."""
    d = tempfile.mkdtemp(dir=WORK)
    _, store, key = make_store(d, 40)
    cases = os.path.join(store, "cases")

    def route(now):
        p = run("route", "run", "--org", ORG, "--rules", os.path.join(SRC, "examples/org/hotel-stay.rules"),
                "--survey", SURVEY, "--store", store, "--hq-key", key, "--now", now)
        return p.stdout

    def at(now):
        p = run("report", "--survey", SURVEY, "--store", store, "--hq-key", key, "--cases", cases, "--now", now,
                "--format", "json")
        return json.loads(p.stdout)["cases"]

    opened = int(re.search(r"(\d+) cases opened", route("2026-11-16T09:00:00Z")).group(1))
    expect(opened > 1, f"routing opened cases ({opened})")
    c = at("2026-11-16T10:00:00Z")
    expect(c["open"] == opened and c["overdue"] == [] and c["escalated"] == 0, f"{opened} open, none overdue: {c}")
    # One case per card: ID STATE SITE ROLE OWNER due ...
    first, owner = sorted((r[0], r[4]) for r in map(str.split, run("cases", "list", "--store", store,
                          "--state", "all").stdout.splitlines()) if len(r) > 5 and r[5] == "due")[0]
    run("cases", "ack", first, "--store", store, "--by", owner, "--now", "2026-11-16T11:00:00Z")
    late = "2026-11-30T09:00:00Z"
    c = at(late)
    expect(c["open"] == opened - 1 and c["acknowledged"] == 1, f"one acknowledged: {c}")
    expect(len(c["overdue"]) == opened - 1 and first not in [o["id"] for o in c["overdue"]],
           "every case still open is overdue two weeks on; the acknowledged one is not")
    escalated = int(re.search(r"escalated (\d+) cases", route(late)).group(1))
    c = at(late)
    expect(escalated > 0 and c["escalated"] == escalated, f"{escalated} escalated as route run said: {c}")
    expect(all(o["escalations"] >= 1 for o in c["overdue"]), "what is still overdue has escalated")
    page = run("report", "--survey", SURVEY, "--store", store, "--hq-key", key, "--cases", cases, "--now", late).stdout
    check_page(page, 4)
    expect(f"<strong>{opened - 1}</strong> open" in page, "the page counts the open cases")
    empty = tempfile.mkdtemp(dir=WORK)
    c = json.loads(report("--responses", SAMPLE, "--cases", empty, "--format", "json"))["cases"]
    expect(c["open"] == 0 and c["overdue"] == [], "an empty log has no cases")
    missing = run("report", "--survey", SURVEY, "--responses", SAMPLE, "--cases", os.path.join(d, "nope"), ok=False)
    expect(missing.returncode == 1 and "no case log there" in missing.stderr, "a missing case log is named")
    shutil.rmtree(d)
    shutil.rmtree(empty)
    print(opened, "cases opened;", escalated, "escalated; report agrees")


def check_errors():
    out = os.path.join(WORK, "never.html")
    bad_csv = os.path.join(WORK, "bad.csv")
    with open(bad_csv, "w") as f:
        f.write("language,submitted,recommend\nen,2026-11-01T10:00:00Z,11\n")
    cases = [
        (["--responses", SAMPLE, "--csv", bad_csv], "give one source"),
        (["--store", WORK], "--store needs --hq-key"),
        (["--responses", SAMPLE, "--reader-role", "front_desk"], "--reader-role needs --org"),
        (["--responses", SAMPLE, "--org", ORG, "--reader-role", "janitor"], "no role 'janitor'"),
        (["--csv", bad_csv], "bad.csv:2:"),
        (["--responses", SAMPLE, "--now", "yesterday"], "--now takes a time"),
    ]
    for args, message in cases:
        p = run("report", "--survey", SURVEY, "--out", out, *args, ok=False)
        expect(p.returncode == 1 and message in p.stderr, f"{args}: exit 1 with '{message}', got {p.returncode} {p.stderr}")
        expect(not os.path.exists(out), f"{args}: nothing written")
    print(len(cases), "bad inputs refused clearly")


def check_few_cards():
    cards = open(SAMPLE).readlines()
    out = os.path.join(WORK, "never.html")
    for n in (1, 4, 0):
        lines = os.path.join(WORK, f"{n}.jsonl")
        with open(lines, "w") as f:
            f.writelines(cards[:n])
        csv = os.path.join(WORK, f"{n}.csv")
        with open(csv, "w") as f:
            f.write(run("export", "--csv", "--survey", SURVEY, lines).stdout)
        stats = run("stats", csv, "--survey", SURVEY, "--by", "site", "--period", "week").stdout
        expect(stats.startswith(f"cards: {n}\n"), f"{n} cards: stats counts them")
        expect("NPS (recommend): suppressed, fewer than 5 answers" in stats, f"{n} cards: NPS said suppressed")
        figures = json.loads(run("stats", csv, "--survey", SURVEY, "--json").stdout)
        expect(figures["n"] == n and figures["nps"] is None, f"{n} cards: NPS null in the JSON figures")
        if n == 0:
            p = run("report", "--survey", SURVEY, "--responses", lines, "--out", out, ok=False)
            expect(p.returncode == 1 and 'no responses to "hotel-stay" to report on' in p.stderr,
                   f"0 cards: the report is refused clearly ({p.returncode} {p.stderr})")
            expect(not os.path.exists(out), "0 cards: nothing written")
            continue
        one = run("stats", csv, "--survey", SURVEY, "--min-n", "1").stdout
        if n == 1:
            expect("(too few answers for an interval)" in one, "1 card, min-n 1: NPS without an interval")
        page = report("--responses", lines)
        check_page(page, 0)  # nothing to draw
        for why in ("not shown: fewer than 5 answers, the minimum n", "Not drawn: the NPS of all cards",
                    "Not drawn: fewer than two weeks to draw", "Not worked out: key drivers"):
            expect(why in page, f"{n} cards: the page says '{why}'")
        text = report("--responses", lines, "--format", "text")
        expect("NPS   suppressed, fewer than 5 answers" in text and "under the minimum n not shown" in text,
               f"{n} cards: the text says what is suppressed")
        model = json.loads(report("--responses", lines, "--format", "json"))
        expect(model["figures"]["n"] == n and model["figures"]["nps"] is None, f"{n} cards in the JSON model")
    print("1, 4 and 0 cards: printed what could be, said why not the rest")


def check_screenshot():
    page = os.path.join(WORK, "report.html")
    png = os.path.join(WORK, "report.png")
    for f in (page, png):
        if os.path.exists(f):
            os.remove(f)
    run("report", "--survey", SURVEY, "--responses", SAMPLE, "--org", ORG, "--now", NOW, "--out", page)
    profile = tempfile.mkdtemp(dir=WORK)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", f"--screenshot={png}", "--window-size=1280,2400",
                    "file://" + page], capture_output=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    expect(os.path.exists(png), "chromium wrote the screenshot")
    with open(png, "rb") as f:
        data = f.read()
    expect(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, f"a real PNG, {len(data)} bytes")
    print("screenshot:", png, len(data), "bytes")


os.makedirs(WORK, exist_ok=True)
globals()["check_" + CHECK]()
