#!/bin/bash
# Builds every libFuzzer target in src/fuzz with clang into build-fuzz/ and runs each one
# for the given seconds (default 30) on a copy of its seed corpus in
# src/fuzz/corpus/<target without srs_fuzz_>/. Fails when any target crashes; the crashing
# input is kept in build-fuzz/artifacts/.
#   scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}
BUILD_DIR=build-fuzz
JOBS=${JOBS:-2}
# A fixed seed keeps CI runs reproducible; FUZZ_SEED=0 lets libFuzzer pick one (longer local runs).
FUZZ_SEED=${FUZZ_SEED:-1}
# With the fixed seed, a fixed number of runs makes the smoke deterministic: what passed here passes
# in CI, whatever the machine's speed (the time bound still applies on a slow machine).
FUZZ_RUNS=${FUZZ_RUNS:-300000}

targets=()
for f in src/fuzz/srs_fuzz_*.cpp; do
    [ -e "$f" ] || continue
    targets+=("$(basename "$f" .cpp)")
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "no fuzz targets in src/fuzz" >&2
    exit 1
fi

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DSRS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target "${targets[@]}"

# UBSan findings are crashes too.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

mkdir -p "$BUILD_DIR/artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
    name=${t#srs_fuzz_}
    corpus="$work/$name"
    mkdir -p "$corpus"
    if [ -d "src/fuzz/corpus/$name" ]; then
        cp -r "src/fuzz/corpus/$name/." "$corpus/"
    fi
    echo "=== $t: ${SECONDS_PER_TARGET}s on $(ls "$corpus" | wc -l) seeds"
    log="$BUILD_DIR/artifacts/$t.log"
    if "$BUILD_DIR/$t" -max_total_time="$SECONDS_PER_TARGET" -seed="$FUZZ_SEED" -runs="$FUZZ_RUNS" -print_final_stats=1 \
        -artifact_prefix="$BUILD_DIR/artifacts/$t-" "$corpus" >"$log" 2>&1; then
        runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk "{print \$2}" || true)
        cov=$(grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed 's/^.*DONE[[:space:]]*//' || true)
        echo "    ok: ${runs:-?} executions; $cov"
    else
        echo "    CRASH: see $log"
        grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -5 || true
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets failed: ${failed[*]}" >&2
    exit 1
fi
echo "all ${#targets[@]} fuzz targets passed"
