"""The server's outputs in a real browser: ffmpeg publishes H.264+AAC 640x360 in real time, and
headless Chromium plays the HLS (TS) playlist with hls.js and the HTTP-FLV mount with mpegts.js,
each for 10 s after start-up (tests/browser/play.js through srs_browser)."""

import os
import subprocess
import sys
import unittest

import srs_browser
import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, read_text, stop_process, wait_for

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    hls {{ enabled on; hls_fragment 2; hls_window 10; hls_path {dir}/html; }}
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
"""



class BrowserPlayersTest(unittest.TestCase):
    def setUp(self):
        srs_browser.require()
        self.srs = SrsProcess(CONF)
        self.srs.start()
        # Outlives start-up and the measured window by far; tearDown stops it.
        self.pub = srs_browser.publish_h264(self.srs.rtmp, "s", 90, stderr=subprocess.PIPE)
        self.srs.wait_publishing("s", proc=self.pub)

    def tearDown(self):
        stop_process(self.pub)
        self.srs.cleanup()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.srs.http, path)

    def check(self, player, path):
        # What the server wrote while the player stalled: the playlist too.
        playlist = os.path.join(self.srs.dir, "html", "live", "s.m3u8")
        return srs_browser.play_and_check(self, player, self.url(path), self.srs, self.pub,
                                          context=lambda: "playlist:\n%s\n" % read_text(playlist))

    def test_hls_ts_hlsjs(self):
        playlist = os.path.join(self.srs.dir, "html", "live", "s.m3u8")
        # hls.js starts three segments behind the live edge: two segments listed let it start at once.
        self.assertTrue(wait_for(lambda: read_text(playlist).count("#EXTINF") >= 2, 20, 0.2),
                        "no HLS playlist:\n" + self.srs.log()[-2000:])
        r = self.check("hls", "/live/s.m3u8")
        # The codecs this Chromium's MSE takes, in the log for the issues that need others.
        print("chromium %s MSE: %s" % (r.get("browser"), r.get("mse")), file=sys.stderr)

    def test_http_flv_mpegts(self):
        self.check("mpegts", "/live/s.flv")


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
