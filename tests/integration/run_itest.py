"""Runs one integration script for ctest: its tests, then the list of what was skipped, and a
failure in CI (CI=true) for any skip that tests/skip-allowlist.txt does not allow.
    python3 tests/integration/run_itest.py tests/integration/test_x.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srs_testlib  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(srs_testlib.run_script(sys.argv[1]))
