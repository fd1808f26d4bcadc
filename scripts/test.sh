#!/bin/bash
# Installs what is needed, builds, and runs every test (unit, fuzz smoke, integration).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
