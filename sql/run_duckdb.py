"""Runs the summary queries (queries.sql) through DuckDB on a dataset `smslens export` wrote.

    python3 sql/run_duckdb.py DATASET_DIR [QUERY_NAME ...]   # pip install duckdb

Creates the `messages` view with duckdb.sql (DATASET_DIR substituted), runs every named query (or the
ones named), and prints {name: [row, ...]} as JSON; times as RFC 3339 UTC with milliseconds, as smslens
writes them. tests/cli/dataset_sql.rs checks this output against `smslens summary --format json`.
"""
import datetime
import decimal
import json
import pathlib
import re
import sys

import duckdb

HERE = pathlib.Path(__file__).resolve().parent


def queries():
    """(name, sql) of each query in queries.sql, in file order."""
    text = (HERE / "queries.sql").read_text()
    parts = re.split(r"^-- name: (\S+)\s*$", text, flags=re.M)
    return [(parts[i], parts[i + 1].strip().rstrip(";")) for i in range(1, len(parts), 2)]


def value(v):
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    dataset = pathlib.Path(argv[1]).resolve()
    wanted = set(argv[2:])
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    view = (HERE / "duckdb.sql").read_text().replace("DATASET_DIR", str(dataset).replace("'", "''"))
    con.execute(view)
    out = {}
    for name, sql in queries():
        if wanted and name not in wanted:
            continue
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        out[name] = [{c: value(v) for c, v in zip(cols, row)} for row in cur.fetchall()]
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv)
