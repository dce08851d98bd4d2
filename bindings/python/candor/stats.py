"""candor::stats from numpy arrays and pandas columns.

Zero copy: the scale figures (nps, csat, ces, mean, in_range, describe and their *_by
forms), key_drivers / cronbach_alpha / correlation and period_codes (of int64 seconds)
read the arrays in place, with the GIL released. An array must be 1-D and C-contiguous, of dtype int8, int16, int32, int64,
uint8, float32 or float64; anything else raises TypeError (numpy.ascontiguousarray(x) or
x.astype(...) make the copy explicit). Missing answers: candor's -128 in a signed integer
array, NaN in a float one (pandas' nullable Int8/Int64 columns are converted to float64
with NaN, a copy). Groups: a pandas Categorical is used as is (its codes, -1 for missing);
any other column is factorized first (a pass and a copy: make it categorical to avoid it).

The other figures (choice shares, raking, quality flags) copy their columns into the
library's column types first; summary_by counts cards with numpy.bincount (a temporary).

figures() reads an export (a CSV file) and gives every figure `candor stats` prints, as the
dict of `candor stats --json`.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import datetime as _dt
import os

import numpy as np
import pandas as pd

from . import ReportError, _candor
from .report import Printed

__all__ = [
    "MISSING", "DEFAULT_MIN_N", "SCALES", "nps", "csat", "ces", "mean", "in_range", "describe",
    "nps_by", "csat_by", "ces_by", "mean_by", "summary_by", "period_codes", "key_drivers",
    "cronbach_alpha", "correlation", "choice_shares", "multi_shares", "rake", "speeders",
    "straight_liners", "duplicate_text", "bursts", "wilson", "t975", "t_interval",
    "two_sided_p", "compare", "histograms", "figures", "Figures",
]

#: A skipped answer in an integer array, as in candor's frames.
MISSING = -128
#: Segments with fewer cards are left out of *_by tables, to protect respondents.
DEFAULT_MIN_N = 5
#: The scales of the headline figures.
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def _array(x: Any, what: str = "values") -> np.ndarray:
    """The column as a numpy array, without copying when it is one already."""
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, pd.Series):
        if isinstance(x.dtype, pd.api.extensions.ExtensionDtype):
            if isinstance(x.dtype, pd.CategoricalDtype):
                raise TypeError(f"{what}: a categorical column holds no numbers")
            return x.to_numpy(dtype="float64", na_value=np.nan)  # nullable ints: a copy
        return x.to_numpy(copy=False)
    if isinstance(x, (list, tuple)):
        return np.asarray(x)
    raise TypeError(f"{what}: expected a numpy array or a pandas Series, got {type(x).__name__}")


def _groups(by: Any, rows: int) -> tuple[np.ndarray, Sequence]:
    """(codes, labels) of a grouping: a categorical is read in place (its codes and its
    categories as they are: no Series or list is made of them), else factorized."""
    if isinstance(by, tuple) and len(by) == 2:
        codes, labels = by
        return _array(codes, "codes"), list(labels)
    if isinstance(by, pd.Series) and isinstance(by.dtype, pd.CategoricalDtype):
        return by.array.codes, by.cat.categories
    if isinstance(by, pd.Categorical):
        return by.codes, by.categories
    codes, uniques = pd.factorize(_array(by, "by") if not isinstance(by, pd.Series) else by,
                                  sort=True)
    return codes, list(uniques)


def _weights(w: Any, rows: int):
    if w is None:
        return None
    a = _array(w, "weights")
    if a.dtype != np.float64:
        raise TypeError("weights: dtype must be float64")
    return a


def histograms(values: Any, lo: int, hi: int, by: Any = None, weights: Any = None):
    """The library's histograms of a scale column, one per group (the aggregates every
    scale figure derives from); returns (Histograms, labels)."""
    v = _array(values)
    if by is None:
        return _candor.histograms(v, None, 1, lo, hi, _weights(weights, len(v))), None
    codes, labels = _groups(by, len(v))
    h = _candor.histograms(v, codes, max(len(labels), 1), lo, hi, _weights(weights, len(v)))
    return h, labels


def _one(table: dict) -> dict:
    out = {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in table.items()}
    if "ci_lo" in out:
        out["ci95"] = (out.pop("ci_lo"), out.pop("ci_hi"))
    return out


def nps(values: Any, weights: Any = None, interval: str = "adjusted-wald") -> dict:
    """NPS of answers on 0-10: {nps, se, ci95, promoters, passives, detractors, n}; ci95 is
    Rocks's adjusted-Wald interval, or with interval="wald" score ± 1.959964 se (R survey's)."""
    h, _ = histograms(values, 0, 10, weights=weights)
    return _one(h.nps(interval))


def in_range(values: Any, lo: int, hi: int, a: int, b: int, weights: Any = None) -> dict:
    """Share of the answers (on lo..hi) within a..b, Wilson interval: {share, hits, ci95, n}."""
    h, _ = histograms(values, lo, hi, weights=weights)
    return _one(h.in_range(a, b))


def csat(values: Any, weights: Any = None) -> dict:
    """CSAT: the share of 4-5 answers on 1-5, {share, hits, ci95, n}."""
    return in_range(values, 1, 5, 4, 5, weights)


def mean(values: Any, lo: int, hi: int, weights: Any = None) -> dict:
    """Mean of a scale, sample SD and t-interval: {mean, sd, se, ci95, n}."""
    h, _ = histograms(values, lo, hi, weights=weights)
    return _one(h.mean())


def ces(values: Any, weights: Any = None) -> dict:
    """CES: the mean on 1-7, {mean, sd, se, ci95, n}."""
    return mean(values, 1, 7, weights)


def describe(values: Any, lo: int, hi: int, weights: Any = None) -> dict:
    """Mean, distribution [(value, cards)], top_box and bottom_box shares of a scale."""
    h, _ = histograms(values, lo, hi, weights=weights)
    return h.describe(0)


def _table(columns: dict, labels: Sequence, min_n: int, name: str = "group") -> pd.DataFrame:
    df = pd.DataFrame(columns, index=pd.Index(labels, name=name))
    return df[df["n"] >= min_n] if min_n > 0 else df


def nps_by(values: Any, by: Any, weights: Any = None, min_n: int = DEFAULT_MIN_N,
           interval: str = "adjusted-wald") -> pd.DataFrame:
    """NPS per group: a DataFrame indexed by the group's label with columns nps, se, ci_lo,
    ci_hi, promoters, passives, detractors, n (the interval as in nps()). Groups under min_n
    cards are left out."""
    h, labels = histograms(values, 0, 10, by, weights)
    return _table(h.nps(interval), labels, min_n, getattr(by, "name", None) or "group")


def in_range_by(values: Any, by: Any, lo: int, hi: int, a: int, b: int, weights: Any = None,
                min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    h, labels = histograms(values, lo, hi, by, weights)
    return _table(h.in_range(a, b), labels, min_n, getattr(by, "name", None) or "group")


def csat_by(values: Any, by: Any, weights: Any = None, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """CSAT per group: share, hits, ci_lo, ci_hi, n."""
    return in_range_by(values, by, 1, 5, 4, 5, weights, min_n)


def mean_by(values: Any, by: Any, lo: int, hi: int, weights: Any = None,
            min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Mean of a scale per group: mean, sd, se, ci_lo, ci_hi, n."""
    h, labels = histograms(values, lo, hi, by, weights)
    return _table(h.mean(), labels, min_n, getattr(by, "name", None) or "group")


