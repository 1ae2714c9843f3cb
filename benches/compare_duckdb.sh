#!/usr/bin/env bash
# smslens vs DuckDB on the same generated SNS SMS delivery-status file, plus smslens on a CloudWatch
# export tree vs the floor of just decompressing it. Prints median wall time, peak RSS and the ratios.
# See benches/README.md. Usage: bash benches/compare_duckdb.sh
#
# Env: RECORDS (2000000)  RUNS (3, median reported; the two tools run in turn)  WORKDIR (${TMPDIR:-/tmp}/smslens-bench)
#      SMSLENS_BIN (default: `cargo build --release` in this repo, then target/release/smslens)
#      GEN_BIN (default, when data must be written: `cargo build --release -p smslens-gen`, then
#      target/release/smslens-gen): the workspace's synthetic-data generator
#      EXPORT_RECORDS (200000) and EXPORT_FILES (20000): the export tree of the second measurement
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RECORDS=${RECORDS:-2000000}
RUNS=${RUNS:-3}
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/smslens-bench}
EXPORT_RECORDS=${EXPORT_RECORDS:-200000}
EXPORT_FILES=${EXPORT_FILES:-20000}

die() { echo "compare_duckdb: $*" >&2; exit 1; }
# Echo a command (shell-quoted, so it can be pasted) to stderr, then run it.
run() { echo "+ $(printf '%q ' "$@")" >&2; "$@"; }

[[ $RECORDS =~ ^[1-9][0-9]*$ ]] || die "RECORDS must be a positive integer (got '$RECORDS')"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ -x /usr/bin/time ]] || die "GNU time is required at /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required (DuckDB runs through its Python package)"

target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$repo/$target_dir
if [[ -z ${SMSLENS_BIN:-} ]]; then
    (cd "$repo" && run cargo build --release) || die "cargo build --release failed"
    SMSLENS_BIN=$target_dir/release/smslens
fi
[[ -x $SMSLENS_BIN ]] || die "no smslens binary at $SMSLENS_BIN"
# The generator is built only when some data is missing.
need_gen() {
    if [[ -z ${GEN_BIN:-} ]]; then
        (cd "$repo" && run cargo build --release -p smslens-gen) || die "cargo build --release -p smslens-gen failed"
        GEN_BIN=$target_dir/release/smslens-gen
    fi
    [[ -x $GEN_BIN ]] || die "no smslens-gen binary at $GEN_BIN"
}

if ! python3 -c 'import duckdb' 2>/dev/null; then
    run python3 -m pip install --quiet duckdb || die "pip install duckdb failed"
fi

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

# ---- data (reused when present; written under a temporary name first so a killed run is not reused) ----
records_file=$WORKDIR/records-$RECORDS.jsonl
if [[ ! -s $records_file ]]; then
    need_gen
    # The generator prints its ground truth (JSON) on stderr.
    echo "+ $(printf '%q ' "$GEN_BIN" records --count "$RECORDS" --seed 1 -o "$records_file")" >&2
    "$GEN_BIN" records --count "$RECORDS" --seed 1 -o "$records_file.partial" 2>"$records_file.truth.json" \
        || { cat "$records_file.truth.json" >&2; die "smslens-gen records failed"; }
    mv "$records_file.partial" "$records_file"
fi
export_dir=$WORKDIR/export-$EXPORT_FILES
if [[ ! -d $export_dir ]]; then
    need_gen
    rm -rf "$export_dir.partial"
    echo "+ $(printf '%q ' "$GEN_BIN" export-tree --count "$EXPORT_RECORDS" --files "$EXPORT_FILES" -o "$export_dir")" >&2
    "$GEN_BIN" export-tree --count "$EXPORT_RECORDS" --files "$EXPORT_FILES" -o "$export_dir.partial" \
        2>"$export_dir.truth.json" || { cat "$export_dir.truth.json" >&2; die "smslens-gen export-tree failed"; }
    mv "$export_dir.partial" "$export_dir"
fi

# ---- the DuckDB side: one read of the file into a table of the needed columns, then the GROUP BYs ----
duckdb_py=$WORKDIR/duckdb_summary.py
cat >"$duckdb_py" <<'PY'
"""The DuckDB equivalent of `smslens summary FILE --format json` (written by benches/compare_duckdb.sh)."""
import json
import sys

import duckdb

