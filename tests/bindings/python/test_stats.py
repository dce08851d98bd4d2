import math

import numpy as np
import pandas as pd
import pytest

import candor
from candor import stats

Z = 1.959964  # the NPS interval's published constant


def sample(rows=20_000, sites=7, seed=1):
    rng = np.random.default_rng(seed)
    rec = rng.integers(0, 11, rows).astype(np.int8)
    rec[rng.random(rows) < 0.05] = stats.MISSING
    sat = rng.integers(1, 6, rows).astype(np.int8)
    effort = rng.integers(1, 8, rows).astype(np.float64)
    effort[rng.random(rows) < 0.1] = np.nan
    site = pd.Categorical.from_codes(rng.integers(0, sites, rows), [f"site-{k}" for k in range(sites)])
    return pd.DataFrame({"rec": rec, "sat": sat, "effort": effort, "site": site})


def numpy_nps(v):
    v = v[v != stats.MISSING]
    x = np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0))
    se = x.std(ddof=1) / math.sqrt(len(x))
    return x.mean(), se, len(x)


def test_nps_matches_numpy():
    df = sample()
    f = stats.nps(df["rec"], interval="wald")
    score, se, n = numpy_nps(df["rec"].to_numpy())
    assert f["n"] == n
    assert f["nps"] == pytest.approx(score, abs=1e-9)
    assert f["se"] == pytest.approx(se, rel=1e-9)
    assert f["ci95"] == pytest.approx((score - Z * se, score + Z * se), rel=1e-9)
    # By default Rocks's adjusted-Wald interval (docs/statistics.md), worked out here.
    v = df["rec"].to_numpy()
    v = v[v != stats.MISSING]
    p = (np.sum(v >= 9) + 0.75) / (len(v) + 3)
    d = (np.sum(v <= 6) + 0.75) / (len(v) + 3)
    half = 1.959963984540054 * math.sqrt((p + d - (p - d) ** 2) / (len(v) + 3))  # qnorm(0.975)
    adjusted = stats.nps(df["rec"])
    assert adjusted["nps"] == f["nps"] and adjusted["se"] == f["se"]
    assert adjusted["ci95"] == pytest.approx(
        (max(-100, 100 * (p - d - half)), min(100, 100 * (p - d + half))), rel=1e-9)
    with pytest.raises(ValueError, match="unknown-interval"):
        stats.nps(df["rec"], interval="exact")
    v = df["rec"].to_numpy()
    assert f["promoters"] == np.sum(v >= 9) and f["detractors"] == np.sum((v >= 0) & (v <= 6))


def test_weighted_nps():
    rng = np.random.default_rng(3)
    v = rng.integers(0, 11, 1000).astype(np.int8)
    w = rng.random(1000) + 0.5
    x = np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0))
    f = stats.nps(v, weights=w)
    assert f["nps"] == pytest.approx(np.sum(w * x) / np.sum(w), rel=1e-12)
    # The linearized SE of a weighted mean (docs/statistics.md).
    m = np.sum(w * x) / np.sum(w)
    n = len(x)
    se = math.sqrt(n / (n - 1) * np.sum((w * (x - m)) ** 2)) / np.sum(w)
    assert f["se"] == pytest.approx(se, rel=1e-9)


def test_csat_and_ces_match_numpy():
    df = sample()
    sat = df["sat"].to_numpy()
    c = stats.csat(df["sat"])
    assert c["n"] == len(sat) and c["share"] == pytest.approx(np.mean(sat >= 4), abs=1e-12)
    lo, hi = stats.wilson(np.sum(sat >= 4), len(sat))
    assert c["ci95"] == pytest.approx((lo, hi))
    e = stats.ces(df["effort"])
    eff = df["effort"].dropna().to_numpy()
    assert e["n"] == len(eff)
    assert e["mean"] == pytest.approx(eff.mean(), rel=1e-12)
    assert e["sd"] == pytest.approx(eff.std(ddof=1), rel=1e-9)
    t = stats.t975(len(eff) - 1)
    assert e["ci95"][0] == pytest.approx(eff.mean() - t * eff.std(ddof=1) / math.sqrt(len(eff)))


