#!/usr/bin/env bash
# `smslens export` and `smslens summary DIR` (benches/README.md, "dataset.sh"):
#   1. export of a generated NDJSON file (RECORDS records) vs `summary` of the same file: wall time, peak RSS,
#      dataset size vs the NDJSON;
#   2. `summary DIR` on that dataset vs `summary` of the NDJSON, and `summary` of the same dataset without
#      its snapshot (a hard-linked copy: its rows are decoded); the three in turn, RUNS times each;
#   3. `summary DIR` on a dataset of BIG_RECORDS records, exported from the generator through a pipe (the
#      NDJSON, ~6.4 GB for 20 M, is never written to disk), with and without its snapshot.
# Prints medians (with min-max) and ratios. Usage: bash benches/dataset.sh
#
# Env: RECORDS (2000000)  BIG_RECORDS (20000000; 0 skips part 3)  RUNS (5)
#      INPUT (an NDJSON file for parts 1-2 instead of the generator's RECORDS records, e.g. the independent
#      set of benches/README.md: INPUT=$WORKDIR/independent-2000000-pool2000000-seed11.jsonl)
#      WORKDIR (${TMPDIR:-/tmp}/smslens-bench; the NDJSON is shared with compare_duckdb.sh)
#      SMSLENS_BIN, GEN_BIN (default: `cargo build --release` of this workspace, then target/release/*)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RECORDS=${RECORDS:-2000000}
BIG_RECORDS=${BIG_RECORDS:-20000000}
RUNS=${RUNS:-5}
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/smslens-bench}

die() { echo "dataset.sh: $*" >&2; exit 1; }
run() { echo "+ $(printf '%q ' "$@")" >&2; "$@"; }
[[ $RECORDS =~ ^[1-9][0-9]*$ ]] || die "RECORDS must be a positive integer"
[[ $BIG_RECORDS =~ ^[0-9]+$ ]] || die "BIG_RECORDS must be an integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ -x /usr/bin/time ]] || die "GNU time is required at /usr/bin/time (apt-get install time)"

target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$repo/$target_dir
if [[ -z ${SMSLENS_BIN:-} || -z ${GEN_BIN:-} ]]; then
    (cd "$repo" && run cargo build --release --workspace) || die "cargo build --release failed"
fi
SMSLENS_BIN=${SMSLENS_BIN:-$target_dir/release/smslens}
GEN_BIN=${GEN_BIN:-$target_dir/release/smslens-gen}
[[ -x $SMSLENS_BIN && -x $GEN_BIN ]] || die "no binaries at $SMSLENS_BIN / $GEN_BIN"

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)
# The pseudonym keys of these exports stay in the work folder, not in the user's key folder.
export SMSLENS_KEY_DIR=$WORKDIR/keys

records=${INPUT:-$WORKDIR/records-$RECORDS.jsonl}
[[ -z ${INPUT:-} || -s $INPUT ]] || die "INPUT $INPUT is not a non-empty file"
if [[ ! -s $records ]]; then
    echo "+ $GEN_BIN records --count $RECORDS --seed 1 -o $records" >&2
    "$GEN_BIN" records --count "$RECORDS" --seed 1 -o "$records.partial" 2>"$records.truth.json"
    mv "$records.partial" "$records"
fi

# stats FILE: "median (min-max)" of the numbers in FILE, one per line.
stats() { sort -g "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f (%.2f-%.2f)", m, a[1], a[NR]}'; }
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
# timed NAME CMD: runs CMD under GNU time, appends wall s to $WORKDIR/NAME.s and peak KiB to NAME.kib.
timed() {
    local tf=$WORKDIR/.time
    /usr/bin/time -f '%e %M' -o "$tf" bash -c "$2" || { cat "$tf" >&2; die "$1 failed: $2"; }
    read -r w m <"$tf"
    echo "$w" >>"$WORKDIR/$1.s"
    echo "$m" >>"$WORKDIR/$1.kib"
}
reset() { for n in "$@"; do rm -f "$WORKDIR/$n.s" "$WORKDIR/$n.kib"; done; }
q() { printf '%q' "$1"; }
echo "machine: $(nproc) cores; load at start:$(uptime | sed 's/.*load average://')" >&2

# ---- 1. export vs summary of the same NDJSON ----
ds=$WORKDIR/dataset-$(basename "$records" .jsonl)
summary_cmd="$(q "$SMSLENS_BIN") summary $(q "$records") --format json > /dev/null"
export_cmd="rm -rf $(q "$ds") && $(q "$SMSLENS_BIN") export $(q "$records") -o $(q "$ds") > /dev/null 2>&1"
echo "+ $export_cmd    # timed, x$RUNS, alternating with:" >&2
echo "+ $summary_cmd" >&2
reset export summary
for ((i = 1; i <= RUNS; i++)); do
    timed export "$export_cmd"
    timed summary "$summary_cmd"
