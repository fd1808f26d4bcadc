"""Players and recorders see exactly the publisher's audio and video (issue 19 item 4).

FFmpeg's FLV demuxer (behind rtmp:// and http://...flv) turns a script tag other than
onMetaData, onCuePoint and |RtmpSampleAccess into a packet of a "Data: none" stream, and an
onMetaData at a non-zero time into a packet of a "Subtitle: text" stream. So the play start
(onStatus NetStream.Data.Start as a data message) and a publisher that re-sends its metadata
mid-stream (GStreamer's flvmux, at 1.6 s, 3 s, 6 s, 11 s ...) showed ffprobe streams nobody
published. ffmpeg and GStreamer publish; ffprobe of the RTMP and HTTP-FLV URLs lists exactly
one video and one audio stream, an ffmpeg reading 8 s of each meets no new stream on the way,
and the DVR file of the GStreamer publish holds the two streams only."""

import glob
import os
import shutil
import subprocess
import threading
import time
import unittest

from srs_testlib import CONF_BASE, SrsProcess, publish_av, run, stop_process, wait_for

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    dvr {{
        enabled on;
        dvr_apply live/gst;
        dvr_plan session;
        dvr_path {dir}/dvr/[app]/[stream].[timestamp].flv;
    }}
}}
"""

GST_PLUGINS = "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly"


def gst_publish(url, seconds):
    """GStreamer's flvmux (streamable, the live mode) over librtmp: H.264 and AAC."""
    return subprocess.Popen(
        ["timeout", "-s", "INT", str(seconds), "gst-launch-1.0", "-q", "-e",
         "videotestsrc", "is-live=true", "!", "video/x-raw,width=320,height=240,framerate=25/1", "!",
         "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=25", "!", "h264parse", "!",
         "flvmux", "name=m", "streamable=true", "!", "rtmpsink", "location=" + url,
         "audiotestsrc", "is-live=true", "!", "audioconvert", "!", "voaacenc", "!", "aacparse", "!", "m."],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def probe_streams(url):
    """The (codec_type, codec_name) ffprobe lists."""
    r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", url],
            timeout=40)
    rows = [tuple(reversed(line.split(","))) for line in r.stdout.split() if line.strip()]
    return rows, r


def late_streams(url, seconds=8):
    """ffmpeg reads the stream for a while: the streams it lists at the start, and the 'New ...
    stream' warnings of streams found later (metadata re-sent mid-stream)."""
    r = run(["ffmpeg", "-hide_banner", "-nostats", "-i", url, "-t", str(seconds), "-map", "0", "-c", "copy",
             "-f", "null", "-"], timeout=seconds + 40)
    lines = r.stderr.splitlines()
    inputs = []
    for x in lines:
        if x.startswith("Output #") or x.startswith("Stream mapping"):
            break
        inputs.append(x)
    listed = [x.strip() for x in inputs if x.strip().startswith("Stream #0:")]
    new = [x.strip() for x in lines if "New " in x and " stream " in x]
    return listed, new, r


class PhantomStreamsTest(unittest.TestCase):
    def setUp(self):
        self.srs = SrsProcess(CONF)
        self.srs.start(wait_port=self.srs.http)
        self.pubs = []
        self.addCleanup(self.srs.cleanup)
        self.addCleanup(lambda: [stop_process(p) for p in self.pubs])

    def check_urls(self, stream):
        """ffprobe and an 8 s ffmpeg read of the RTMP and HTTP-FLV URLs, all four at once (the
        metadata re-sends come early in a publish)."""
        urls = {"rtmp": "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, stream),
                "http-flv": "http://127.0.0.1:%d/live/%s.flv" % (self.srs.http, stream)}
        out = {}

        def go(key, fn, url):
            out[key] = fn(url)

        threads = []
        for name, url in urls.items():
            threads.append(threading.Thread(target=go, args=((name, "probe"), probe_streams, url)))
            threads.append(threading.Thread(target=go, args=((name, "read"), late_streams, url)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        report, bad = [], []
        for name in urls:
            rows, r = out[(name, "probe")]
            listed, new, r2 = out[(name, "read")]
            report.append("%s %s: ffprobe %s; ffmpeg lists %d streams, %d more found while reading 8 s %s" %
                          (stream, name, rows, len(listed), len(new), new))
            if sorted(rows) != [("audio", "aac"), ("video", "h264")] or len(listed) != 2 or new:
                bad.append(name)
        print("\n" + "\n".join(report))
        self.assertEqual(bad, [], "\n".join(report))

    def wait_publish(self, stream):
        self.assertTrue(wait_for(lambda: "live/%s: publish started" % stream in self.srs.log()
                                 or "/live/%s: publish started" % stream in self.srs.log(), 15),
                        self.srs.log()[-3000:])

    def test_ffmpeg_publisher(self):
        self.pubs.append(publish_av(self.srs, "ff", 40))
        self.wait_publish("ff")
        self.check_urls("ff")

    def test_gstreamer_publisher_resending_metadata(self):
        if not shutil.which("gst-launch-1.0"):
            self.fail("gst-launch-1.0 missing: scripts/setup.sh installs " + GST_PLUGINS)
        gst = gst_publish("rtmp://127.0.0.1:%d/live/gst" % self.srs.rtmp, 25)
        self.pubs.append(gst)
        self.wait_publish("gst")
        self.check_urls("gst")

        # The recording of the same publish, once it ended.
        gst.wait(40)
        self.assertTrue(wait_for(lambda: glob.glob(os.path.join(self.srs.dir, "dvr", "live", "gst.*.flv")), 10),
                        self.srs.log()[-3000:])
        path = glob.glob(os.path.join(self.srs.dir, "dvr", "live", "gst.*.flv"))[0]
        rows, r = probe_streams(path)
        self.assertEqual(sorted(rows), [("audio", "aac"), ("video", "h264")], "dvr %s: %s" % (path, rows))
        listed, new, r = late_streams(path, 30)
        self.assertEqual(new, [], "dvr %s: streams found while reading: %s" % (path, new))
        print("gst dvr: ffprobe %s, new streams %s" % (rows, new))


if __name__ == "__main__":
    unittest.main()
