#!/bin/bash
# Installs every Debian package the build and the tests need, then the browser tests' npm
# packages (tests/browser). Idempotent: runs apt-get update and install, and npm ci, only when
# something is missing or the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

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
    # Browser tests: Debian's Chromium, driven from Node.js (tests/browser, srs_browser.py).
    chromium nodejs
)
# npm comes with NodeSource's nodejs (which conflicts with Debian's npm package) and separately
# with Debian's own nodejs: ask for the package only when the command is missing.
if ! command -v npm >/dev/null; then
    PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

install_debian() {
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "setup: all ${#PACKAGES[@]} packages are installed"
        return
    fi
    local SUDO=""
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
}

# The players and puppeteer-core at the versions of the committed lock file. A copy of the lock
# inside node_modules marks an install that finished: when it equals the lock, nothing to do.
install_npm() {
    local dir=tests/browser
    if cmp -s "$dir/package-lock.json" "$dir/node_modules/.srs-installed-lock.json"; then
        echo "setup: $dir/node_modules is up to date"
        return
    fi
    echo "setup: npm ci in $dir"
    # puppeteer-core downloads no browser; the variable also covers a dependency that would.
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/tmp/srs-setup-npm.log 2>&1) || {
        tail -20 /tmp/srs-setup-npm.log >&2
        exit 1
    }
    cp "$dir/package-lock.json" "$dir/node_modules/.srs-installed-lock.json"
}

install_debian
install_npm
echo "setup: done"
