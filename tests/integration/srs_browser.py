"""Web players in headless Chromium for the integration tests: runs tests/browser/play.js (hls.js,
mpegts.js, dash.js or a bare <video> in Debian's chromium, driven by puppeteer-core) and returns
its measurements. scripts/setup.sh installs the browser and the npm packages; a missing one fails
the test instead of skipping it, since a browser test that did not run proves nothing."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from srs_testlib import MAX_GAP, REALTIME_RATIO, ROOT, read_text

BROWSER_DIR = os.path.join(ROOT, "tests", "browser")
PLAY_JS = os.path.join(BROWSER_DIR, "play.js")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def missing():
    """What the browser tests lack on this machine, "" when nothing."""
    if not shutil.which("node"):
        return "node is not installed"
    if not os.path.exists(CHROMIUM):
        return "%s is not installed" % CHROMIUM
    for pkg in ("puppeteer-core", "hls.js", "mpegts.js", "dashjs"):
        if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", pkg)):
            return "tests/browser/node_modules/%s is not installed" % pkg
    return ""


def play(player, url, seconds=10, startup=20):
    """Plays url with player ("hls", "mpegts", "dash", "video", or "probe" for the codec list
    alone) for `seconds` after playback starts. Returns play.js's result dict plus "exit" (its
    exit code: 0 measured, 1 fatal player error or no start, 2 harness error, 3 time bound)."""
    why = missing()
    if why:
        raise AssertionError("browser test cannot run: %s (scripts/setup.sh installs it)" % why)
    tmp = tempfile.mkdtemp(prefix="srs-browser-")
    pidfile = os.path.join(tmp, "chromium.pid")
    cmd = ["node", PLAY_JS, "--player", player, "--seconds", str(seconds), "--startup", str(startup),
           "--chromium", CHROMIUM, "--pidfile", pidfile, "--profile", os.path.join(tmp, "profile")]
    if url:
        cmd += ["--url", url]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=startup + seconds + 45)
    except subprocess.TimeoutExpired:
        out, err = "", "play.js did not end in time"
    finally:
        # Whatever happened, no browser outlives the test: node's group, then Chromium's own.
        _kill_group(p.pid)
        p.wait()
        _kill_chromium(pidfile)
        shutil.rmtree(tmp, ignore_errors=True)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError("play.js printed no result (exit %s): %s %s" % (p.returncode, out[-500:], err[-1500:]))
    result = json.loads(lines[-1])
    result["exit"] = p.returncode
    result["stderr"] = err[-1500:]
    return result


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_chromium(pidfile):
    """Kills the Chromium that play.js recorded, if it still runs. Chromium starts a session of its
    own (so the node group does not hold it), and its zygote and renderers are in the browser
    process's group; its crash handlers exit with it."""
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip() or 0)
    except (OSError, ValueError):
        pid = 0
    # The pid is checked to still be a Chromium browser: a pid reused since must not be killed.
    try:
        if pid > 0 and "chromium" in read_text("/proc/%d/cmdline" % pid) and os.getpgid(pid) == pid:
            _kill_group(pid)
    except ProcessLookupError:
        pass


def summary(r):
    """The result without its samples, for assertion messages."""
    return json.dumps({k: v for k, v in r.items() if k not in ("samples", "mse")}, sort_keys=True)


def assert_played(test, r, width, height, fps, min_played=8.0, ratio=REALTIME_RATIO, max_stall=MAX_GAP, note=""):
    """What a viewer would notice: the player started with no fatal error, currentTime advanced at
    least min_played seconds and `ratio` of the measured wall time, the picture never froze longer
    than max_stall, it has the published size, and its frames were decoded (not just audio).
    note goes into the failure message (say, how the publisher ended)."""
    msg = (note + " " if note else "") + summary(r)
    test.assertEqual(0, r["exit"], msg)
    test.assertTrue(r["ok"] and r["started"] and not r["fatal"], msg)
    test.assertGreaterEqual(r["played_s"], min_played, msg)
    test.assertGreaterEqual(r["played_s"], ratio * r["span_s"], msg)
    test.assertLessEqual(r["max_stall_s"], max_stall, msg)
    test.assertEqual((width, height), (r["width"], r["height"]), msg)
    test.assertGreaterEqual(r["frames_in_span"], ratio * fps * r["span_s"], msg)


# The streams the browser tests publish: big enough that a wrong size is told apart, at a rate
# whose frame count a stalled player visibly misses.
WIDTH, HEIGHT, FPS = 640, 360, 25
SECONDS = 10


def require():
    """Fails (never skips) a test on a machine without the browser, before its server starts."""
    why = missing()
    if why:
        raise AssertionError("browser test cannot run: %s (scripts/setup.sh installs it)" % why)


def publish_h264(rtmp_port, stream, seconds, gop=2 * FPS, stderr=subprocess.DEVNULL):
    """ffmpeg publishes H.264 + AAC (WIDTH x HEIGHT at FPS, a keyframe every gop frames) in real
    time for seconds."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS),
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(gop),
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/%s" % (rtmp_port, stream)],
        stdout=subprocess.DEVNULL, stderr=stderr)


def make_av1_opus(path):
    """A 4 s AV1 + Opus MP4 of WIDTH x HEIGHT, a keyframe a second, for publish_mp4."""
    from srs_testlib import run
    run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS),
         "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "4", "-c:v", "libsvtav1", "-preset", "12", "-g",
         str(FPS), "-c:a", "libopus", "-b:a", "32k", path], timeout=120, check=True)


def publish_mp4(rtmp_port, path, stream, seconds):
    """srs_bench publishes the file in real time, looped, as enhanced RTMP (av01 + Opus)."""
    from srs_exrtmp import bench_binary
    return subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u",
                             "rtmp://127.0.0.1:%d/live/%s" % (rtmp_port, stream), "-i", path,
                             "-d", str(seconds), "-n", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def play_and_check(test, player, url, srs, pub, context=None):
    """Plays url for SECONDS with player and asserts it played as a viewer expects
    (assert_played, WIDTH x HEIGHT at FPS). A failure says whether the publisher ended meanwhile
    (a stall it caused is not the server's), what context() returns (a playlist...) and the
    server's last warnings. Returns the measurements."""
    r = play(player, url, seconds=SECONDS)
    print("%s %s: %s" % (player, url, summary(r)), file=sys.stderr)
    rc = pub.poll()
    note = "" if rc is None else "the publisher ended (exit %s) while the player played;" % rc
    try:
        assert_played(test, r, WIDTH, HEIGHT, FPS, note=note)
    except AssertionError as e:
        warns = [line for line in srs.log().splitlines() if "[Warn]" in line or "[Error]" in line]
        more = context() if context else ""
        raise AssertionError("%s\n%sserver warnings:\n%s" % (e, more, "\n".join(warns[-20:]))) from None
    return r
