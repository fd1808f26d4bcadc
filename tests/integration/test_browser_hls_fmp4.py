"""HLS with fMP4 segments in a real browser (issue 18): headless Chromium plays the server's
fMP4 HLS with hls.js through the shared harness (tests/browser/play.js via srs_browser), for 10 s
after start-up:

- H.264+AAC 640x360 published by ffmpeg in real time, opened at the stream's URL
  (/live/h264.m3u8: hls_ctx is on, the server answers with the session's multivariant playlist);
- AV1+Opus 640x360 published by srs_bench (enhanced RTMP) from an MP4 that ffmpeg makes at test
  time, which MPEG-TS cannot carry, opened at the documented multivariant URL
  (/live/av1-master.m3u8).

Both streams are published first, so a few 1 s segments exist when the players start. Each must
advance currentTime >= 8 s at the stream's pace, at the published size, with its frames decoded,
no stall a viewer would notice and no fatal error."""

import os
import shutil
import tempfile
import unittest

import srs_browser
from srs_browser import FPS
import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, stop_process, wait_for

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 1; hls_window 10; hls_use_fmp4 on; }}
}}
"""

# Publishers outlive the start-up and the measured windows of both players; tearDown stops them.
PUBLISH_SECONDS = 90


class BrowserHlsFmp4Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        srs_browser.require()
        cls.tmp = tempfile.mkdtemp(prefix="srs-browser-hls-fmp4-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.srs = SrsProcess(CONF)
        cls.addClassCleanup(cls.srs.cleanup)
        cls.addClassCleanup(cls.srs.stop)
        cls.srs.start()
        cls.pubs = {}
        cls.addClassCleanup(lambda: [stop_process(p) for p in cls.pubs.values()])
        src = os.path.join(cls.tmp, "av1.mp4")
        srs_browser.make_av1_opus(src)
        cls.pubs["h264"] = srs_browser.publish_h264(cls.srs.rtmp, "h264", PUBLISH_SECONDS, gop=FPS)
        cls.pubs["av1"] = srs_browser.publish_mp4(cls.srs.rtmp, src, "av1", PUBLISH_SECONDS)
        for stream, p in cls.pubs.items():
            cls.srs.wait_publishing(stream, proc=p)
        # A few segments of each before a player asks (hls.js starts three target durations
        # from the live edge).
        for stream in cls.pubs:
            m3u8 = os.path.join(cls.srs.dir, "html", "live", "%s.m3u8" % stream)
            ok = wait_for(lambda: srs_testlib.read_text(m3u8).count("#EXTINF") >= 3, 20, 0.2)
            if not ok:
                raise AssertionError("no fMP4 HLS of %s: %s" % (stream, cls.srs.log()[-2000:]))

    def check(self, stream, path):
        url = "http://127.0.0.1:%d%s" % (self.srs.http, path)
        return srs_browser.play_and_check(self, "hls", url, self.srs, self.pubs[stream])

    def test_h264_aac(self):
        self.check("h264", "/live/h264.m3u8")

    def test_av1_opus(self):
        self.check("av1", "/live/av1-master.m3u8")


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
