#!/usr/bin/env bash
# How `smslens summary` scales with the input: wall time and peak RSS on files of 2 M, 8 M and 20 M records
# (ours, smslens-gen) and of 2 M and 8 M (the independent high-cardinality set), and the time ratio of each
# size to the smallest (issue 13: 8 M within 4.4x the time of 2 M). Each bigger file is timed in turn with
# the smallest one, round after round, so the ratio is paired. Files written by this run that are bigger
# than the smallest are deleted once measured (KEEP=1 keeps them); a size whose file would not fit on the
# disk (with DISK_MARGIN_GB to spare) is skipped and said so.
# Usage: bash benches/scaling.sh
#
# Env: SIZES ("2000000 8000000 20000000", ours)  INDEP_SIZES ("2000000 8000000"; "" for none)
#      RUNS (3)  WORKDIR (${TMPDIR:-/tmp}/smslens-bench)  SMSLENS_BIN, GEN_BIN (default: build)
#      KEEP (0)  DISK_MARGIN_GB (2)  INDEP_SEED (11)
set -euo pipefail
BENCH=scaling
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZES=${SIZES:-2000000 8000000 20000000}
INDEP_SIZES=${INDEP_SIZES-2000000 8000000}
KEEP=${KEEP:-0}
DISK_MARGIN_GB=${DISK_MARGIN_GB:-2}
INDEP_SEED=${INDEP_SEED:-11}
for n in $SIZES $INDEP_SIZES; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES and INDEP_SIZES must be positive integers (got '$n')"
done
[[ $DISK_MARGIN_GB =~ ^[0-9]+$ ]] || die "DISK_MARGIN_GB must be a whole number of GB"
need_smslens
note "machine: $(nproc) cores; load at start: $(load_now); free disk at $WORKDIR: $(awk -v b="$(free_bytes)" 'BEGIN {printf "%.1f GB", b / 1e9}')"
echo "smslens summary --format json: scaling with the input (RUNS=$RUNS; each size in turn with the smallest)"

# series NAME BYTES_PER_RECORD FILE_OF SIZES...: FILE_OF N names the file of N records; make_NAME N FILE writes it.
make_ours() { gen_ours "$2" --count "$1" --seed 1; }
make_independent() { gen_indep "$2" "$1" "$1" "$INDEP_SEED"; }
file_ours() { echo "$WORKDIR/records-$1.jsonl"; }
file_independent() { echo "$WORKDIR/independent-$1-pool$1-seed$INDEP_SEED.jsonl"; }
series() {
    local name=$1 per=$2 base=$3 n file bfile rows=() sm_base sm
    shift 3
    bfile=$("file_$name" "$base")
    "make_$name" "$base" "$bfile"
    sm_base="$(q "$SMSLENS_BIN") summary $(q "$bfile") --format json > /dev/null"
    bash -c "$sm_base" || die "smslens failed on $bfile"
    local -a bw=() bm=()
    for n in "$@"; do
        file=$("file_$name" "$n")
        if [[ ! -s $file ]]; then
            local need=$((n * per + DISK_MARGIN_GB * 1000000000)) free
            free=$(free_bytes)
            if ((free < need)); then
                rows+=("$(printf '  %-12s %11s   skipped: its file needs about %.1f GB (+%s GB margin), %.1f GB free' \
                    "$name" "$n" "$(awk -v b=$((n * per)) 'BEGIN {print b / 1e9}')" "$DISK_MARGIN_GB" "$(awk -v b="$free" 'BEGIN {print b / 1e9}')")")
                continue
            fi
        fi
        local before=${#GENERATED[@]}
        "make_$name" "$n" "$file"
        local wrote=$((${#GENERATED[@]} > before))
        sm="$(q "$SMSLENS_BIN") summary $(q "$file") --format json > /dev/null"
        bash -c "$sm" >/dev/null || die "smslens failed on $file" # untimed: the page cache
        rounds "$sm_base" "$sm"
        local r
        for ((r = 0; r < RUNS; r++)); do bw+=("${WALL[0,$r]}") bm+=("${RSS[0,$r]}"); done
        local -a w m pw b0 m0
        read -ra w <<<"$(vals WALL 1)"
        read -ra m <<<"$(vals RSS 1)"
        read -ra b0 <<<"$(vals WALL 0)"
        read -ra m0 <<<"$(vals RSS 0)"
        read -ra pw <<<"$(per_round WALL 1 0)"
        local size mw
        size=$(stat -L -c %s "$file")
        mw=$(median "${w[@]}")
        rows+=("$(printf '  %-12s %11s %10.1f %24s %14s %12s %24s %10s %10s' "$name" "$n" "$(awk -v b="$size" 'BEGIN {print b / 1048576}')" \
            "$mw ($(minmax "${w[@]}"))" "$(mib "$(median "${m[@]}")")" "$(div "$mw" "$(median "${b0[@]}")")" \
            "$(median "${pw[@]}") ($(minmax "${pw[@]}"))" "$(div "$(median "${m[@]}")" "$(median "${m0[@]}")")" \
            "$(awk -v a="$n" -v b="$base" 'BEGIN {printf "%.1f", a / b}')")")
        note "  $name $n: wall s ${w[*]}; max RSS KiB ${m[*]}; paired base runs wall s $(vals WALL 0)"
        if ((wrote)) && [[ $KEEP != 1 ]]; then
            run rm -f "$file" "$file.truth.json"
        fi
    done
    if ((${#bw[@]} == 0)); then # no bigger size measured: the base alone
        rounds "$sm_base"
        read -ra bw <<<"$(vals WALL 0)"
        read -ra bm <<<"$(vals RSS 0)"
    fi
    local bsize
    bsize=$(stat -L -c %s "$bfile")
    echo
    printf '  %-12s %11s %10s %24s %14s %12s %24s %10s %10s\n' "data set" records 'file MiB' 'wall s: median (min-max)' \
        'peak RSS MiB' 'time ratio' 'paired: median (min-max)' 'RSS ratio' 'size ratio'
    printf '  %-12s %11s %10.1f %24s %14s %12s %24s %10s %10s\n' "$name" "$base" "$(awk -v b="$bsize" 'BEGIN {print b / 1048576}')" \
        "$(median "${bw[@]}") ($(minmax "${bw[@]}"))" "$(mib "$(median "${bm[@]}")")" 1 '(the base)' 1 1.0
    ((${#rows[@]} == 0)) || printf '%s\n' "${rows[@]}"
}
read -ra ours_sizes <<<"$SIZES"
series ours 340 "${ours_sizes[0]}" "${ours_sizes[@]:1}"
if [[ -n $INDEP_SIZES ]]; then
    read -ra indep_sizes <<<"$INDEP_SIZES"
    series independent 400 "${indep_sizes[0]}" "${indep_sizes[@]:1}"
fi
echo
echo "time ratio: median wall time at that size / median wall time of the base runs timed in turn with it;"
echo "paired: the per-round ratios. Linear cost: time ratio = size ratio (issue 13: 8 M within 4.4x of 2 M)."
echo "load at end: $(load_now)"
