#!/usr/bin/env bash
# smslens vs DuckDB on two data sets in one run (ours from smslens-gen, and a high-cardinality one written
# independently), DuckDB in two formulations (explicit STRUCT schema; auto-detected columns as a user types
# it); smslens's memory per distinct recipient and per message id; and smslens on a CloudWatch export tree vs
# the floor of just decompressing it. Prints medians, min-max and every ratio. See benches/README.md.
# Usage: bash benches/compare_duckdb.sh
#
# Env: RECORDS (2000000)  RUNS (3; the tools run in turn, round after round)  WORKDIR (${TMPDIR:-/tmp}/smslens-bench)
#      SMSLENS_BIN (default: `cargo build --release`, then target/release/smslens)
#      GEN_BIN (default, when data must be written: `cargo build --release -p smslens-gen`)
#      INDEP_POOL (RECORDS: numbers the independent data set draws recipients from)  INDEP_SEED (11)
#      MEMORY (1; 0 skips the bytes-per-recipient/message-id part)  POOL_A (RECORDS/40)  POOL_B (RECORDS)
#      MEM_RECIPIENTS (RECORDS/8)  MEM_DUPLICATES (1: every text twice, half the message ids)
#      EXPORT (1; 0 skips the export tree)  EXPORT_RECORDS (200000)  EXPORT_FILES (20000)
set -euo pipefail
BENCH=compare_duckdb
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RECORDS=${RECORDS:-2000000}
INDEP_POOL=${INDEP_POOL:-$RECORDS}
INDEP_SEED=${INDEP_SEED:-11}
MEMORY=${MEMORY:-1}
POOL_A=${POOL_A:-$((RECORDS / 40))}
POOL_B=${POOL_B:-$RECORDS}
MEM_RECIPIENTS=${MEM_RECIPIENTS:-$((RECORDS / 8))}
MEM_DUPLICATES=${MEM_DUPLICATES:-1}
EXPORT=${EXPORT:-1}
EXPORT_RECORDS=${EXPORT_RECORDS:-200000}
EXPORT_FILES=${EXPORT_FILES:-20000}
for v in RECORDS INDEP_POOL POOL_A POOL_B MEM_RECIPIENTS EXPORT_RECORDS EXPORT_FILES; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
need_smslens
need_duckdb
duckdb_py=$repo/benches/duckdb_summary.py
check_py=$repo/benches/check_summary.py

# ---- data (reused when present) ----
ours=$WORKDIR/records-$RECORDS.jsonl
indep=$WORKDIR/independent-$RECORDS-pool$INDEP_POOL-seed$INDEP_SEED.jsonl
gen_ours "$ours" --count "$RECORDS" --seed 1
gen_indep "$indep" "$RECORDS" "$INDEP_POOL" "$INDEP_SEED"

note "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load at start: $(load_now)"
echo "DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)') through python3 (in memory, threads = $(nproc) cores); RUNS=$RUNS, tools in turn each round"