def test_nps_by_site_matches_pandas_groupby():
    df = sample()
    t = stats.nps_by(df["rec"], by=df["site"])
    assert list(t.index) == [f"site-{k}" for k in range(7)] and t.index.name == "site"
    for label, g in df.groupby("site", observed=True):
        score, se, n = numpy_nps(g["rec"].to_numpy())
        assert t.loc[label, "n"] == n
        assert t.loc[label, "nps"] == pytest.approx(score, abs=1e-9)
        assert t.loc[label, "se"] == pytest.approx(se, rel=1e-9)


def test_groups_from_strings_and_codes_agree():
    df = sample(2000)
    by_cat = stats.nps_by(df["rec"], by=df["site"])
    by_str = stats.nps_by(df["rec"], by=df["site"].astype(str))
    codes = df["site"].cat.codes.to_numpy().astype(np.int32)
    by_codes = stats.nps_by(df["rec"], by=(codes, list(df["site"].cat.categories)))
    pd.testing.assert_frame_equal(by_cat, by_str, check_names=False)
    pd.testing.assert_frame_equal(by_cat, by_codes, check_names=False)


def test_small_segments_are_suppressed():
    v = np.array([10, 9, 0, 10, 10, 10, 10, 8], dtype=np.int8)
    site = pd.Series(pd.Categorical(["a", "a", "a", "b", "b", "b", "b", "b"]), name="site")
    assert list(stats.nps_by(v, site).index) == ["b"]
    assert list(stats.nps_by(v, site, min_n=0).index) == ["a", "b"]


def test_summary_by():
    df = sample(5000)
    s = stats.summary_by(df, "site", nps="rec", csat="sat", ces="effort")
    g = df.groupby(df["site"].astype(str))
    assert s["cards"].to_dict() == g.size().to_dict()
    np.testing.assert_allclose(s["csat"], g["sat"].apply(lambda x: np.mean(x >= 4))[s.index], rtol=1e-12)
    np.testing.assert_allclose(s["ces"], g["effort"].mean()[s.index], rtol=1e-12)
    score, se, n = numpy_nps(df.loc[df["site"] == "site-3", "rec"].to_numpy())
    assert s.loc["site-3", "nps"] == pytest.approx(score) and s.loc["site-3", "nps_n"] == n


def test_describe():
    v = np.array([1, 2, 2, 5, 5, 5, stats.MISSING], dtype=np.int8)
    d = stats.describe(v, 1, 5)
    assert d["distribution"] == [(1, 1), (2, 2), (3, 0), (4, 0), (5, 3)]
    assert d["top_box"]["share"] == pytest.approx(0.5)
    assert d["bottom_box"]["share"] == pytest.approx(1 / 6)
    assert d["mean"]["mean"] == pytest.approx(20 / 6)


def test_every_dtype_gives_the_same_figures():
    v = np.array([10, 9, 8, 3, 0, 7], dtype=np.int8)
    want = stats.nps(v)
    for dt in (np.int16, np.int32, np.int64, np.uint8, np.float32, np.float64):
        assert stats.nps(v.astype(dt)) == want, dt
    # NaN is missing in floats, -128 in signed integers.
    assert stats.nps(np.array([10, np.nan]))["n"] == 1
    assert stats.nps(np.array([10, -128], dtype=np.int64))["n"] == 1
    # pandas' nullable integers: <NA> is missing.
    assert stats.nps(pd.Series([10, None, 0], dtype="Int8"))["n"] == 2


def test_wide_dtypes_and_codes_over_blocks_and_threads():
    # 2.5M rows: two threads, each narrowing wide arrays a block of rows at a time.
    rows = 2_500_000
    rng = np.random.default_rng(7)
    v = rng.integers(0, 11, rows).astype(np.int8)
    v[rng.random(rows) < 0.05] = stats.MISSING
    codes = rng.integers(-1, 100, rows).astype(np.int16)  # -1: in no group
    labels = [f"g{k}" for k in range(100)]
    w = rng.random(rows)
    want = stats.nps_by(v, (codes, labels), min_n=0)
    want_w = stats.nps_by(v, (codes, labels), weights=w, min_n=0)
    floats = v.astype(np.float64)
    floats[v == stats.MISSING] = np.nan
    for values in (v.astype(np.int16), v.astype(np.int64), floats, floats.astype(np.float32)):
        for c in (codes.astype(np.int8), codes.astype(np.int32), codes.astype(np.int64)):
            pd.testing.assert_frame_equal(stats.nps_by(values, (c, labels), min_n=0), want)
        pd.testing.assert_frame_equal(stats.nps_by(values, (codes, labels), weights=w, min_n=0),
                                      want_w)
    assert want.loc["g5", "n"] == np.count_nonzero((codes == 5) & (v != stats.MISSING))
    # Errors found past the first block and in the second thread's slice.
    late = v.astype(np.int16)
    late[rows - 10] = 300
    with pytest.raises(ValueError, match="outside the scale"):
        stats.nps_by(late, (codes, labels))
    with pytest.raises(ValueError, match="outside the scale"):
        stats.nps(np.array([10, 200], dtype=np.uint8))  # no byte holds 200 as an answer
    with pytest.raises(ValueError, match="outside the scale"):
        stats.nps(np.array([10, 2**40], dtype=np.int64))
    bad = codes.copy()
    bad[rows - 10] = 100
    with pytest.raises(ValueError, match="not below the number of groups"):
        stats.nps_by(v, (bad, labels))


