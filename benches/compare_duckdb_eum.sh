#!/usr/bin/env bash
# smslens vs DuckDB on the same generated End User Messaging SMS events (NDJSON, about 2 million lines):
# both count each message once by its final event, delivered/failed, spend = totalMessagePrice +
# totalCarrierFee, messages with no final event, and the breakdowns by outcome, country and carrier. The
# tools run in turn; prints each one's median and min-max wall time and peak RSS, and the ratios.
# See benches/README.md. Usage: bash benches/compare_duckdb_eum.sh
#
# Env: TEXTS (1260000 texts: about 2.0 M events)  RUNS (5)  WORKDIR (${TMPDIR:-/tmp}/smslens-bench)
#      SMSLENS_BIN (default: `cargo build --release`, then target/release/smslens)
#      GEN_BIN (default, when the data must be written: `cargo build --release -p smslens-gen`)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEXTS=${TEXTS:-1260000}
RUNS=${RUNS:-5}
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/smslens-bench}

die() { echo "compare_duckdb_eum: $*" >&2; exit 1; }
run() { echo "+ $(printf '%q ' "$@")" >&2; "$@"; }
q() { printf '%q' "$1"; }

[[ $TEXTS =~ ^[1-9][0-9]*$ ]] || die "TEXTS must be a positive integer (got '$TEXTS')"
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
if ! python3 -c 'import duckdb' 2>/dev/null; then
    run python3 -m pip install --quiet duckdb || die "pip install duckdb failed"
fi
mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

# ---- data: the generator's End User Messaging events of a month of TEXTS texts (reused when present) ----
file=$WORKDIR/eum-events-$TEXTS.jsonl
if [[ ! -s $file ]]; then
    if [[ -z ${GEN_BIN:-} ]]; then
        (cd "$repo" && run cargo build --release -p smslens-gen) || die "cargo build --release -p smslens-gen failed"
        GEN_BIN=$target_dir/release/smslens-gen
    fi
    echo "+ $(q "$GEN_BIN") eum-events --count $TEXTS --seed 1 -o $(q "$file")" >&2
    "$GEN_BIN" eum-events --count "$TEXTS" --seed 1 -o "$file.partial" 2>"$file.truth.json" \
        || { cat "$file.truth.json" >&2; die "smslens-gen eum-events failed"; }
    mv "$file.partial" "$file"
fi

# ---- the DuckDB side: the events' columns into a table, the final event per message, the GROUP BYs ----
duckdb_py=$WORKDIR/duckdb_eum_summary.py
cat >"$duckdb_py" <<'PY'
"""The DuckDB equivalent of `smslens summary EVENTS.jsonl --format json` for End User Messaging events
(written by benches/compare_duckdb_eum.sh)."""
import json
import sys

import duckdb

# Explicit columns, as for the SNS records: mcc/mnc are strings, prices numbers, and the schema is not
# inferred. Only the columns the figures need are kept.
LOAD = """
CREATE TEMP TABLE e AS
SELECT messageId                AS message_id,
       eventType                AS event_type,
       isFinal                  AS is_final,
       messageStatusDescription AS provider_response,
       isoCountryCode           AS iso,
       carrierName              AS carrier,
       totalMessageParts        AS parts,
       totalMessagePrice + totalCarrierFee AS cost
FROM read_json(?, format = 'newline_delimited', columns = {
    'eventType': 'VARCHAR', 'eventVersion': 'VARCHAR', 'eventTimestamp': 'BIGINT', 'isFinal': 'BOOLEAN',
    'originationPhoneNumber': 'VARCHAR', 'destinationPhoneNumber': 'VARCHAR', 'isInternationalSend': 'BOOLEAN',
    'isoCountryCode': 'VARCHAR', 'mcc': 'VARCHAR', 'mnc': 'VARCHAR', 'carrierName': 'VARCHAR',
    'messageId': 'VARCHAR', 'messageRequestTimestamp': 'BIGINT', 'messageEncoding': 'VARCHAR',
    'messageType': 'VARCHAR', 'messageStatus': 'VARCHAR', 'messageStatusDescription': 'VARCHAR',
    'context': 'JSON', 'totalMessageParts': 'BIGINT', 'totalMessagePrice': 'DOUBLE',
    'totalCarrierFee': 'DOUBLE',
    'protectConfiguration': 'STRUCT(protectConfigurationId VARCHAR, protectStatus VARCHAR)'})
"""
# A message counts once, by its final event; the in-flight types are never final.
FINALS = """
CREATE TEMP TABLE m AS
SELECT message_id, any_value(event_type) AS event_type, any_value(provider_response) AS provider_response,
       any_value(iso) AS iso, any_value(carrier) AS carrier, any_value(parts) AS parts,
       any_value(cost) AS cost,
       any_value(event_type) IN ('TEXT_SUCCESSFUL', 'TEXT_DELIVERED') AS delivered
FROM e
WHERE is_final AND event_type NOT IN ('TEXT_SENT', 'TEXT_PENDING', 'TEXT_QUEUED')
GROUP BY message_id
"""
QUERIES = {
    "totals": """
        SELECT count(*) AS messages, count(*) FILTER (WHERE delivered) AS delivered,
               count(*) FILTER (WHERE NOT delivered) AS failed, round(sum(cost), 5) AS spend_usd,
               sum(parts) AS message_parts,
               (SELECT count(DISTINCT message_id) FROM e) - count(*) AS no_final_outcome,
               (SELECT count(*) FROM e) AS event_rows,
               count(*) FILTER (WHERE iso IS NULL) AS without_iso
        FROM m""",
    "by_provider_response": """
        SELECT provider_response, delivered, count(*) AS messages
        FROM m GROUP BY provider_response, delivered ORDER BY messages DESC, provider_response""",
    "by_country": """
        SELECT iso, count(*) AS messages, count(*) FILTER (WHERE NOT delivered) AS failed
        FROM m GROUP BY iso ORDER BY messages DESC, iso""",
    "by_carrier": """
        SELECT carrier, count(*) AS messages, count(*) FILTER (WHERE NOT delivered) AS failed
        FROM m GROUP BY carrier ORDER BY messages DESC, carrier""",
}

