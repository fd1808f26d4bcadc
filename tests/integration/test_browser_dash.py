"""MPEG-DASH in a real browser: headless Chromium plays `/live/<stream>.mpd` with dash.js (through
the shared harness, tests/browser/play.js via srs_browser) for 10 s after start-up. ffmpeg
publishes H.264+AAC 640x360 in real time with a keyframe every second; the server cuts 1 s
segments. dash.js must advance currentTime >= 8 s at the stream's pace, at the published size,
with its frames decoded, no stall a viewer would notice and no fatal error; it syncs its clock
with the MPD's UTCTiming source (a failed sync, dash.js error 16, would be in the errors)."""

import unittest

import srs_browser
from srs_browser import FPS
import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, stop_process

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    dash {{
        enabled on; dash_path {dir}/html; dash_fragment 1; dash_update_period 1;
        dash_timeshift 10; dash_window_size 6;
    }}
}}
"""



class BrowserDashTest(unittest.TestCase):
    def setUp(self):
        srs_browser.require()
        self.srs = SrsProcess(CONF)
        self.srs.start()
        self.pub = None

    def tearDown(self):
        if self.pub is not None:
            stop_process(self.pub)
        self.srs.stop()
        self.srs.cleanup()

    def test_h264_aac(self):
        # Outlives start-up and the measured window by far; tearDown stops it.
        self.pub = srs_browser.publish_h264(self.srs.rtmp, "h264", 90, gop=FPS)
        self.srs.wait_publishing("h264", proc=self.pub)
        url = "http://127.0.0.1:%d/live/h264.mpd" % self.srs.http
        r = srs_browser.play_and_check(self, "dash", url, self.srs, self.pub)
        # The clock sync with the server's time source worked: no dash.js error at all.
        self.assertEqual([], r.get("errors", []), srs_browser.summary(r))


if __name__ == "__main__":
    srs_testlib.main(verbosity=2)
