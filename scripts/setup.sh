#!/bin/bash
# Installs every Debian package the build and the tests need. Idempotent: runs
# apt-get update and install only when something is missing.
set -euo pipefail

PACKAGES=(
    build-essential cmake pkg-config patch xz-utils ca-certificates
    libssl-dev libhttp-parser-dev libgtest-dev libgmock-dev nlohmann-json3-dev
    libgoogle-perftools-dev
    clang libclang-rt-14-dev clang-format
    python3 curl ffmpeg rtmpdump procps redis-server ccache
    # The tcp_nodelay behaviour test reads the server's setsockopt calls (test_directives.py).
    strace
    # A publisher that re-sends its metadata mid-stream (flvmux, tests/integration/test_phantom_streams.py).
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-plugins-ugly gstreamer1.0-libav
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup: all ${#PACKAGES[@]} packages are installed"
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only when an install from the current lists fails.
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/srs-setup-apt.log 2>&1; then
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/srs-setup-apt.log 2>&1 || {
        tail -20 /tmp/srs-setup-apt.log >&2
        exit 1
    }
fi
echo "setup: done"