# compare NAME FILE DESCRIPTION: the untimed runs and checks, then the timed rounds and the table.
compare() {
    local name=$1 file=$2 what=$3 pre=$WORKDIR/$1 sm ex
    sm="$(q "$SMSLENS_BIN") summary $(q "$file") --format json"
    ex="python3 $(q "$duckdb_py") explicit $(q "$file")"
    note
    # One untimed run of each keeps the outputs for the checks (and warms the page cache).
    echo "+ $sm > $(q "$pre-smslens.json")" >&2
    bash -c "$sm" >"$pre-smslens.json" || die "smslens summary failed on $file"
    echo "+ $ex > $(q "$pre-duckdb-explicit.json")" >&2
    bash -c "$ex" >"$pre-duckdb-explicit.json" || die "the explicit DuckDB query failed on $file"
    run python3 "$check_py" "$pre-smslens.json" "$pre-duckdb-explicit.json" "$file.truth.json" \
        || die "smslens, DuckDB and the truth disagree on $file"
    # The auto-detected formulation as typed; if DuckDB cannot bind it on this file, say so and time the fix
    # its error message suggests (priceInUSD cast to DOUBLE).
    local auto=auto auto_label="duckdb read_json(FILE) auto" au
    au="python3 $(q "$duckdb_py") auto $(q "$file")"
    echo "+ $au > $(q "$pre-duckdb-auto.json")" >&2
    if ! bash -c "$au" >"$pre-duckdb-auto.json" 2>"$pre-duckdb-auto.err"; then
        auto_failed="$(cat "$pre-duckdb-auto.err")"
        note "$auto_failed"
        auto=auto-cast auto_label="duckdb auto + CAST(price AS DOUBLE)"
        au="python3 $(q "$duckdb_py") auto-cast $(q "$file")"
        echo "+ $au > $(q "$pre-duckdb-auto.json")" >&2
        if ! bash -c "$au" >"$pre-duckdb-auto.json" 2>"$pre-duckdb-auto.err"; then
            note "$(cat "$pre-duckdb-auto.err")"
            auto=
        fi
    else
        auto_failed=
    fi
    if [[ -n $auto ]]; then
        run python3 "$check_py" "$pre-smslens.json" "$pre-duckdb-auto.json" || die "smslens and DuckDB ($auto) disagree on $file"
    fi

    local cmds=("$sm > /dev/null" "$ex > /dev/null")
    [[ -n $auto ]] && cmds+=("$au > /dev/null")
    rounds "${cmds[@]}"
    local size
    size=$(stat -L -c %s "$file")
    echo
    echo "$name: $what"
    echo "  file: $file ($RECORDS records, $size bytes = $(awk -v b="$size" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
    [[ -n $auto_failed ]] && echo "  auto-detected read_json as typed FAILED on this file: ${auto_failed#* on "$file": }"
    [[ -z $auto ]] && echo "  the auto-detected formulation failed on this file even with the cast: not timed"
    tool_header
    tool_row "smslens summary --format json" 0
    tool_row "duckdb read_json explicit STRUCT" 1
    [[ -n $auto ]] && tool_row "$auto_label" 2
    ratio_rows "smslens/duckdb explicit" 0 1
    [[ -n $auto ]] && ratio_rows "smslens/duckdb $auto" 0 2
    return 0
}

echo
echo "1. summary of one JSONL file: smslens vs DuckDB (read_json + the same GROUP BYs)"
compare ours "$ours" "smslens-gen records --count $RECORDS --seed 1"
compare independent "$indep" "independent_records.py --count $RECORDS --pool $INDEP_POOL --seed $INDEP_SEED (high-cardinality recipients)"

