"""Yardstick: a straightforward DuckDB-SQL implementation of the same metric set.

What a competent engineer would write first: one query per metric family, the
reference joined to every window for the exact KS and Wasserstein (CDFs with window
functions), PSI bins from ``quantile_cont``. Exact, like Haechi, and all in SQL.
"""

from __future__ import annotations

import sys

import duckdb
from common import CATEGORICAL, NUMERIC, QUALITY, REF_END, REF_START, SENSITIVE, emit
from scipy.special import chdtrc


def chi2_pvalue(ref: list[int], cur: list[int]) -> float:
    total, n_ref, n_cur = sum(ref) + sum(cur), sum(ref), sum(cur)
    stat = 0.0
    for r, c in zip(ref, cur, strict=True):
        col = r + c
        for observed, row in ((r, n_ref), (c, n_cur)):
            expected = row * col / total
            stat += (observed - expected) ** 2 / expected
    return float(chdtrc(len(ref) - 1, stat))


def main(path: str) -> None:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(f"""CREATE VIEW t AS SELECT *, CASE WHEN timestamp < TIMESTAMPTZ '{REF_END.isoformat()}' THEN -1
        ELSE CAST(floor(epoch(timestamp - TIMESTAMPTZ '{REF_END.isoformat()}') / 86400) AS INTEGER) END AS w
        FROM read_parquet('{path}') WHERE timestamp >= TIMESTAMPTZ '{REF_START.isoformat()}'""")
    perf = con.sql("""SELECT w, avg(CASE WHEN y_true = y_pred THEN 1.0 ELSE 0 END) AS accuracy,
        sum(CASE WHEN y_true=1 AND y_pred=1 THEN 1 ELSE 0 END)
            / nullif(sum(CASE WHEN y_pred=1 THEN 1 ELSE 0 END), 0) AS precision,
        sum(CASE WHEN y_true=1 AND y_pred=1 THEN 1 ELSE 0 END)
            / nullif(sum(CASE WHEN y_true=1 THEN 1 ELSE 0 END), 0) AS recall
        FROM t WHERE w >= 0 AND y_true IS NOT NULL AND y_pred IS NOT NULL GROUP BY w""").fetchall()
    con.sql("""SELECT w, (sum(CASE WHEN y_true = 1 THEN r END) - count_if(y_true = 1) * (count_if(y_true = 1) + 1) / 2)
        / (count_if(y_true = 1) * count_if(y_true = 0)) AS auc
        FROM (SELECT w, y_true, rank() OVER (PARTITION BY w ORDER BY score)
                 + (count(*) OVER (PARTITION BY w, score) - 1) / 2.0 AS r
              FROM t WHERE w >= 0 AND y_true IS NOT NULL AND score IS NOT NULL) GROUP BY w""").fetchall()
    dpd: dict[int, float] = {}
    for attr in SENSITIVE:
        rows = con.sql(f"""WITH g AS (SELECT w, {attr} AS g, avg(y_pred) AS sel,
              avg(CASE WHEN y_true = 1 THEN y_pred END) AS tpr, avg(CASE WHEN y_true = 0 THEN y_pred END) AS fpr
              FROM t WHERE w >= 0 AND {attr} IS NOT NULL GROUP BY w, {attr})
            SELECT w, max(sel) - min(sel), min(sel) / max(sel), greatest(max(tpr) - min(tpr), max(fpr) - min(fpr))
            FROM g GROUP BY w""").fetchall()
        if attr == "sex":
            dpd = {r[0]: r[1] for r in rows}
    ks: dict[int, float] = {}
    for f in NUMERIC:
        rows = con.sql(f"""WITH v AS (SELECT w, {f} AS x FROM t WHERE {f} IS NOT NULL),
            ws AS (SELECT DISTINCT w FROM v WHERE w >= 0),
            nr AS (SELECT count(*) AS n FROM v WHERE w = -1),
            nw AS (SELECT w, count(*) AS n FROM v WHERE w >= 0 GROUP BY w),
            u AS (SELECT ws.w, v.x, 1 AS r FROM ws, v WHERE v.w = -1 UNION ALL SELECT w, x, 0 FROM v WHERE w >= 0),
            c AS (SELECT u.w, x, sum(r) OVER o / nr.n AS fr, sum(1 - r) OVER o / nw.n AS fw,
                         lead(x) OVER (PARTITION BY u.w ORDER BY x) - x AS dx
                  FROM u JOIN nw ON u.w = nw.w, nr WINDOW o AS (PARTITION BY u.w ORDER BY x RANGE UNBOUNDED PRECEDING))
            SELECT w, max(abs(fr - fw)), sum(abs(fr - fw) * coalesce(dx, 0)) FROM c GROUP BY w""").fetchall()
        edges = con.execute(f"SELECT quantile_cont({f}, [0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]) "
                            f"FROM t WHERE w = -1").fetchall()[0][0]
        bins = " + ".join(f"CASE WHEN {f} > {e!r} THEN 1 ELSE 0 END" for e in edges)
        con.sql(f"""WITH b AS (SELECT w, {bins} AS bin FROM t WHERE {f} IS NOT NULL),
            s AS (SELECT w, bin, greatest(count(*) / sum(count(*)) OVER (PARTITION BY w), 1e-4) AS p
                  FROM b GROUP BY w, bin)
            SELECT c.w, sum((c.p - r.p) * ln(c.p / r.p)) FROM s c JOIN s r ON r.w = -1 AND c.bin = r.bin
            WHERE c.w >= 0 GROUP BY c.w""").fetchall()
        if f == "f0":
            ks = {r[0]: r[1] for r in rows}
    for c in CATEGORICAL:
        rows = con.sql(f"""WITH k AS (SELECT w, {c} AS k, count(*) AS n FROM t WHERE {c} IS NOT NULL GROUP BY w, {c}),
            ws AS (SELECT DISTINCT w FROM k WHERE w >= 0),
            j AS (SELECT ws.w, coalesce(a.k, b.k) AS k, coalesce(a.n, 0) AS nc, coalesce(b.n, 0) AS nr
                  FROM ws CROSS JOIN (SELECT k, n FROM k WHERE w = -1) b FULL JOIN k a ON a.w = ws.w AND a.k = b.k
                  WHERE a.w IS NULL OR a.w >= 0)
            SELECT w, list(nc ORDER BY k), list(nr ORDER BY k) FROM j WHERE w IS NOT NULL GROUP BY w""").fetchall()
        for _w, cur, ref in rows:  # the p-value needs the chi-squared distribution
            chi2_pvalue(ref, cur)
    cols = ", ".join(f"avg(CASE WHEN {c} IS NULL THEN 1.0 ELSE 0 END) AS m_{c}" for c in QUALITY)
    missing = {r[0]: r[1] for r in con.sql(f"SELECT w, {cols} FROM t WHERE w >= 0 GROUP BY w").fetchall()}
    emit([{"start": str(REF_END.replace(tzinfo=None)) + f"+{w}d", "w": w, "ks_f0": ks.get(w), "dpd_sex": dpd.get(w),
           "accuracy": acc, "missing_f0": missing.get(w)} for w, acc, *_ in sorted(perf)])


if __name__ == "__main__":
    main(sys.argv[1])
