#!/usr/bin/env python3
"""Checks `smslens summary --format json` against DuckDB's counts (benches/duckdb_summary.py) and against the
data's ground truth, for benches/compare_duckdb.sh. Exit 1 and MISMATCH lines on stderr when they disagree.

    python3 benches/check_summary.py SMSLENS.json DUCKDB.json|- [TRUTH.json]

With `-` for DUCKDB.json only the truth is checked.

TRUTH.json is what the generator printed on stderr: smslens-gen's (records, unique, delivered, failed,
spend_usd) or benches/independent_records.py's (records, distinct_recipients, delivered, failed, spend_usd).
"""
import json
import os
import sys

s = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2])) if sys.argv[2] != "-" else None
truth = None
if len(sys.argv) > 3 and os.path.exists(sys.argv[3]) and os.path.getsize(sys.argv[3]):
    truth = json.load(open(sys.argv[3]))
bad = []


def check(what, ours, theirs):
    if ours != theirs:
        bad.append(f"{what}: smslens {ours!r} vs {theirs!r}")


def close(what, ours, theirs):
    if abs(ours - theirs) > 0.005:
        bad.append(f"{what}: smslens {ours!r} vs {theirs!r}")


t = d["totals"][0] if d else {"rows": s["events"] + s["duplicates"], "unique_ids": s["events"]}
check("records (events + duplicates) vs DuckDB count(*)", s["events"] + s["duplicates"], t["rows"])
check("unique messages (smslens events) vs DuckDB count(DISTINCT messageId)", s["events"], t["unique_ids"])
if d and s["duplicates"] == 0:  # DuckDB's GROUP BYs count raw rows; they equal smslens's only without duplicates
    check("delivered vs DuckDB", s["delivered"], t["delivered"])
    check("failed vs DuckDB", s["failed"], t["failed"])
    close("spend_usd vs DuckDB", s["spend_usd"], t["spend_usd"])
    check("by providerResponse+status vs DuckDB",
          {(r["provider_response"], r["status"]): r["count"] for r in s["by_provider_response"]},
          {(r["provider_response"], r["status"]): r["events"] for r in d["by_provider_response"]})
    check("by carrier (missing = 'unknown') vs DuckDB",
          {r["carrier"]: (r["events"], r["failed"]) for r in s["by_carrier"]},
          {(r["carrier"] if r["carrier"] is not None else "unknown"): (r["events"], r["failed"])
           for r in d["by_carrier"]})
    check("by smsType vs DuckDB", {r["sms_type"]: (r["events"], r["failed"]) for r in s["by_sms_type"]},
          {r["sms_type"]: (r["events"], r["failed"]) for r in d["by_sms_type"]})
said = []
if truth is not None:
    check("records vs the truth", s["events"] + s["duplicates"], truth["records"])
    check("unique messages vs the truth", s["events"], truth.get("unique", truth["records"]))
    check("delivered vs the truth", s["delivered"], truth["delivered"])
    check("failed vs the truth", s["failed"], truth["failed"])
    close("spend_usd vs the truth", s["spend_usd"], truth["spend_usd"])
    said.append("= the generator's truth")
    if "distinct_recipients" in truth:
        keys = [k for k in ("recipients", "distinct_recipients") if k in s]
        if keys:
            check("distinct recipients vs the truth", s[keys[0]], truth["distinct_recipients"])
            said.append(f"{truth['distinct_recipients']} distinct recipients")
        else:
            said.append(f"distinct recipients not compared (the truth says {truth['distinct_recipients']}; "
                        "smslens's summary JSON has no such count)")
for b in bad:
    print("MISMATCH " + b, file=sys.stderr)
if bad:
    sys.exit(1)
vs = (f"countries not compared ({len(s['by_country'])} smslens countries vs {len(d['by_country'])} DuckDB "
      f"3-char prefixes); DuckDB {d['duckdb_version']}, threads={d['threads']}") if d else "no DuckDB run"
print(f"  counts agree ({d['mode'] if d else 'truth only'}): {t['rows']} records, {t['unique_ids']} unique, "
      f"{s['delivered']} delivered, {s['failed']} failed, {s['spend_usd']} USD, {len(s['by_provider_response'])} "
      f"outcomes, {len(s['by_carrier'])} carriers; {vs}" + "".join("; " + x for x in said), file=sys.stderr)
