#!/usr/bin/env bash
# How much longer `smslens report` takes than `smslens summary` on the same file (issue 13: at most 1.15x),
# on two data sets: ours (smslens-gen) and a high-cardinality independent one. `report -o DIR` keeps the
# inputs' SHA-256 digests in DIR (.smslens-digests) and reuses them when it reports into DIR again, so both
# cases are timed: a fresh DIR every run (digests computed) and the same DIR again (digests reused).
# The three commands run in turn, round after round; prints medians, min-max and the ratios.
# Usage: bash benches/report_vs_summary.sh
#
# Env: RECORDS (2000000)  RUNS (5)  WORKDIR (${TMPDIR:-/tmp}/smslens-bench)  SMSLENS_BIN (default: build)
#      GEN_BIN (default: build it when a data file is missing)  INDEP_POOL (RECORDS)  INDEP_SEED (11)
set -euo pipefail
BENCH=report_vs_summary
RUNS=${RUNS:-5}
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RECORDS=${RECORDS:-2000000}
INDEP_POOL=${INDEP_POOL:-$RECORDS}
INDEP_SEED=${INDEP_SEED:-11}
for v in RECORDS INDEP_POOL; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
need_smslens
ours=$WORKDIR/records-$RECORDS.jsonl
indep=$WORKDIR/independent-$RECORDS-pool$INDEP_POOL-seed$INDEP_SEED.jsonl
gen_ours "$ours" --count "$RECORDS" --seed 1
gen_indep "$indep" "$RECORDS" "$INDEP_POOL" "$INDEP_SEED"

out=$(mktemp -d "$WORKDIR/reports.XXXXXX")
trap 'rm -rf "$out"' EXIT
note "machine: $(nproc) cores; load at start: $(load_now)"
echo "smslens report vs summary (RUNS=$RUNS, the three commands in turn each round)"

# measure NAME FILE DESCRIPTION
measure() {
    local name=$1 file=$2 sm fresh again same=$out/$1-same
    sm="$(q "$SMSLENS_BIN") summary $(q "$file") --format json > /dev/null"
    # a new directory for every run: `mktemp -u` names one that does not exist yet
    fresh="d=\$(mktemp -u $(q "$out/$name-fresh").XXXXXX) && $(q "$SMSLENS_BIN") report $(q "$file") -o \"\$d\" > /dev/null"
    again="$(q "$SMSLENS_BIN") report $(q "$file") -o $(q "$same") > /dev/null"
    note
    # untimed: warms the page cache and writes the report whose digests the "again" runs reuse
    run "$SMSLENS_BIN" report "$file" -o "$same" >/dev/null || die "smslens report failed on $file"
    rounds "$sm" "$fresh" "$again"
    # what the last report into the same DIR says in its audit trail (index.html)
    local audit
    audit=$(grep -oE 'input digests</th><td>[^<]*' "$same/index.html" 2>/dev/null | head -1 | sed 's/.*<td>//')
    rm -rf "$out/$name-fresh".*
    echo
    echo "$name: $3"
    echo "  file: $file ($RECORDS records, $(awk -v b="$(stat -L -c %s "$file")" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
    [[ -n $audit ]] && echo "  audit trail of the last report into SAME_DIR: input digests: $audit"
    tool_header
    tool_row "summary --format json" 0
    tool_row "report -o NEW_DIR (digests computed)" 1
    tool_row "report -o SAME_DIR (digests reused)" 2
    ratio_rows "report fresh/summary" 1 0
    ratio_rows "report again/summary" 2 0
}
measure ours "$ours" "smslens-gen records --count $RECORDS --seed 1"
measure independent "$indep" "independent_records.py --count $RECORDS --pool $INDEP_POOL --seed $INDEP_SEED"
echo
echo "load at end: $(load_now)"