def ces_by(values: Any, by: Any, weights: Any = None, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    return mean_by(values, by, 1, 7, weights, min_n)


def summary_by(df: pd.DataFrame, by: str, nps: str | None = None, csat: str | None = None,
               ces: str | None = None, weights: str | None = None,
               min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """The headline figures of a DataFrame per value of column `by`: cards, then
    nps/nps_se/nps_n, csat/csat_n, ces/ces_sd/ces_n for the columns named."""
    w = None if weights is None else df[weights]
    key = df[by]
    codes, labels = _groups(key, len(df))
    cards = np.bincount(codes[codes >= 0], minlength=len(labels))
    out = pd.DataFrame({"cards": cards}, index=pd.Index(labels, name=by))
    if nps is not None:
        t = nps_by(df[nps], (codes, labels), w, 0)
        out["nps"], out["nps_se"], out["nps_n"] = t["nps"].to_numpy(), t["se"].to_numpy(), t["n"].to_numpy()
    if csat is not None:
        t = csat_by(df[csat], (codes, labels), w, 0)
        out["csat"], out["csat_n"] = t["share"].to_numpy(), t["n"].to_numpy()
    if ces is not None:
        t = ces_by(df[ces], (codes, labels), w, 0)
        out["ces"], out["ces_sd"], out["ces_n"] = t["mean"].to_numpy(), t["sd"].to_numpy(), t["n"].to_numpy()
    return out[out["cards"] >= min_n] if min_n > 0 else out


def _seconds(times: Any, what: str) -> np.ndarray:
    if isinstance(times, pd.Series) and pd.api.types.is_datetime64_any_dtype(times):
        t = times.dt.tz_convert("UTC") if times.dt.tz is not None else times
        secs = t.to_numpy(dtype="datetime64[s]").astype(np.int64)
        secs[t.isna().to_numpy()] = np.iinfo(np.int64).min
        return secs
    a = _array(times, what)
    if np.issubdtype(a.dtype, np.datetime64):
        secs = a.astype("datetime64[s]").astype(np.int64)  # NaT is int64 min: missing
        return secs
    if a.dtype != np.int64:
        raise TypeError(f"{what}: expected int64 Unix seconds or datetime64")
    return np.ascontiguousarray(a)


def period_codes(times: Any, period: str) -> tuple[np.ndarray, list[str]]:
    """(codes, labels) of the calendar period ("day", "week", "month", "quarter") of each
    time, labelled by the period's first day YYYY-MM-DD, in calendar order: pass as `by=`."""
    codes, labels = _candor.period_groups(_seconds(times, "times"), period)
    return codes, list(labels)


def _numeric_columns(df: pd.DataFrame, names: Sequence[str]) -> list[np.ndarray]:
    return [_array(df[n], n) for n in names]


def correlation(df: pd.DataFrame, columns: Sequence[str], weights: str | None = None) -> pd.DataFrame:
    """Pearson correlations over the rows where every column is present (listwise)."""
    cm = _candor.comoments(_numeric_columns(df, columns),
                           None if weights is None else _weights(df[weights], len(df)))
    return pd.DataFrame(cm.correlation(), index=list(columns), columns=list(columns))


def key_drivers(df: pd.DataFrame, outcome: str, attributes: Sequence[str],
                weights: str | None = None) -> dict:
    """Least squares of the outcome on the attributes over complete rows: {table (a
    DataFrame of coef, se, std_beta, relative_weight by name), r2, n}."""
    names = list(attributes) + [outcome]
    cm = _candor.comoments(_numeric_columns(df, names),
                           None if weights is None else _weights(df[weights], len(df)))
    r = _candor.ols(cm, outcome, list(attributes))
    k = len(r["names"])
    pad = lambda a: np.concatenate([[np.nan], a]) if len(a) == k - 1 else a  # noqa: E731
    table = pd.DataFrame({"coef": r["coef"], "se": r["se"], "std_beta": pad(r["std_beta"]),
                          "relative_weight": pad(r["relative_weight"])},
                         index=pd.Index(r["names"], name="term"))
    return {"outcome": outcome, "table": table, "r2": r["r2"], "n": r["n"]}


def cronbach_alpha(df: pd.DataFrame, items: Sequence[str], weights: str | None = None) -> dict:
    """Cronbach's alpha over complete rows: {raw, standardized, n}."""
    cm = _candor.comoments(_numeric_columns(df, items),
                           None if weights is None else _weights(df[weights], len(df)))
    return _candor.cronbach_alpha(cm)


def choice_shares(answers: Any, weights: Any = None) -> pd.DataFrame:
    """Share of each option among those who answered a one-choice question (a categorical
    or any column; missing: NaN / -1): share, hits, ci_lo, ci_hi, n by option."""
    codes, labels = _groups(answers, 0)
    t = _candor.choice_shares(codes, len(labels), _weights(weights, len(codes)))
    return pd.DataFrame(t, index=pd.Index(labels, name="option"))


def multi_shares(sets: Any, labels: Sequence[str], weights: Any = None) -> pd.DataFrame:
    """Many-choice: sets as uint64 bit sets (bit k: labels[k] chosen; all ones: missing)."""
    a = _array(sets, "sets")
    t = _candor.set_shares(a, len(labels), _weights(weights, len(a)))
    return pd.DataFrame(t, index=pd.Index(list(labels), name="option"))


def rake(df: pd.DataFrame, margins: dict, base: Any = None, tolerance: float = 1e-10,
         max_rounds: int = 100) -> dict:
    """Raking to population margins {column: {value: count}}: {weights, converged, rounds}.
    The first margin's total is the population; the others are read as shares of it."""
    columns, targets = [], []
    for name, target in margins.items():
        codes, labels = _groups(df[name], len(df))
        columns.append((codes, [str(x) for x in labels]))
        targets.append([(str(k), float(v)) for k, v in target.items()])
    w, converged, rounds = _candor.rake(columns, targets, _weights(base, len(df)), tolerance,
                                        max_rounds)
    return {"weights": np.asarray(w), "converged": converged, "rounds": rounds}


def speeders(started: Any, submitted: Any, min_seconds: float) -> np.ndarray:
    """Cards completed in under min_seconds (both times present)."""
    return _candor.speeders(_seconds(started, "started"), _seconds(submitted, "submitted"),
                            float(min_seconds))


def straight_liners(df: pd.DataFrame, grid: Sequence[str]) -> np.ndarray:
    """Cards giving the same answer to every rating of the grid (all answered, 2+ items)."""
    return _candor.straight_liners(_numeric_columns(df, grid))


def duplicate_text(text: Any) -> np.ndarray:
    """Free text that another card also gave, word for word."""
    codes, labels = _groups(text, 0)
    return _candor.duplicate_text(codes, len(labels))


def bursts(device: Any, submitted: Any, max_cards: int, minutes: float) -> np.ndarray:
    """Cards of a device that, with its other cards within `minutes`, number over max_cards."""
    codes, labels = _groups(device, 0)
    return _candor.bursts(codes, len(labels), _seconds(submitted, "submitted"), int(max_cards),
                          float(minutes))


def wilson(successes: float, n: float) -> tuple[float, float]:
    """Wilson score interval (95%)."""
    return _candor.wilson(successes, n)


def t975(df: float) -> float:
    return _candor.t975(df)


def t_interval(mean: float, se: float, df: float) -> tuple[float, float]:
    return _candor.t_interval(mean, se, df)


def two_sided_p(z: float) -> float:
    return _candor.two_sided_p(z)


def compare(before: float, se_before: float, after: float, se_after: float) -> dict:
    """A figure in one period against another: {before, after, diff, se, z, p}."""
    return _candor.compare(before, se_before, after, se_after)


class Figures(Printed):
    """The figures of an export as the dict of `candor stats --json` (docs/statistics.md)
    that also prints itself as `candor stats` does."""


def _names(x) -> list[str]:
    if x is None:
        return []
    return [x] if isinstance(x, str) else list(x)


def figures(data, survey=None, *, nps: str | None = None, csat: str | None = None,
            ces: str | None = None, means=(), by=(), period: str | None = None,
            date: str = "submitted", compare=None, drivers=None, alpha=(),
            weights: str | None = None, rake: dict | None = None,
            min_n: int = DEFAULT_MIN_N) -> Figures:
    """Every figure `candor stats DATA.csv` works out, with the same options: `data` a CSV
    export; `survey` (a Survey) types its columns and names the first NPS, CSAT and CES
    questions; `period` "day"/"week"/"month"/"quarter" of column `date`; `compare` a date
    (YYYY-MM-DD or datetime.date): the change in NPS from it; `drivers` (outcome,
    [attributes]) or "OUTCOME=COL,COL"; `alpha` the items of Cronbach's alpha; `rake`
    {column: margins file or {value: count}}. Raises candor.ReportError."""
    outcome, attributes = "", []
    if isinstance(drivers, str):
        if "=" not in drivers:
            raise ValueError("drivers: OUTCOME=COL,COL,... or (outcome, [attributes])")
        outcome, cols = drivers.split("=", 1)
        attributes = cols.split(",")
    elif drivers is not None:
        outcome, attributes = drivers[0], list(drivers[1])
    if isinstance(compare, (_dt.date, _dt.datetime)):
        compare = compare.strftime("%Y-%m-%d")
    if isinstance(alpha, str):
        alpha = alpha.split(",")
    files, targets = [], []
    for column, margin in (rake or {}).items():
        if isinstance(margin, (str, os.PathLike)):
            files.append((column, os.fspath(margin)))
        else:
            targets.append((column, [(str(k), float(v)) for k, v in margin.items()]))
    model, errors = _candor.figures(
        os.fspath(data), survey, nps or "", csat or "", ces or "", _names(means), _names(by),
        period or "", date, compare, outcome, attributes, list(alpha), weights or "", files,
        targets, int(min_n))
    if model is None:
        raise ReportError(errors)
    return Figures(model)