con = duckdb.connect()  # in memory, default settings: threads = number of cores
con.execute(LOAD, [sys.argv[1]])
con.execute(FINALS)
out = {"duckdb_version": duckdb.__version__,
       "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
for name, sql in QUERIES.items():
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    out[name] = [dict(zip(cols, row)) for row in cur.fetchall()]
json.dump(out, sys.stdout, indent=1)
print()
PY

smslens_cmd="$(q "$SMSLENS_BIN") summary $(q "$file") --format json > /dev/null"
duckdb_cmd="python3 $(q "$duckdb_py") $(q "$file") > /dev/null"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load at start:$(uptime | sed 's/.*load average://')" >&2
# One untimed run of each keeps the outputs for the checks (and warms the page cache for both).
echo "+ $(q "$SMSLENS_BIN") summary $(q "$file") --format json > $(q "$WORKDIR/smslens-eum.json")" >&2
"$SMSLENS_BIN" summary "$file" --format json >"$WORKDIR/smslens-eum.json" || die "smslens summary failed"
echo "+ python3 $(q "$duckdb_py") $(q "$file") > $(q "$WORKDIR/duckdb-eum.json")" >&2
python3 "$duckdb_py" "$file" >"$WORKDIR/duckdb-eum.json" || die "the DuckDB query failed"

python3 - "$WORKDIR/smslens-eum.json" "$WORKDIR/duckdb-eum.json" "$file.truth.json" <<'PY' || die "smslens, DuckDB and the generator disagree"
import json, os, sys
s, d = (json.load(open(p)) for p in sys.argv[1:3])
truth = json.load(open(sys.argv[3])) if os.path.exists(sys.argv[3]) and os.path.getsize(sys.argv[3]) else None
t = d["totals"][0]
bad = []
def check(what, ours, theirs):
    if ours != theirs:
        bad.append(f"{what}: smslens {ours!r} vs {theirs!r}")
check("messages with a final event", s["events"], t["messages"])
check("delivered", s["delivered"], t["delivered"])
check("failed", s["failed"], t["failed"])
check("no final outcome", s["no_final_outcome"], t["no_final_outcome"])
check("message parts", s["message_parts"], t["message_parts"])
if abs(s["spend_usd"] - t["spend_usd"]) > 0.005:
    check("spend_usd", s["spend_usd"], t["spend_usd"])
check("duplicates", s["duplicates"], 0)
check("by outcome text + delivered",
      {(r["provider_response"], r["status"] == "SUCCESS"): r["count"] for r in s["by_provider_response"]},
      {(r["provider_response"], r["delivered"]): r["messages"] for r in d["by_provider_response"]})
check("by carrier (missing = 'unknown')",
      {r["carrier"]: (r["events"], r["failed"]) for r in s["by_carrier"]},
      {(r["carrier"] if r["carrier"] is not None else "unknown"): (r["messages"], r["failed"]) for r in d["by_carrier"]})
# smslens takes the country from the number when isoCountryCode is missing; DuckDB has only the code.
theirs = {r["iso"]: r["messages"] for r in d["by_country"] if r["iso"] is not None}
ours = {r["country"]: r["events"] for r in s["by_country"]}
extra = sum(ours.get(k, 0) - v for k, v in theirs.items())
if any(ours.get(k, 0) < v for k, v in theirs.items()) or extra != t["without_iso"] or set(ours) != set(theirs):
    bad.append(f"by country: smslens {ours} vs DuckDB {theirs} (+{t['without_iso']} without isoCountryCode)")
if truth is not None:
    for k, ours_k in [("delivered", "delivered"), ("failed", "failed"), ("no_final_outcome", "no_final_outcome")]:
        check(f"generator truth {k}", s[ours_k], truth[k])
    check("generator truth events", t["event_rows"], truth["events"])
for b in bad:
    print("MISMATCH " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"  counts agree: {t['event_rows']} events, {t['messages']} messages with a final event, {t['delivered']} delivered, "
      f"{t['failed']} failed, {t['no_final_outcome']} with no final event, {t['spend_usd']} USD, {t['message_parts']} parts, "
      f"{len(s['by_provider_response'])} outcomes, {len(s['by_carrier'])} carriers, {len(s['by_country'])} countries "
      f"({t['without_iso']} messages without isoCountryCode placed by their number); "
      f"DuckDB {d['duckdb_version']}, threads={d['threads']}" + ("; = the generator's truth" if truth else ""), file=sys.stderr)
PY

# ---- measuring: the two tools in turn, RUNS times each ----
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'; }
tf=$WORKDIR/.time
ws=() rs=() wd=() rd=() ratios=() mratios=()
echo "+ $smslens_cmd    # timed, x$RUNS, alternating with the next" >&2
echo "+ $duckdb_cmd    # timed, x$RUNS" >&2
for ((i = 1; i <= RUNS; i++)); do
    /usr/bin/time -f '%e %M' -o "$tf" bash -c "$smslens_cmd" || die "smslens failed"
    read -r w m <"$tf"
    ws+=("$w") rs+=("$m")
    /usr/bin/time -f '%e %M' -o "$tf" bash -c "$duckdb_cmd" || die "DuckDB failed"
    read -r w m <"$tf"
    wd+=("$w") rd+=("$m")
    ratios+=("$(awk -v a="${ws[-1]}" -v b="$w" 'BEGIN {printf "%.3f", (b > 0) ? a / b : 0}')")
    mratios+=("$(awk -v a="${rs[-1]}" -v b="$m" 'BEGIN {printf "%.3f", (b > 0) ? a / b : 0}')")
done
echo "  smslens: wall s ${ws[*]}; max RSS KiB ${rs[*]}" >&2
echo "  duckdb:  wall s ${wd[*]}; max RSS KiB ${rd[*]}" >&2

size=$(stat -L -c %s "$file")
lines=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"][0]["event_rows"])' "$WORKDIR/duckdb-eum.json")
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
echo
echo "file: $file ($lines End User Messaging events of $TEXTS texts, $size bytes = $(awk -v b="$size" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
echo "summary of one NDJSON file of End User Messaging events ($RUNS runs each, in turn)"
printf '  %-30s %22s %26s\n' tool 'wall s: median (min-max)' 'peak RSS MiB: median (min-max)'
printf '  %-30s %22s %26s\n' smslens "$(median "${ws[@]}") ($(minmax "${ws[@]}"))" \
    "$(mib "$(median "${rs[@]}")") ($(mib "$(printf '%s\n' "${rs[@]}" | sort -g | head -1)")-$(mib "$(printf '%s\n' "${rs[@]}" | sort -g | tail -1)"))"
printf '  %-30s %22s %26s\n' "duckdb (python3 + read_json)" "$(median "${wd[@]}") ($(minmax "${wd[@]}"))" \
    "$(mib "$(median "${rd[@]}")") ($(mib "$(printf '%s\n' "${rd[@]}" | sort -g | head -1)")-$(mib "$(printf '%s\n' "${rd[@]}" | sort -g | tail -1)"))"
awk -v a="$(median "${ws[@]}")" -v b="$(median "${wd[@]}")" -v ka="$(median "${rs[@]}")" -v kb="$(median "${rd[@]}")" \
    'BEGIN {printf "  %-30s %22.2f %26.2f\n", "ratio of medians smslens/duckdb", a / b, ka / kb}'
printf '  %-30s %22s %26s\n' "per-round ratios: median" "$(median "${ratios[@]}") ($(minmax "${ratios[@]}"))" \
    "$(median "${mratios[@]}") ($(minmax "${mratios[@]}"))"
echo
echo "load at end:$(uptime | sed 's/.*load average://')"