done
ndjson=$(stat -L -c %s "$records")
dsbytes=$(du -sb "$ds" | cut -f1)
echo
echo "1. export of $(wc -l <"$records") records ($records, $(awk -v b="$ndjson" 'BEGIN {printf "%.0f", b / 1048576}') MiB)"
echo "   export  wall s $(stats "$WORKDIR/export.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/export.kib" | sort -g | tail -1)"
echo "   summary wall s $(stats "$WORKDIR/summary.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/summary.kib" | sort -g | tail -1)"
echo "   export / summary (medians): $(awk -v a="$(median "$WORKDIR/export.s")" -v b="$(median "$WORKDIR/summary.s")" 'BEGIN {printf "%.2f", a / b}')"
snapbytes=$(du -sb "$ds/_snapshot" | cut -f1)
echo "   dataset $(awk -v b="$dsbytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB in $(find "$ds/messages" -name '*.parquet' | wc -l) files = $(awk -v a="$dsbytes" -v b="$ndjson" 'BEGIN {printf "%.3f", a / b}') of the NDJSON, the snapshot $(awk -v b="$snapbytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB of it"

# without_snapshot DS: a hard-linked copy of DS without its snapshot (reading it decodes the rows).
without_snapshot() {
    rm -rf "$1-rows" && cp -al "$1" "$1-rows" && rm -rf "$1-rows/_snapshot"
    echo "$1-rows"
}

# ---- 2. summary DIR vs summary NDJSON ----
dir_cmd="$(q "$SMSLENS_BIN") summary $(q "$ds") --format json > /dev/null"
echo "+ $dir_cmd    # timed, x$RUNS, alternating with the NDJSON summary" >&2
"$SMSLENS_BIN" summary "$ds" --format json >"$WORKDIR/from-dataset.json"
"$SMSLENS_BIN" summary "$records" --format json >"$WORKDIR/from-ndjson.json"
python3 - "$WORKDIR/from-dataset.json" "$WORKDIR/from-ndjson.json" <<'PY' || die "summary DIR differs from summary NDJSON"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.pop("inputs"); b.pop("inputs")
sys.exit(0 if a == b else "MISMATCH")
PY
rows_ds=$(without_snapshot "$ds")
rows_cmd="$(q "$SMSLENS_BIN") summary $(q "$rows_ds") --format json > /dev/null"
echo "+ $rows_cmd    # the same, from the rows" >&2
reset dir rows raw ratio rowsratio
for ((i = 1; i <= RUNS; i++)); do
    timed dir "$dir_cmd"
    timed raw "$summary_cmd"
    timed rows "$rows_cmd"
    awk -v a="$(tail -1 "$WORKDIR/raw.s")" -v b="$(tail -1 "$WORKDIR/dir.s")" 'BEGIN {print a / b}' >>"$WORKDIR/ratio.s"
    awk -v a="$(tail -1 "$WORKDIR/raw.s")" -v b="$(tail -1 "$WORKDIR/rows.s")" 'BEGIN {print a / b}' >>"$WORKDIR/rowsratio.s"
done
echo
echo "2. summary DIR vs summary NDJSON ($(basename "$records"); the same JSON apart from inputs)"
echo "   summary DIR    wall s $(stats "$WORKDIR/dir.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/dir.kib" | sort -g | tail -1)"
echo "   summary NDJSON wall s $(stats "$WORKDIR/raw.s")"
echo "   NDJSON / DIR, per round: $(stats "$WORKDIR/ratio.s")"
echo "   without the snapshot: wall s $(stats "$WORKDIR/rows.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/rows.kib" | sort -g | tail -1), NDJSON / rows per round $(stats "$WORKDIR/rowsratio.s")"

# ---- 3. a big dataset, exported through a pipe ----
if ((BIG_RECORDS > 0)); then
    big=$WORKDIR/dataset-$BIG_RECORDS
    if [[ ! -s $big/_smslens.json || ! -s $big/_snapshot/snapshot.json ]]; then
        rm -rf "$big"
        echo "+ $GEN_BIN records --count $BIG_RECORDS --seed 2 -o - | $SMSLENS_BIN export - -o $big" >&2
        reset bigexport
        timed bigexport "$(q "$GEN_BIN") records --count $BIG_RECORDS --seed 2 -o - 2>/dev/null | $(q "$SMSLENS_BIN") export - -o $(q "$big") > /dev/null"
        echo "   (export through the pipe: $(cat "$WORKDIR/bigexport.s") s, peak RSS $(awk '{print $1/1024}' "$WORKDIR/bigexport.kib") MiB)"
    fi
    big_cmd="$(q "$SMSLENS_BIN") summary $(q "$big") --format json > /dev/null"
    echo "+ $big_cmd    # timed, x$RUNS" >&2
    big_rows_cmd="$(q "$SMSLENS_BIN") summary $(q "$(without_snapshot "$big")") --format json > /dev/null"
    echo "+ $big_rows_cmd    # timed, x$RUNS, in turn" >&2
    reset big bigrows
    for ((i = 1; i <= RUNS; i++)); do
        timed big "$big_cmd"
        timed bigrows "$big_rows_cmd"
    done
    echo
    echo "3. summary DIR on $BIG_RECORDS records ($(du -sb "$big" | awk '{printf "%.0f", $1 / 1048576}') MiB dataset)"
    echo "   wall s $(stats "$WORKDIR/big.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/big.kib" | sort -g | tail -1)"
    echo "   without the snapshot: wall s $(stats "$WORKDIR/bigrows.s"), peak RSS MiB $(awk '{print $1/1024}' "$WORKDIR/bigrows.kib" | sort -g | tail -1)"
fi
echo
echo "load at end:$(uptime | sed 's/.*load average://')"
