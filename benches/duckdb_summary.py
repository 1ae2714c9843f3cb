#!/usr/bin/env python3
"""The DuckDB equivalent of `smslens summary FILE --format json`, for benches/compare_duckdb.sh.

    python3 benches/duckdb_summary.py explicit|auto|auto-cast|distinct FILE

explicit:  read_json with every column's type declared (STRUCTs), the needed fields into a table, then the
           same breakdowns smslens computes.
auto:      what a user types: read_json(FILE) with auto-detected columns, selecting the seven fields the
           breakdowns need. Fails (exit 3, DuckDB's message on stderr) where detection types a field so that
           the query does not bind, e.g. priceInUSD as JSON when the sampled rows have it as a string.
auto-cast: auto with priceInUSD cast to DOUBLE, the fix DuckDB's binder error suggests.
distinct:  count(*), distinct message ids and distinct destinations (explicit schema; not timed).
"""
import json
import sys

import duckdb

# Explicit columns: auto-detection samples the first rows and, because formats.md allows priceInUSD as a
# numeric string (and mcc/mnc as strings), may type those fields as JSON, on which sum() fails. Declaring
# the schema reads every record the same way; DOUBLE accepts "0.00645" as well as 0.00645.
EXPLICIT = """read_json(?, format = 'newline_delimited', columns = {
    'notification': 'STRUCT(messageId VARCHAR, "timestamp" VARCHAR)',
    'delivery': 'STRUCT(phoneCarrier VARCHAR, mcc VARCHAR, mnc VARCHAR, numberOfMessageParts BIGINT,
                        destination VARCHAR, priceInUSD DOUBLE, smsType VARCHAR, providerResponse VARCHAR,
                        dwellTimeMs BIGINT, dwellTimeMsUntilDeviceAck BIGINT)',
    'status': 'VARCHAR'})"""
AUTO = "read_json(?)"
# DuckDB has no libphonenumber: the first 3 characters of the E.164 number ("+1" plus one digit, "+44",
# "+91", ...) stand in for smslens's country. An approximation: +1 is split by area-code digit and covers
# US/CA/Caribbean alike, +7 is RU and KZ, and 1- or 3-digit codes are cut wrong.
LOAD = """
CREATE TEMP TABLE r AS
SELECT notification.messageId         AS message_id,
       status,
       delivery.providerResponse      AS provider_response,
       substr(delivery.destination, 1, 3) AS calling_code,
       delivery.phoneCarrier          AS carrier,
       delivery.smsType               AS sms_type,
       {price}                        AS price_usd
FROM {source}
"""
QUERIES = {
    "totals": """
        SELECT count(*) AS rows, count(DISTINCT message_id) AS unique_ids,
               count(*) FILTER (WHERE status = 'SUCCESS') AS delivered,
               count(*) FILTER (WHERE status = 'FAILURE') AS failed,
               round(sum(price_usd), 5) AS spend_usd
        FROM r""",
    "by_provider_response": """
        SELECT provider_response, status, count(*) AS events
        FROM r GROUP BY provider_response, status ORDER BY events DESC, provider_response""",
    "by_country": """
        SELECT calling_code, count(*) AS events, count(*) FILTER (WHERE status = 'FAILURE') AS failed
        FROM r GROUP BY calling_code ORDER BY events DESC, calling_code""",
    "by_carrier": """
        SELECT carrier, count(*) AS events, count(*) FILTER (WHERE status = 'FAILURE') AS failed
        FROM r GROUP BY carrier ORDER BY events DESC, carrier""",
    "by_sms_type": """
        SELECT sms_type, count(*) AS events, count(*) FILTER (WHERE status = 'FAILURE') AS failed
        FROM r GROUP BY sms_type ORDER BY events DESC, sms_type""",
}


def main():
    mode, path = sys.argv[1], sys.argv[2]
    con = duckdb.connect()  # in memory, default settings: threads = number of cores
    if mode == "distinct":
        row = con.execute(f"""SELECT count(*), count(DISTINCT notification.messageId),
                                     count(DISTINCT delivery.destination) FROM {EXPLICIT}""", [path]).fetchone()
        json.dump({"rows": row[0], "message_ids": row[1], "recipients": row[2]}, sys.stdout)
        print()
        return
    source, price = {
        "explicit": (EXPLICIT, "delivery.priceInUSD"),
        "auto": (AUTO, "delivery.priceInUSD"),
        "auto-cast": (AUTO, "CAST(delivery.priceInUSD AS DOUBLE)"),
    }[mode]
    out = {"duckdb_version": duckdb.__version__, "mode": mode,
           "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
    try:
        con.execute(LOAD.format(source=source, price=price), [path])
        out["types"] = {row[0]: row[1] for row in con.execute("DESCRIBE r").fetchall()}
        for name, sql in QUERIES.items():
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            out[name] = [dict(zip(cols, row)) for row in cur.fetchall()]
    except duckdb.Error as e:
        print(f"duckdb {mode} on {path}: {type(e).__name__}: {str(e).splitlines()[0]}", file=sys.stderr)
        sys.exit(3)
    json.dump(out, sys.stdout, indent=1, default=str)
    print()


if __name__ == "__main__":
    main()
