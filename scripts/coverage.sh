#!/bin/bash
# Builds the unit tests with gcov instrumentation into build-cov/, runs them, and prints the
# line coverage of each layer (and of each file with --files).
#   scripts/coverage.sh [--files] [layer...]     e.g. scripts/coverage.sh protocol
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=0
if [[ ${1:-} == --files ]]; then
    FILES=1
    shift
fi
LAYERS=("$@")
[[ ${#LAYERS[@]} -eq 0 ]] && LAYERS=(core kernel protocol app)
BUILD_DIR=build-cov
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DSRS_COVERAGE=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target srs_utest >/dev/null
find "$BUILD_DIR" -name '*.gcda' -delete
(cd "$BUILD_DIR" && ./srs_utest --gtest_brief=1 >/dev/null)

for layer in "${LAYERS[@]}"; do
    objdir="$BUILD_DIR/CMakeFiles/srs_$layer.dir/src/$layer"
    [[ -d $objdir ]] || continue
    # gcov prints "File '...'" then "Lines executed:P% of N" per source file.
    (cd "$objdir" && gcov -n ./*.gcno 2>/dev/null) | awk -v layer="$layer" -v files="$FILES" '
        /^File / { f = $2; gsub(/\047/, "", f); next }
        /^Lines executed:/ {
            if (f !~ "/src/" layer "/" || f ~ /\.hpp$/) { next }
            split($2, a, ":"); pct = a[2]; sub(/%/, "", pct); n = $4
            hit = pct * n / 100; th += hit; tn += n
            if (files) printf "  %-55s %6.1f%% of %d\n", substr(f, index(f, "/src/") + 1), pct, n
        }
        END { if (tn) printf "%-10s %6.1f%% of %d lines\n", layer, 100 * th / tn, tn }'
done