# ---- 2. memory per distinct recipient and per message id ----
if [[ $MEMORY != 0 ]]; then
    # Recipients: two independent files of the same record count (all message ids distinct) with different
    # recipient pools. Message ids: two of our files of the same line count and about the same recipients,
    # one with every line a distinct text, one with MEM_DUPLICATES of the texts written twice.
    pa=$WORKDIR/independent-$RECORDS-pool$POOL_A-seed$INDEP_SEED.jsonl
    pb=$WORKDIR/independent-$RECORDS-pool$POOL_B-seed$INDEP_SEED.jsonl
    ia=$WORKDIR/records-$RECORDS-r$MEM_RECIPIENTS.jsonl
    ib=$WORKDIR/records-$RECORDS-r$MEM_RECIPIENTS-dup$MEM_DUPLICATES.jsonl
    note
    gen_indep "$pa" "$RECORDS" "$POOL_A" "$INDEP_SEED"
    gen_indep "$pb" "$RECORDS" "$POOL_B" "$INDEP_SEED"
    gen_ours "$ia" --count "$RECORDS" --seed 1 --recipients "$MEM_RECIPIENTS"
    gen_ours "$ib" --count "$RECORDS" --seed 1 --recipients "$MEM_RECIPIENTS" --duplicates "$MEM_DUPLICATES"
    declare -A nrec nid
    for f in "$pa" "$pb" "$ia" "$ib"; do
        # distinct destinations and message ids, counted by DuckDB (not timed)
        c=$(python3 "$duckdb_py" distinct "$f") || die "counting distinct values in $f failed"
        nrec[$f]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["recipients"])' "$c")
        nid[$f]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["message_ids"])' "$c")
        # untimed: the page cache, and smslens's counts (duplicates deduped by message id) against the truth
        echo "+ $(q "$SMSLENS_BIN") summary $(q "$f") --format json > $(q "$WORKDIR/mem-smslens.json")" >&2
        "$SMSLENS_BIN" summary "$f" --format json >"$WORKDIR/mem-smslens.json" || die "smslens failed on $f"
        run python3 "$check_py" "$WORKDIR/mem-smslens.json" - "$f.truth.json" || die "smslens disagrees with the truth of $f"
    done
    rounds "$(q "$SMSLENS_BIN") summary $(q "$pa") --format json > /dev/null" \
        "$(q "$SMSLENS_BIN") summary $(q "$pb") --format json > /dev/null" \
        "$(q "$SMSLENS_BIN") summary $(q "$ia") --format json > /dev/null" \
        "$(q "$SMSLENS_BIN") summary $(q "$ib") --format json > /dev/null"
    echo
    echo "2. smslens's peak memory per distinct recipient and per message id ($RECORDS lines each, in turn)"
    printf '  %-44s %10s %11s %24s %28s\n' file recipients 'message ids' 'wall s: median (min-max)' 'peak RSS MiB: median (min-max)'
    k=0
    declare -A kib
    for f in "$pa" "$pb" "$ia" "$ib"; do
        read -ra m <<<"$(vals RSS "$k")"
        kib[$f]=$(median "${m[@]}")
        printf '  %-44s %10s %11s %s\n' "$(echo a b c d | cut -d' ' -f$((k + 1))): $(basename "$f")" "${nrec[$f]}" "${nid[$f]}" "$(stats_cols "$k")"
        note "  $(basename "$f"): wall s $(vals WALL "$k"); max RSS KiB ${m[*]}"
        k=$((k + 1))
    done
    awk -v ka="${kib[$pa]}" -v kb="${kib[$pb]}" -v ra="${nrec[$pa]}" -v rb="${nrec[$pb]}" \
        -v kc="${kib[$ia]}" -v kd="${kib[$ib]}" -v rc="${nrec[$ia]}" -v rd="${nrec[$ib]}" \
        -v mc="${nid[$ia]}" -v md="${nid[$ib]}" 'BEGIN {
        if (rb == ra) { print "  a and b have as many recipients: no per-recipient figure"; exit }
        r = (kb - ka) * 1024 / (rb - ra)
        printf "  bytes per distinct recipient = (RSS_b - RSS_a) / (recipients_b - recipients_a) = %.1f\n", r
        if (md == mc) { print "  c and d have as many message ids: no per-message-id figure"; exit }
        m = ((kd - kc) * 1024 - r * (rd - rc)) / (md - mc)
        printf "  bytes per message id = (RSS_d - RSS_c - %.1f x (recipients_d - recipients_c)) / (ids_d - ids_c) = %.1f\n", r, m
    }'
fi

# ---- 3. a CloudWatch export tree of many small .gz files: smslens vs just decompressing them ----
if [[ $EXPORT != 0 ]]; then
    export_dir=$WORKDIR/export-$EXPORT_FILES
    if [[ ! -d $export_dir ]]; then
        need_gen
        rm -rf "$export_dir.partial"
        echo "+ $(printf '%q ' "$GEN_BIN" export-tree --count "$EXPORT_RECORDS" --files "$EXPORT_FILES" -o "$export_dir")" >&2
        "$GEN_BIN" export-tree --count "$EXPORT_RECORDS" --files "$EXPORT_FILES" -o "$export_dir.partial" \
            2>"$export_dir.truth.json" || { cat "$export_dir.truth.json" >&2; die "smslens-gen export-tree failed"; }
        mv "$export_dir.partial" "$export_dir"
    fi
    note
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
    rounds "$(q "$SMSLENS_BIN") summary $(q "$export_dir") > /dev/null" \
        "find $(q "$export_dir") -name '*.gz' -print0 | xargs -0 gzip -dc > /dev/null"
    echo
    echo "3. summary of a CloudWatch export tree vs the gzip -dc floor"
    echo "  tree: $export_dir ($gz_files .gz files, $lines records, $(du -sk "$export_dir" | awk '{printf "%.1f", $1 / 1024}') MiB on disk)"
    tool_header
    tool_row "smslens summary DIR" 0
    tool_row "find | xargs gzip -dc (floor)" 1
    ratio_rows "smslens/gzip floor" 0 1
fi
echo
echo "load at end: $(load_now)"
