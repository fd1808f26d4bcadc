#!/bin/bash
# Installs what is needed, builds, and runs the server in the foreground on conf/srs.conf.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p objs/nginx/html
exec ./build/srs -c "${1:-conf/srs.conf}"
