"""The HTTP-MP4 mount in a real browser: headless Chromium plays `/live/<stream>.mp4` in a bare
<video src=...> (no JavaScript player, no MSE) for 10 s after start-up, through the shared harness
(tests/browser/play.js via srs_browser): H.264+AAC 640x360 published by ffmpeg in real time, and
AV1+Opus 640x360 published by srs_bench (enhanced RTMP) from an MP4 that ffmpeg makes at test
time. Each must advance currentTime >= 8 s at the stream's pace, at the published size, with its
frames decoded, no stall a viewer would notice and no media error."""

import os
import shutil
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



class BrowserMp4Test(unittest.TestCase):
    def setUp(self):
        srs_browser.require()
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
        return srs_browser.play_and_check(self, "video", url, self.srs, self.pub)

    def test_h264_aac(self):
        # Outlives start-up and the measured window by far; tearDown stops it.
        self.pub = srs_browser.publish_h264(self.srs.rtmp, "h264", 90)
        self.srs.wait_publishing("h264", proc=self.pub)
        self.check("h264")

    def test_av1_opus(self):
        src = os.path.join(self.tmp, "av1.mp4")
        srs_browser.make_av1_opus(src)
        self.pub = srs_browser.publish_mp4(self.srs.rtmp, src, "av1", 90)
        self.srs.wait_publishing("av1", proc=self.pub)
        self.check("av1")


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
