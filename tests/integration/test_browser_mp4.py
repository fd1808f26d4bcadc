"""The HTTP-MP4 mount in a real browser: headless Chromium plays `/live/<stream>.mp4` in a bare
<video src=...> (no JavaScript player, no MSE) for 10 s after start-up, through the shared harness
(tests/browser/play.js via srs_browser): H.264+AAC 640x360 published by ffmpeg in real time, and
AV1+Opus 640x360 published by srs_bench (enhanced RTMP) from an MP4 that ffmpeg makes at test
time. Each must advance currentTime >= 8 s at the stream's pace, at the published size, with its
frames decoded, no stall a viewer would notice and no media error."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import srs_browser
import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, stop_process

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].mp4; }}
}}
"""

WIDTH, HEIGHT, FPS = 640, 360, 25
SECONDS = 10


def bench_binary():
    d = os.environ.get("SRS_BUILD_DIR") or os.path.join(srs_testlib.ROOT, "build")
    path = os.path.join(d, "srs_bench")
    if not os.path.exists(path):
        raise AssertionError("srs_bench not built: %s" % path)
    return path


def publish_h264(srs, seconds):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS),
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(2 * FPS),
         "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
         "-f", "flv", "rtmp://127.0.0.1:%d/live/h264" % srs.rtmp],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def publish_mp4(srs, path, stream, seconds):
    """srs_bench publishes the file in real time, looped, as enhanced RTMP (av01 + Opus)."""
    return subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u",
                             "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream), "-i", path,
                             "-d", str(seconds), "-n", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class BrowserMp4Test(unittest.TestCase):
    def setUp(self):
        # A machine without the browser fails here, before the server starts.
        why = srs_browser.missing()
        self.assertFalse(why, "browser test cannot run: %s (scripts/setup.sh installs it)" % why)
        self.tmp = tempfile.mkdtemp(prefix="srs-browser-mp4-")
        self.srs = SrsProcess(CONF)
        self.srs.start()
        self.pub = None

    def tearDown(self):
        if self.pub is not None:
            stop_process(self.pub)
        self.srs.stop()
        self.srs.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, stream):
        url = "http://127.0.0.1:%d/live/%s.mp4" % (self.srs.http, stream)
        r = srs_browser.play("video", url, seconds=SECONDS)
        print("video %s: %s" % (url, srs_browser.summary(r)), file=sys.stderr)
        # A stall caused by the publisher is told apart from one caused by the server.
        rc = self.pub.poll()
        note = "" if rc is None else "the publisher ended (exit %s) while the player played;" % rc
        try:
            srs_browser.assert_played(self, r, WIDTH, HEIGHT, FPS, note=note)
        except AssertionError as e:
            warns = [line for line in self.srs.log().splitlines() if "[Warn]" in line or "[Error]" in line]
            raise AssertionError("%s\nserver warnings:\n%s" % (e, "\n".join(warns[-20:]))) from None
        return r

    def test_h264_aac(self):
        # Outlives start-up and the measured window by far; tearDown stops it.
        self.pub = publish_h264(self.srs, 90)
        self.srs.wait_publishing("h264", proc=self.pub)
        self.check("h264")

    def test_av1_opus(self):
        src = os.path.join(self.tmp, "av1.mp4")
        srs_testlib.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                         "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS), "-f", "lavfi", "-i",
                         "sine=sample_rate=48000", "-t", "4", "-c:v", "libsvtav1", "-preset", "12", "-g", str(FPS),
                         "-c:a", "libopus", "-b:a", "32k", src], timeout=120, check=True)
        self.pub = publish_mp4(self.srs, src, "av1", 90)
        self.srs.wait_publishing("av1", proc=self.pub)
        self.check("av1")


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