def test_zero_copy_views_and_clear_errors():
    big = np.random.default_rng(5).integers(0, 11, 3_000_000).astype(np.int8)
    window = big[1_000_000:2_000_000]  # a view: not owning its data, still contiguous
    assert not window.flags.owndata and window.flags.c_contiguous
    window.flags.writeable = False  # read-only is fine: the library only reads
    assert stats.nps(window) == stats.nps(window.copy())
    assert stats.nps(big)["n"] == 3_000_000
    # A strided view is refused, not silently copied.
    with pytest.raises(TypeError, match="not contiguous"):
        stats.nps(big[::2])
    assert stats.nps(np.ascontiguousarray(big[::2]))["n"] == 1_500_000
    with pytest.raises(TypeError, match="dtype"):
        stats.nps(np.array(["10", "9"]))
    with pytest.raises(TypeError, match="dtype"):
        stats.nps(np.array([10, 9], dtype=np.complex128))
    with pytest.raises(TypeError, match="1-D"):
        stats.nps(np.zeros((2, 2), dtype=np.int8))
    with pytest.raises(ValueError, match="outside the scale"):
        stats.nps(np.array([10, 11], dtype=np.int8))
    with pytest.raises(ValueError, match="outside the scale"):
        stats.nps(np.array([9.5]))
    with pytest.raises(ValueError, match="rows"):
        stats.nps_by(np.array([1, 2], dtype=np.int8), by=(np.array([0], dtype=np.int32), ["a"]))
    with pytest.raises(TypeError, match="float64"):
        stats.nps(np.array([1, 2], dtype=np.int8), weights=np.array([1, 1], dtype=np.int64))


def test_dataframe_columns_are_read_in_place():
    df = sample(1000)
    col = df["rec"].to_numpy(copy=False)
    assert np.shares_memory(col, df["rec"].to_numpy(copy=False))
    codes = df["site"].cat.codes.to_numpy(copy=False)
    assert np.shares_memory(codes, df["site"].cat.codes.to_numpy(copy=False))
    assert stats.nps_by(df["rec"], df["site"], min_n=0)["n"].sum() == np.sum(col != -128)


def test_key_drivers_match_numpy_least_squares():
    rng = np.random.default_rng(7)
    n = 5000
    a, b = rng.integers(1, 6, n).astype(np.int8), rng.integers(1, 6, n).astype(np.float64)
    y = 0.8 * a + 0.3 * b + rng.normal(0, 1, n)
    b[:50] = np.nan  # listwise deletion
    df = pd.DataFrame({"a": a, "b": b, "y": y})
    r = stats.key_drivers(df, "y", ["a", "b"])
    ok = ~np.isnan(b)
    X = np.column_stack([np.ones(ok.sum()), a[ok], b[ok]])
    coef, *_ = np.linalg.lstsq(X, y[ok], rcond=None)
    assert r["n"] == ok.sum()
    np.testing.assert_allclose(r["table"]["coef"].to_numpy(), coef, rtol=1e-9)
    resid = y[ok] - X @ coef
    r2 = 1 - resid @ resid / np.sum((y[ok] - y[ok].mean()) ** 2)
    assert r["r2"] == pytest.approx(r2, rel=1e-9)
    assert r["table"]["relative_weight"].iloc[1:].sum() == pytest.approx(r2, rel=1e-9)
    np.testing.assert_allclose(stats.correlation(df, ["a", "b", "y"]).to_numpy(),
                               np.corrcoef(np.column_stack([a[ok], b[ok], y[ok]]).T), rtol=1e-9)