# Explicit columns: read_json_auto samples the first rows and, because formats.md allows priceInUSD as a
# numeric string (and mcc/mnc as strings), infers those fields as JSON, on which sum() fails. Declaring
# the schema reads every record the same way; DOUBLE accepts "0.00645" as well as 0.00645.
LOAD = """
CREATE TEMP TABLE r AS
SELECT notification.messageId         AS message_id,
       status,
       delivery.providerResponse      AS provider_response,
       -- DuckDB has no libphonenumber: the first 3 characters of the E.164 number ("+1" plus one digit,
       -- "+44", "+91", ...) stand in for smslens's country. An approximation: +1 is split by area-code
       -- digit and covers US/CA/Caribbean alike, +7 is RU and KZ, and 1- or 3-digit codes are cut wrong.
       substr(delivery.destination, 1, 3) AS calling_code,
       delivery.phoneCarrier          AS carrier,
       delivery.smsType               AS sms_type,
       delivery.priceInUSD            AS price_usd
FROM read_json(?, format = 'newline_delimited', columns = {
    'notification': 'STRUCT(messageId VARCHAR, "timestamp" VARCHAR)',
    'delivery': 'STRUCT(phoneCarrier VARCHAR, mcc VARCHAR, mnc VARCHAR, numberOfMessageParts BIGINT,
                        destination VARCHAR, priceInUSD DOUBLE, smsType VARCHAR, providerResponse VARCHAR,
                        dwellTimeMs BIGINT, dwellTimeMsUntilDeviceAck BIGINT)',
    'status': 'VARCHAR'})
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

con = duckdb.connect()  # in memory, default settings: threads = number of cores
con.execute(LOAD, [sys.argv[1]])
out = {"duckdb_version": duckdb.__version__,
       "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
for name, sql in QUERIES.items():
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    out[name] = [dict(zip(cols, row)) for row in cur.fetchall()]
json.dump(out, sys.stdout, indent=1)
print()
PY

# ---- measuring ----
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME_A CMD_A NAME_B CMD_B: runs the two commands in turn (A, B, A, B, ...) RUNS times each under GNU
# time, so that a machine whose speed drifts (a shared VM) slows both alike. Sets A_S/A_KIB and B_S/B_KIB
# (median wall s and max RSS) and PAIRED (median of the per-round wall-time ratios A/B).
measure() {
    local tf=$WORKDIR/.time i w m wa=() ra=() wb=() rb=() ratios=()
    echo "+ $2    # timed, x$RUNS, alternating with the next" >&2
    echo "+ $4    # timed, x$RUNS" >&2
    for ((i = 1; i <= RUNS; i++)); do
        /usr/bin/time -f '%e %M' -o "$tf" bash -c "$2" || { cat "$tf" >&2; die "$1 failed: $2"; }
        read -r w m <"$tf"
        wa+=("$w")
        ra+=("$m")
        /usr/bin/time -f '%e %M' -o "$tf" bash -c "$4" || { cat "$tf" >&2; die "$3 failed: $4"; }
        read -r w m <"$tf"
        wb+=("$w")
        rb+=("$m")
        ratios+=("$(awk -v a="${wa[-1]}" -v b="$w" 'BEGIN {print (b > 0) ? a / b : 0}')")
    done
    echo "  $1: wall s ${wa[*]}; max RSS KiB ${ra[*]}" >&2
    echo "  $3: wall s ${wb[*]}; max RSS KiB ${rb[*]}" >&2
    A_S=$(median "${wa[@]}") A_KIB=$(median "${ra[@]}")
    B_S=$(median "${wb[@]}") B_KIB=$(median "${rb[@]}")
    PAIRED=$(median "${ratios[@]}")
}

# table TITLE RATIO_LABEL NAME_A S_A KIB_A NAME_B S_B KIB_B: the two rows and the A/B ratios.
table() {
    echo
    echo "$1 (median of $RUNS runs)"
    local ratio=$2
    shift
    printf '  %-32s %14s %14s\n' tool 'wall s' 'peak RSS MiB'
    printf '  %-32s %14.2f %14.1f\n' "$2" "$3" "$(awk -v k="$4" 'BEGIN {print k / 1024}')"
    printf '  %-32s %14.2f %14.1f\n' "$5" "$6" "$(awk -v k="$7" 'BEGIN {print k / 1024}')"
    awk -v a="$3" -v b="$6" -v ka="$4" -v kb="$7" -v n="$ratio" \
        'BEGIN {printf "  %-32s %14s %14s\n", n, (b > 0 ? sprintf("%.2f", a / b) : "n/a"), sprintf("%.2f", ka / kb)}'
}

q() { printf '%q' "$1"; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load at start:$(uptime | sed 's/.*load average://')" >&2

# ---- 1. one JSONL file: smslens summary vs DuckDB read_json + GROUP BY ----
smslens_cmd="$(q "$SMSLENS_BIN") summary $(q "$records_file") --format json > /dev/null"
duckdb_cmd="python3 $(q "$duckdb_py") $(q "$records_file") > /dev/null"

# One untimed run of each keeps the outputs for the count check (and warms the page cache for both).
echo "+ $(q "$SMSLENS_BIN") summary $(q "$records_file") --format json > $(q "$WORKDIR/smslens-summary.json")" >&2
"$SMSLENS_BIN" summary "$records_file" --format json >"$WORKDIR/smslens-summary.json" || die "smslens summary failed"
echo "+ python3 $(q "$duckdb_py") $(q "$records_file") > $(q "$WORKDIR/duckdb-summary.json")" >&2
python3 "$duckdb_py" "$records_file" >"$WORKDIR/duckdb-summary.json" || die "the DuckDB query failed"

python3 - "$WORKDIR/smslens-summary.json" "$WORKDIR/duckdb-summary.json" <<'PY' || die "smslens and DuckDB disagree"
import json, sys
s, d = (json.load(open(p)) for p in sys.argv[1:3])
t = d["totals"][0]
bad = []
def check(what, ours, theirs):
    if ours != theirs:
        bad.append(f"{what}: smslens {ours!r} vs DuckDB {theirs!r}")
check("records (events + duplicates)", s["events"] + s["duplicates"], t["rows"])
check("unique messages (smslens events vs count(DISTINCT messageId))", s["events"], t["unique_ids"])
if s["duplicates"] == 0:  # DuckDB's GROUP BYs count raw rows; they equal smslens's only without duplicates
    check("delivered", s["delivered"], t["delivered"])
    check("failed", s["failed"], t["failed"])
    if abs(s["spend_usd"] - t["spend_usd"]) > 0.005:
        check("spend_usd", s["spend_usd"], t["spend_usd"])
    check("by providerResponse+status",
          {(r["provider_response"], r["status"]): r["count"] for r in s["by_provider_response"]},
          {(r["provider_response"], r["status"]): r["events"] for r in d["by_provider_response"]})
    check("by carrier (missing = 'unknown')",
          {r["carrier"]: (r["events"], r["failed"]) for r in s["by_carrier"]},
          {(r["carrier"] if r["carrier"] is not None else "unknown"): (r["events"], r["failed"]) for r in d["by_carrier"]})
    check("by smsType", {r["sms_type"]: (r["events"], r["failed"]) for r in s["by_sms_type"]},
          {r["sms_type"]: (r["events"], r["failed"]) for r in d["by_sms_type"]})
for b in bad:
    print("MISMATCH " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"  counts agree: {t['rows']} records, {t['unique_ids']} unique, {t['delivered']} delivered, {t['failed']} failed, "
      f"{t['spend_usd']} USD, {len(s['by_provider_response'])} outcomes, {len(s['by_carrier'])} carriers; "
      f"countries not compared ({len(s['by_country'])} smslens countries vs {len(d['by_country'])} DuckDB 3-char prefixes); "
      f"DuckDB {d['duckdb_version']}, threads={d['threads']}", file=sys.stderr)
PY

measure smslens "$smslens_cmd" duckdb "$duckdb_cmd"
s1=$A_S k1=$A_KIB s2=$B_S k2=$B_KIB paired=$PAIRED
size=$(stat -c %s "$records_file")
echo
echo "file: $records_file ($RECORDS records, $size bytes = $(awk -v b="$size" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
table "1. summary of one JSONL file" "ratio smslens/duckdb" smslens "$s1" "$k1" "duckdb (python3 + read_json)" "$s2" "$k2"
printf '  %-32s %14.2f\n' "median of per-round time ratios" "$paired"

# ---- 2. a CloudWatch export tree of many small .gz files: smslens vs just decompressing them ----
smslens_tree_cmd="$(q "$SMSLENS_BIN") summary $(q "$export_dir") > /dev/null"
floor_cmd="find $(q "$export_dir") -name '*.gz' -print0 | xargs -0 gzip -dc > /dev/null"

echo >&2
echo "+ $(q "$SMSLENS_BIN") summary $(q "$export_dir") --format json > $(q "$WORKDIR/smslens-export-summary.json")" >&2
"$SMSLENS_BIN" summary "$export_dir" --format json >"$WORKDIR/smslens-export-summary.json" || die "smslens summary of the export tree failed"
lines=$(find "$export_dir" -name '*.gz' -print0 | xargs -0 gzip -dc | wc -l)
gz_files=$(find "$export_dir" -name '*.gz' | wc -l)
python3 - "$WORKDIR/smslens-export-summary.json" "$lines" <<'PY' || die "smslens's export-tree count disagrees with the decompressed line count"
import json, sys
s, lines = json.load(open(sys.argv[1])), int(sys.argv[2])
read = sum(i["records"] for i in s["inputs"])
if read != lines or s["events"] + s["duplicates"] != lines or s["malformed"]:
    sys.exit(f"MISMATCH: {lines} decompressed lines; smslens read {read}, events {s['events']} + duplicates {s['duplicates']}, malformed {s['malformed']}")
print(f"  counts agree: {lines} lines decompressed = {read} records read by smslens ({s['events']} unique)", file=sys.stderr)
PY

measure "smslens (tree)" "$smslens_tree_cmd" "gzip -dc (floor)" "$floor_cmd"
s1=$A_S k1=$A_KIB s2=$B_S k2=$B_KIB paired=$PAIRED
echo
echo "tree: $export_dir ($gz_files .gz files, $lines records, $(du -sk "$export_dir" | awk '{printf "%.1f", $1 / 1024}') MiB on disk)"
table "2. summary of an export tree" "ratio smslens/gzip floor" smslens "$s1" "$k1" "find | xargs gzip -dc (floor)" "$s2" "$k2"
printf '  %-32s %14.2f\n' "median of per-round time ratios" "$paired"
echo
echo "load at end:$(uptime | sed 's/.*load average://')"
