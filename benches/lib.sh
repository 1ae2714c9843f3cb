# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): building the binaries, writing the data sets,
# timing commands in turn, medians and ratios. Set BENCH (the script's name, for messages) before sourcing.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/smslens-bench}

die() { echo "${BENCH:-bench}: $*" >&2; exit 1; }
# Echo a command (shell-quoted, so it can be pasted) to stderr, then run it.
run() { echo "+ $(printf '%q ' "$@")" >&2; "$@"; }
q() { printf '%q' "$1"; }
note() { echo "$*" >&2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ -x /usr/bin/time ]] || die "GNU time is required at /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required"
mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$repo/$target_dir

# need_smslens: SMSLENS_BIN, built by `cargo build --release` unless given.
need_smslens() {
    if [[ -z ${SMSLENS_BIN:-} ]]; then
        (cd "$repo" && run cargo build --release) || die "cargo build --release failed"
        SMSLENS_BIN=$target_dir/release/smslens
    fi
    [[ -x $SMSLENS_BIN ]] || die "no smslens binary at $SMSLENS_BIN"
}
# need_gen: GEN_BIN, the workspace's generator, built only when some data must be written.
need_gen() {
    if [[ -z ${GEN_BIN:-} ]]; then
        (cd "$repo" && run cargo build --release -p smslens-gen) || die "cargo build --release -p smslens-gen failed"
        GEN_BIN=$target_dir/release/smslens-gen
    fi
    [[ -x $GEN_BIN ]] || die "no smslens-gen binary at $GEN_BIN"
}
need_duckdb() {
    if ! python3 -c 'import duckdb' 2>/dev/null; then
        run python3 -m pip install --quiet duckdb || die "pip install duckdb failed"
    fi
}

# Data files are written under a temporary name first (a killed run is not reused) and reused when present;
# the truth (JSON, printed by both generators on stderr) goes to FILE.truth.json. GENERATED lists the files
# this run wrote.
GENERATED=()
# gen_ours FILE ARGS...: `smslens-gen records ARGS... -o FILE`.
gen_ours() {
    local file=$1
    shift
    [[ -s $file ]] && return 0
    need_gen
    echo "+ $(printf '%q ' "$GEN_BIN" records "$@" -o "$file") 2> $(q "$file.truth.json")" >&2
    "$GEN_BIN" records "$@" -o "$file.partial" 2>"$file.truth.json" \
        || { cat "$file.truth.json" >&2; die "smslens-gen records failed"; }
    mv "$file.partial" "$file"
    GENERATED+=("$file")
}
# gen_indep FILE COUNT POOL SEED: benches/independent_records.py, written without smslens's generator.
gen_indep() {
    local file=$1
    [[ -s $file ]] && return 0
    echo "+ python3 $(q "$repo/benches/independent_records.py") --count $2 --pool $3 --seed $4 -o $(q "$file") 2> $(q "$file.truth.json")" >&2
    python3 "$repo/benches/independent_records.py" --count "$2" --pool "$3" --seed "$4" -o "$file.partial" \
        2>"$file.truth.json" || { cat "$file.truth.json" >&2; die "independent_records.py failed"; }
    mv "$file.partial" "$file"
    GENERATED+=("$file")
}
# free_bytes: free space where WORKDIR is.
free_bytes() { df -PB1 "$WORKDIR" | awk 'NR == 2 {print $4}'; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "n/a"}'; }

# rounds CMD...: RUNS rounds; in each, every command once, in the order given (so a machine whose speed
# drifts, a shared VM, slows all alike), under GNU time. Sets WALL[k,r] (s) and RSS[k,r] (max RSS KiB of
# the largest process) for command k (0-based) and round r.
# shellcheck disable=SC2034 # read through namerefs (vals, per_round)
declare -A WALL RSS
rounds() {
    local tf=$WORKDIR/.time k r w m
    WALL=() RSS=()
    for ((k = 1; k <= $#; k++)); do
        echo "+ ${!k}    # timed, x$RUNS, in turn with the others" >&2
    done
    for ((r = 0; r < RUNS; r++)); do
        for ((k = 0; k < $#; k++)); do
            local c=$((k + 1))
            /usr/bin/time -f '%e %M' -o "$tf" bash -c "${!c}" || { cat "$tf" >&2; die "failed: ${!c}"; }
            read -r w m <"$tf"
            # shellcheck disable=SC2034
            WALL[$k,$r]=$w RSS[$k,$r]=$m
        done
    done
}
# vals WALL|RSS K: command K's values, one round after another.
vals() {
    local -n a=$1
    local r res=()
    for ((r = 0; r < RUNS; r++)); do res+=("${a[$2,$r]}"); done
    echo "${res[*]}"
}
# per_round WALL|RSS A B: the per-round ratios A/B.
per_round() {
    local -n a=$1
    local r res=()
    for ((r = 0; r < RUNS; r++)); do res+=("$(div "${a[$2,$r]}" "${a[$3,$r]}")"); done
    echo "${res[*]}"
}
# stats_cols K: command K's median (min-max) of wall time and of peak RSS, as two table columns.
stats_cols() {
    local -a w m
    read -ra w <<<"$(vals WALL "$1")"
    read -ra m <<<"$(vals RSS "$1")"
    local mlo mhi
    mlo=$(printf '%s\n' "${m[@]}" | sort -g | head -1) mhi=$(printf '%s\n' "${m[@]}" | sort -g | tail -1)
    printf '%24s %28s' "$(median "${w[@]}") ($(minmax "${w[@]}"))" "$(mib "$(median "${m[@]}")") ($(mib "$mlo")-$(mib "$mhi"))"
}
# tool_row NAME K: a table row, and every run's figures on stderr.
tool_row() {
    printf '  %-44s %s\n' "$1" "$(stats_cols "$2")"
    note "  $1: wall s $(vals WALL "$2"); max RSS KiB $(vals RSS "$2")"
}
tool_header() { printf '  %-44s %24s %28s\n' tool 'wall s: median (min-max)' 'peak RSS MiB: median (min-max)'; }
# ratio_rows LABEL A B: A/B as the ratio of the medians and the median (min-max) of the per-round ratios.
ratio_rows() {
    local -a wa wb ma mb pw pm
    read -ra wa <<<"$(vals WALL "$2")"
    read -ra wb <<<"$(vals WALL "$3")"
    read -ra ma <<<"$(vals RSS "$2")"
    read -ra mb <<<"$(vals RSS "$3")"
    read -ra pw <<<"$(per_round WALL "$2" "$3")"
    read -ra pm <<<"$(per_round RSS "$2" "$3")"
    printf '  %-44s %24s %28s\n' "$1: ratio of medians" "$(div "$(median "${wa[@]}")" "$(median "${wb[@]}")")" \
        "$(div "$(median "${ma[@]}")" "$(median "${mb[@]}")")"
    printf '  %-44s %24s %28s\n' "$1: per-round" "$(median "${pw[@]}") ($(minmax "${pw[@]}"))" \
        "$(median "${pm[@]}") ($(minmax "${pm[@]}"))"
}
load_now() { uptime | sed 's/.*load average: *//'; }