def test_cronbach_alpha_matches_formula():
    rng = np.random.default_rng(9)
    t = rng.normal(0, 1, 3000)
    items = {f"i{k}": np.clip(np.round(3 + t + rng.normal(0, 1, 3000)), 1, 5) for k in range(4)}
    df = pd.DataFrame(items)
    x = df.to_numpy()
    k = x.shape[1]
    raw = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    r = stats.cronbach_alpha(df, list(items))
    assert r["raw"] == pytest.approx(raw, rel=1e-9) and r["n"] == 3000


def test_periods():
    times = pd.Series(pd.to_datetime(["2026-01-05T10:00Z", "2026-01-20T10:00Z", "2026-02-01T00:00Z",
                                      "2026-03-31T23:59Z", "2026-04-01T00:00Z", None]))
    codes, labels = stats.period_codes(times, "quarter")
    assert labels == ["2026-01-01", "2026-04-01"]
    assert list(codes) == [0, 0, 0, 0, 1, -1]
    codes, labels = stats.period_codes(times, "month")
    assert labels == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
    v = np.array([10, 0, 9, 9, 5, 10], dtype=np.int8)
    t = stats.nps_by(v, (codes, labels), min_n=0)
    assert t.loc["2026-01-01", "nps"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="unknown-period"):
        stats.period_codes(times, "fortnight")
    # int64 Unix seconds are read in place; the same periods as from datetimes.
    secs = times.dt.tz_convert("UTC").to_numpy(dtype="datetime64[s]").astype(np.int64)
    secs[-1] = np.iinfo(np.int64).min
    from_secs, secs_labels = stats.period_codes(secs, "month")
    assert list(from_secs) == list(codes) and secs_labels == labels


def test_choice_shares_and_compare():
    reason = pd.Series(["business", "leisure", "leisure", None, "leisure"], dtype="category")
    s = stats.choice_shares(reason)
    assert s.loc["leisure", "share"] == pytest.approx(0.75) and s.loc["leisure", "n"] == 4
    sets = np.array([0b01, 0b11, 0b10, np.iinfo(np.uint64).max], dtype=np.uint64)
    m = stats.multi_shares(sets, ["spa", "bar"])
    assert m.loc["spa", "share"] == pytest.approx(2 / 3)
    c = stats.compare(10.0, 2.0, 16.0, 2.0)
    assert c["diff"] == pytest.approx(6.0) and c["se"] == pytest.approx(math.sqrt(8))
    assert c["p"] == pytest.approx(stats.two_sided_p(6 / math.sqrt(8)))


def test_rake_hits_the_margins():
    df = pd.DataFrame({"site": pd.Categorical(["a"] * 30 + ["b"] * 70),
                       "channel": pd.Categorical(["kiosk", "email"] * 50)})
    r = stats.rake(df, {"site": {"a": 500, "b": 500}, "channel": {"kiosk": 300, "email": 700}})
    w = r["weights"]
    assert r["converged"]
    assert w[df["site"] == "a"].sum() == pytest.approx(500, rel=1e-8)
    assert w[df["channel"] == "kiosk"].sum() == pytest.approx(300, rel=1e-8)


def test_quality_flags():
    t0 = pd.Series(pd.to_datetime(["2026-01-01T10:00:00Z"] * 3))
    t1 = pd.Series(pd.to_datetime(["2026-01-01T10:00:20Z", "2026-01-01T10:05:00Z", "2026-01-01T10:00:59Z"]))
    assert list(stats.speeders(t0, t1, 60)) == [True, False, True]
    grid = pd.DataFrame({"a": [3, 1, 5], "b": [3, 2, 5], "c": [3, 4, 5]}, dtype=np.int8)
    assert list(stats.straight_liners(grid, ["a", "b", "c"])) == [True, False, True]
    text = pd.Series(["great stay", "bad", "great stay"], dtype="category")
    assert list(stats.duplicate_text(text)) == [True, False, True]
    dev = pd.Series(["k1"] * 4 + ["k2"], dtype="category")
    sub = pd.Series(pd.to_datetime(["2026-01-01T10:00Z", "2026-01-01T10:01Z", "2026-01-01T10:02Z",
                                    "2026-01-01T18:00Z", "2026-01-01T10:00Z"]))
    assert list(stats.bursts(dev, sub, 2, 5)) == [True, True, True, False, False]
