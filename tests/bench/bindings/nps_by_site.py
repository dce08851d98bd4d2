#!/usr/bin/python3
"""NPS by site on 10,000,000 cards (1,000 sites): the same call from Python and from C++.

    python3 tests/bench/bindings/nps_by_site.py BUILD_DIR [REPETITIONS] [ROUNDS]

BUILD_DIR is a build with -DCANDOR_BENCH=ON and the target bindings_bench built. The C++
program makes the data (the stats bench's), writes it to a temporary directory and times,
median of REPETITIONS:
  C++ library   stats::group_by + stats::histograms_by on a stats::frame, stats::nps per site
  C++ arrays    stats::histograms_by on the raw arrays (spans, as the bindings call it), stats::nps per site
Python then reads the same bytes into a DataFrame (site categorical, nps int8) and times
  Python        candor.stats.nps_by(df["nps"], by=df["site"])   -> a DataFrame
with int16 category codes (what pandas makes for 1,000 sites) and with the int32 codes
the C++ side reads. C++ and Python alternate over ROUNDS rounds of REPETITIONS calls each,
so that both see the same load on a shared machine; the medians are over all calls.
Prints the medians and the ratios Python / C++.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

build = Path(sys.argv[1] if len(sys.argv) > 1 else "build")
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 7
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
sys.path.insert(0, str(build / "bindings" / "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import candor  # noqa: E402
from candor import stats  # noqa: E402

labels = [f"site-{k}" for k in range(1000)]


def timings(f):
    f()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


lib, arrays, py16, py32 = [], [], [], []
result = {}
with tempfile.TemporaryDirectory() as tmp:
    for _ in range(rounds):
        out = subprocess.run([str(build / "tests" / "bench" / "bindings" / "bindings_bench"), tmp,
                              str(reps)], check=True, capture_output=True, text=True).stdout
        cxx = dict(line.split(" ", 1) for line in out.splitlines())
        lib += [float(x) for x in cxx["library"].split()]
        arrays += [float(x) for x in cxx["arrays"].split()]
        if not result:
            codes32 = np.fromfile(Path(tmp) / "site.bin", dtype=np.int32)
            nps = np.fromfile(Path(tmp) / "nps.bin", dtype=np.int8)
            df = pd.DataFrame({"site": pd.Categorical.from_codes(codes32, labels), "nps": nps})
            assert df["site"].cat.codes.dtype == np.int16
            result["t"] = stats.nps_by(df["nps"], by=df["site"], min_n=0)
        py16 += timings(lambda: stats.nps_by(df["nps"], by=df["site"], min_n=0))
        py32 += timings(lambda: stats.nps_by(nps, by=(codes32, labels), min_n=0))

score, se, n = cxx["site0"].split()
t = result["t"]
assert abs(t.loc["site-0", "nps"] - float(score)) < 1e-9 and t.loc["site-0", "n"] == int(n), (t.iloc[0], cxx)
m = statistics.median
lib, arrays, py16, py32 = m(lib), m(arrays), m(py16), m(py32)
print(f"NPS by site, {len(nps):,} cards, 1,000 sites, median of {rounds} x {reps} calls (ms), "
      f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, candor {candor.version()}")
print(f"  C++ library (frame, group_by + histograms_by + nps)  {lib:8.2f}")
print(f"  C++ arrays (histograms_by on spans + nps)            {arrays:8.2f}")
print(f"  Python nps_by(df['nps'], by=df['site'])  int16 codes {py16:8.2f}")
print(f"  Python nps_by(array, by=(int32 codes, labels))       {py32:8.2f}")
print(f"  Python / C++ library: {py16 / lib:.3f} (DataFrame), {py32 / lib:.3f} (arrays)")
print(f"  Python / C++ arrays:  {py16 / arrays:.3f} (DataFrame), {py32 / arrays:.3f} (arrays)")
