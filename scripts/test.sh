#!/bin/bash
# Installs what is needed, builds, and runs every test (unit, fuzz smoke, integration) twice:
# on the Release tree (build/) and on an AddressSanitizer+UBSan tree (build-asan/, tests named
# asan_*), the two ctest runs side by side. Fails when either fails; a sanitizer report fails
# the test that caused it (the unit tests abort, the integration harness checks the server's
# stderr).
#   scripts/test.sh [ctest args...]      SRS_TEST_SANITIZE=0 runs the Release tree only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

SANITIZE=${SRS_TEST_SANITIZE:-1}
# Tests of one tree run two at a time: integration scripts use their own free ports and temp
# dirs, and mostly wait on real-time media, so two trees times two tests fit two cores.
JOBS=${SRS_TEST_JOBS:-2}

start=$(date +%s)
scripts/build.sh
if [[ $SANITIZE == 1 ]]; then
    BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo scripts/build.sh -DSRS_SANITIZE=ON
fi
echo "test: built in $(($(date +%s) - start)) s"

# Runs ctest in a tree, each line prefixed with the tree's name; the status goes to a file.
run_tree() {
    local dir=$1 name=$2
    shift 2
    set +e
    (cd "$dir" && ctest --output-on-failure --timeout 900 -j"$JOBS" "$@") 2>&1 | sed -u "s/^/[$name] /"
    echo "${PIPESTATUS[0]}" >"$dir/ctest.status"
    set -e
}

rm -f build/ctest.status build-asan/ctest.status
run_tree build release "$@" &
pids=($!)
if [[ $SANITIZE == 1 ]]; then
    run_tree build-asan asan "$@" &
    pids+=($!)
fi
for p in "${pids[@]}"; do
    wait "$p"
done

rc=0
for dir in build build-asan; do
    [[ $dir == build-asan && $SANITIZE != 1 ]] && continue
    status=$(cat "$dir/ctest.status" 2>/dev/null || echo 1)
    echo "test: $dir: ctest exit $status"
    if [[ $status != 0 ]]; then
        rc=1
        # A short digest at the very end: a long failure output above may be cut by whoever
        # shows this log, and the first lines of each failure are what tells it apart.
        grep -aE '^(FAIL|ERROR): |, line [0-9]+, in test_|Error: |\[  FAILED  \]|AddressSanitizer|runtime error:' \
            "$dir/Testing/Temporary/LastTest.log" 2>/dev/null | cut -c1-400 | head -40 |
            sed "s|^|test: $dir: |" || true
    fi
done
echo "test: done in $(($(date +%s) - start)) s"
exit $rc
