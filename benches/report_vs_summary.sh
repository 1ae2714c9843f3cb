#!/usr/bin/env bash
# How much longer `report` takes than `summary` on the same generated file (issue: at most 20% longer).
# Runs alternate so that machine noise hits both alike; prints the medians and their ratio.
# Env: RECORDS (2000000), RUNS (5), WORKDIR (${TMPDIR:-/tmp}/smslens-bench), SMSLENS_BIN (default: build),
#      GEN_BIN (the workspace's generator, smslens-gen; default: build it when the data file is missing).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RECORDS=${RECORDS:-2000000}
RUNS=${RUNS:-5}
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/smslens-bench}
if [[ -z ${SMSLENS_BIN:-} ]]; then
    (cd "$repo" && cargo build --release >&2)
    SMSLENS_BIN=$repo/target/release/smslens
fi
mkdir -p "$WORKDIR"
file=$WORKDIR/records-$RECORDS.jsonl
if [[ ! -s $file ]]; then
    if [[ -z ${GEN_BIN:-} ]]; then
        (cd "$repo" && cargo build --release -p smslens-gen >&2)
        GEN_BIN=$repo/target/release/smslens-gen
    fi
    "$GEN_BIN" records --count "$RECORDS" --seed 1 -o "$file.partial" 2>/dev/null
    mv "$file.partial" "$file"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
s=() r=()
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$out/t" "$SMSLENS_BIN" summary "$file" --format json >/dev/null 2>&1
    s+=("$(cat "$out/t")")
    /usr/bin/time -f '%e' -o "$out/t" "$SMSLENS_BIN" report "$file" -o "$out/report" >/dev/null 2>&1
    r+=("$(cat "$out/t")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms=$(median "${s[@]}")
mr=$(median "${r[@]}")
echo "commands: $SMSLENS_BIN summary $file --format json   |   $SMSLENS_BIN report $file -o DIR"
echo "summary wall s: ${s[*]}  (median $ms)"
echo "report  wall s: ${r[*]}  (median $mr)"
awk -v a="$mr" -v b="$ms" 'BEGIN { printf "report/summary = %.2f\n", a / b }'
