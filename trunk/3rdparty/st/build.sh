#!/bin/bash
# Builds State Threads 1.9 as a static library with epoll, from Debian's own
# source package (Debian's binary libst is built without epoll: select/poll only).
#   build.sh OUTDIR    -> OUTDIR/lib/libst.a and OUTDIR/include/st.h
# With SRS_ST_SANITIZE=1 (the SRS_SANITIZE=ON tree), every context switch is announced to
# AddressSanitizer (patches/02-asan-fiber-switches.patch) and ST's own memory accesses are
# checked too, so a freed condition variable or thread is reported where it is touched.
# The source is fetched once into a download cache (SRS_3RDPARTY_CACHE, default
# trunk/3rdparty/st/download) and verified by sha256 before use.
set -euo pipefail

OUT=${1:?usage: build.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SRS_3RDPARTY_CACHE:-$HERE/download}

ORIG=st_1.9.orig.tar.gz
ORIG_SHA=b10d6f25bded6fedd5d22d950fc60ae137f363e14456e35ba7b295e0924a7db1
DEB=st_1.9-3.2.debian.tar.xz
DEB_SHA=580e0a1f52a36f8bab564dd65a2e34621bfa9f518590ca19e68363c10e8034b3

# Our own patches (patches/*.patch, applied after Debian's in name order). The stamp holds
# the hash of this script and the patches, so a build dir rebuilds the library when they change.
SANITIZE=${SRS_ST_SANITIZE:-0}
STAMP_WANT=$( (cat "$0" "$HERE"/patches/*.patch 2>/dev/null; echo "sanitize=$SANITIZE") | sha256sum | cut -d' ' -f1)
if [[ -f $OUT/lib/libst.a && -f $OUT/include/st.h && "$(cat "$OUT/lib/libst.stamp" 2>/dev/null)" == "$STAMP_WANT" ]]; then
    exit 0
fi

verified() {
    [[ -f $CACHE/$ORIG && -f $CACHE/$DEB ]] &&
        echo "$ORIG_SHA  $CACHE/$ORIG" | sha256sum -c --status &&
        echo "$DEB_SHA  $CACHE/$DEB" | sha256sum -c --status
}

fetch() {
    # A private deb-src list and lists dir, so the system's apt config is not touched.
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    echo "deb-src http://deb.debian.org/debian bookworm main" >"$tmp/sources.list"
    mkdir -p "$tmp/lists/partial"
    local opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$tmp/lists" -o "APT::Sandbox::User=root")
    apt-get "${opts[@]}" -qq update
    (cd "$tmp" && apt-get "${opts[@]}" -qq source --download-only st=1.9-3.2)
    mkdir -p "$CACHE"
    cp "$tmp/$ORIG" "$tmp/$DEB" "$CACHE/"
}

if ! verified; then
    echo "st: fetching Debian source package st 1.9-3.2 into $CACHE"
    fetch
    if ! verified; then
        echo "st: sha256 mismatch for $ORIG or $DEB in $CACHE" >&2
        exit 1
    fi
fi

SRC=$OUT/src
rm -rf "$SRC"
mkdir -p "$SRC" "$OUT/lib" "$OUT/include"
tar -xzf "$CACHE/$ORIG" -C "$SRC"
tar -xJf "$CACHE/$DEB" -C "$SRC"
cd "$SRC/st-1.9"
while read -r patch; do
    [[ -z $patch || $patch == \#* ]] && continue
    patch -s -p1 <"$SRC/debian/patches/$patch"
done <"$SRC/debian/patches/series"
for patch in "$HERE"/patches/*.patch; do
    [[ -f $patch ]] || continue
    patch -s -p1 <"$patch"
done

CFLAGS=(-O2 -g -fPIC -DLINUX -DMD_HAVE_EPOLL -DNDEBUG -w -Wa,--noexecstack)
if [[ $SANITIZE == 1 ]]; then
    CFLAGS+=(-DST_ASAN_FIBERS -fno-omit-frame-pointer)
fi
objs=()
for f in event.c io.c key.c sched.c stk.c sync.c md.S; do
    flags=("${CFLAGS[@]}")
    # The scheduler and the context switch itself stay uninstrumented: they move between
    # stacks in the middle of a function.
    if [[ $SANITIZE == 1 && $f != sched.c && $f != md.S ]]; then
        flags+=(-fsanitize=address)
    fi
    gcc "${flags[@]}" -c "$f" -o "${f%.*}.o"
    objs+=("${f%.*}.o")
done
ar rcs "$OUT/lib/libst.a.tmp" "${objs[@]}"
cp public.h "$OUT/include/st.h"
mv "$OUT/lib/libst.a.tmp" "$OUT/lib/libst.a"
echo "$STAMP_WANT" >"$OUT/lib/libst.stamp"
echo "st: built $OUT/lib/libst.a with epoll"
