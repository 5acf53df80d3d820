"""Generate a realistic prediction log for the monitoring benchmarks and tests.

The log imitates a résumé screener in production for ``--days`` days (default 30):
a binary decision with a score, two sensitive attributes, three numeric and two
categorical features, ground truth that arrives for about 80 % of rows, a few
missing values, ties (a rounded feature), and from two thirds of the period on a
drift: one numeric feature shifts, a new category appears, and the selection rate
of one group drops (an injected bias). Rows are written in time order, one Parquet
row group per day, as a log lake would hold them.

Usage::

    python bench/generate_logs.py --rows 1000000 --out bench/data/log-1e6.parquet
    python bench/generate_logs.py --rows 100000 --format csv --out /tmp/log.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REGIONS = np.array(["seoul", "busan", "incheon", "daegu", "daejeon", "gwangju", "ulsan", "changwon"])
CHANNELS = np.array(["web", "referral", "agency", "campus"])
AGE_BANDS = np.array(["18-29", "30-44", "45-59", "60+"])


def _timestamps(rng: np.random.Generator, day: int, n: int) -> np.ndarray:
    """Event times within one day, busier in office hours, sorted."""
    hours = rng.normal(13.0, 3.5, n).clip(0, 23.999)
    micros = (hours * 3600e6).astype(np.int64)
    base = int((START + dt.timedelta(days=day)).timestamp() * 1e6)
    return np.sort(base + micros)


def _with_nulls(rng: np.random.Generator, values: np.ndarray, share: float) -> pa.Array:
    mask = rng.random(len(values)) < share
    return pa.array(values, mask=mask)


def day_table(rng: np.random.Generator, day: int, n: int, days: int, first_id: int) -> pa.Table:
    """One day of events; days in the last third carry the injected drift."""
    drift = day >= (2 * days) // 3
    sex = rng.choice(np.array(["F", "M"]), n, p=[0.48, 0.52])
    age = rng.choice(AGE_BANDS, n, p=[0.35, 0.35, 0.22, 0.08])
    f0 = rng.normal(3.4 if not drift else 3.9, 0.6, n)            # years of experience (log scale)
    f1 = rng.gamma(2.0, 15.0, n)                                   # test score
    f2 = np.round(rng.normal(70, 12, n))                           # interview grade: many ties
    region = rng.choice(REGIONS, n)
    channel_p = [0.55, 0.2, 0.15, 0.1]
    channel = rng.choice(CHANNELS, n, p=channel_p)
    if drift:  # a new hiring channel nobody saw in the reference period
        channel = np.where(rng.random(n) < 0.08, "job-fair", channel)
    logit = -4.2 + 0.9 * f0 + 0.012 * f1 + 0.01 * (f2 - 70)
    truth = rng.random(n) < 1 / (1 + np.exp(-logit))
    score = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.8, n))))
    cut = np.where((sex == "F") & drift, 0.62, 0.5)                # bias drift against F
    y_pred = (score > cut).astype(np.int8)
    ids = np.char.add("e", np.arange(first_id, first_id + n).astype(str))
    return pa.table({
        "event_id": pa.array(ids),
        "timestamp": pa.array(_timestamps(rng, day, n), type=pa.timestamp("us", tz="UTC")),
        "y_pred": pa.array(y_pred),
        "y_true": _with_nulls(rng, truth.astype(np.int8), 0.2),
        "score": pa.array(np.round(score, 6)),
        "sex": pa.array(sex),
        "age_band": pa.array(age),
        "f0": _with_nulls(rng, f0, 0.01),
        "f1": _with_nulls(rng, f1, 0.005),
        "f2": _with_nulls(rng, f2, 0.02),
        "c0": _with_nulls(rng, region, 0.01),
        "c1": pa.array(channel),
    })


def generate(out: Path, rows: int, days: int = 30, seed: int = 7, fmt: str = "parquet",
             keep_days: int | None = None) -> Path:
    """Write ``rows`` events over ``days`` days to ``out``; returns the path.

    ``keep_days`` writes only the first days of that same log (identical rows), which is
    how the incremental benchmark makes "the log before its last day".
    """
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    per_day = np.full(days, rows // days)
    per_day[: rows % days] += 1
    writer: pq.ParquetWriter | None = None
    first = 0
    with open(out, "wb") as sink:
        for day, n in enumerate(per_day[:keep_days]):
            table = day_table(rng, day, int(n), days, first)
            first += int(n)
            if fmt == "parquet":
                writer = writer or pq.ParquetWriter(sink, table.schema, compression="snappy")
                writer.write_table(table, row_group_size=max(int(n), 1))
            elif fmt == "csv":
                pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=day == 0))
            else:
                sink.write(_jsonl(table).encode())
        if writer is not None:
            writer.close()
    return out


def _jsonl(table: pa.Table) -> str:
    import json

    rows = table.to_pylist()
    return "".join(json.dumps(r, default=lambda v: v.isoformat()) + "\n" for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    parser.add_argument("--keep-days", type=int, default=None, help="write only the first N days")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    path = generate(args.out, int(args.rows), args.days, args.seed, args.format, args.keep_days)
    print(f"wrote {int(args.rows):,} rows to {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
