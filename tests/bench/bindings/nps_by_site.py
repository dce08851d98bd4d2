#!/usr/bin/python3
"""NPS by site on 10,000,000 cards (1,000 sites): the same call from Python and from C++.

    python3 tests/bench/bindings/nps_by_site.py BUILD_DIR [CALLS]

BUILD_DIR is a build with -DCANDOR_BENCH=ON and the targets bindings_bench and
candor_python built. The C++ program makes the data (the stats bench's) and writes it to a
temporary directory; Python reads the same bytes into a DataFrame (site categorical, which
pandas gives int16 codes for 1,000 sites; nps int8, as in Candor's frames). Then, CALLS
times, one call of each of these, in an order reversed every time, so that all see the
same load on a shared machine:
  C++ library   stats::group_by + stats::histograms_by on a stats::frame, stats::nps per site
  C++ arrays    stats::histograms_by on the raw arrays (spans, as the bindings call it)
  Python        candor.stats.nps_by(df["nps"], by=df["site"])   -> a DataFrame
  Python int64  the same with the scores as int64 (what pandas.read_csv makes of them)
  Python arrays candor.stats.nps_by(nps, by=(int32 codes, labels))
Prints the medians of each call's wall time and CPU time (of every thread of the process)
and the ratios Python / C++ library: of the medians, and the median of each round's ratio.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

build = Path(sys.argv[1] if len(sys.argv) > 1 else "build")
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 31
sys.path.insert(0, str(build / "bindings" / "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import candor  # noqa: E402
from candor import stats  # noqa: E402

labels = [f"site-{k}" for k in range(1000)]


def python_call(f):
    def timed():
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        c1, t1 = time.process_time(), time.perf_counter()
        return (t1 - t0) * 1e3, (c1 - c0) * 1e3
    return timed


with tempfile.TemporaryDirectory() as tmp:
    cxx = subprocess.Popen([str(build / "tests" / "bench" / "bindings" / "bindings_bench"), tmp],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert cxx.stdout.readline().strip() == "ready"

    def cxx_call(name):
        def timed():
            cxx.stdin.write(name + "\n")
            wall, cpu = cxx.stdout.readline().split()
            return float(wall), float(cpu)
        return timed

    codes32 = np.fromfile(Path(tmp) / "site.bin", dtype=np.int32)
    nps = np.fromfile(Path(tmp) / "nps.bin", dtype=np.int8)
df = pd.DataFrame({"site": pd.Categorical.from_codes(codes32, labels), "nps": nps})
df["nps64"] = df["nps"].astype(np.int64)
assert df["site"].cat.codes.dtype == np.int16
runs = {
    "C++ library (frame, group_by + histograms_by + nps)": cxx_call("library"),
    "C++ arrays (histograms_by on spans + nps)": cxx_call("arrays"),
    "Python nps_by(df['nps'], by=df['site'])": python_call(
        lambda: stats.nps_by(df["nps"], by=df["site"], min_n=0)),
    "Python, the scores int64": python_call(
        lambda: stats.nps_by(df["nps64"], by=df["site"], min_n=0)),
    "Python nps_by(array, by=(int32 codes, labels))": python_call(
        lambda: stats.nps_by(nps, by=(codes32, labels), min_n=0)),
}
times = {name: [] for name in runs}
for f in runs.values():  # warm up: pages in
    f()
for i in range(calls):
    for name in (list(runs) if i % 2 == 0 else reversed(list(runs))):
        times[name].append(runs[name]())
cxx.stdin.close()
score, se, n = cxx.stdout.readline().split()
cxx.wait()

t = stats.nps_by(df["nps"], by=df["site"], min_n=0)
assert abs(t.loc["site-0", "nps"] - float(score)) < 1e-9 and t.loc["site-0", "n"] == int(n), (t.iloc[0], score)
m = statistics.median
print(f"NPS by site, {len(nps):,} cards, 1,000 sites, median of {calls} alternating calls (ms), "
      f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, candor {candor.version()}")
print(f"  {'':54} {'wall':>8} {'CPU':>8}")
for name, x in times.items():
    print(f"  {name:54} {m(w for w, _ in x):8.2f} {m(c for _, c in x):8.2f}")
lib, py = times[next(iter(runs))], times["Python nps_by(df['nps'], by=df['site'])"]
for what, k in (("wall", 0), ("CPU", 1)):
    print(f"  Python (DataFrame) / C++ library, {what}: {m(p[k] for p in py) / m(c[k] for c in lib):.3f} "
          f"(median of the rounds' ratios {m(p[k] / c[k] for p, c in zip(py, lib)):.3f})")
