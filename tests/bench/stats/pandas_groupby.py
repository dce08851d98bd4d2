"""The pandas side of the stats benchmark: NPS, CSAT and CES by site with groupby.

Reads the raw columns the C++ benchmark wrote (int8 answers, -128 missing; int32 sites),
times the groupby only, and prints: seconds, then NPS/SE/CSAT/CES mean of site 0 as a check.
"""
import sys
import time

import numpy as np
import pandas as pd


def column(d, name, dtype):
    a = np.fromfile(f"{d}/{name}.bin", dtype=dtype)
    if dtype == np.int8:
        a = a.astype(np.float64)
        a[a == -128] = np.nan
    return a


def main():
    d = sys.argv[1]
    df = pd.DataFrame({"site": column(d, "site", np.int32), "nps": column(d, "nps", np.int8),
                       "csat": column(d, "csat", np.int8), "ces": column(d, "ces", np.int8)})
    t0 = time.perf_counter()
    v = np.select([df["nps"] >= 9, df["nps"] <= 6], [100.0, -100.0], 0.0)
    v[df["nps"].isna().to_numpy()] = np.nan
    top2 = (df["csat"] >= 4).astype(np.float64).where(df["csat"].notna())
    g = df.assign(v=v, top2=top2).groupby("site")[["v", "top2", "ces"]].agg(["mean", "std", "count"])
    se = g[("v", "std")] / np.sqrt(g[("v", "count")])
    t1 = time.perf_counter()
    print(f"{t1 - t0:.6f}")
    print(f"{g[('v', 'mean')][0]:.12f} {se[0]:.12f} {g[('top2', 'mean')][0]:.12f} {g[('ces', 'mean')][0]:.12f}")


main()
