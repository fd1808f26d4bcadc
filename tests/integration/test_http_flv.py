"""HTTP live streams with the real binary: ffmpeg publishes over RTMP to three vhosts whose
http_remux mounts are .flv, .ts and .aac; ffmpeg and ffprobe play them over HTTP, and the API
lists the HTTP players with their types."""

import json
import re
import subprocess
import unittest
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, have, run, wait_for

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
vhost tsv {{
    http_remux {{ enabled on; mount /ts/[app]/[stream].ts; }}
}}
vhost aacv {{
    http_remux {{ enabled on; mount /aac/[app]/[stream].aac; }}
}}
"""


def publish(srs, seconds):
    """One source sent to the three vhosts (SRS's ?vhost= in the app), one output each."""
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
           "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds)]
    for q in ("", "?vhost=tsv", "?vhost=aacv"):
        cmd += ["-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
                "-f", "flv", "rtmp://127.0.0.1:%d/live%s/s" % (srs.rtmp, q)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def played_seconds(url, seconds, timeout):
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url, "-t", str(seconds), "-c", "copy",
             "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=timeout)
    times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
    return (max(times) / 1e6 if times else 0), r.returncode, r.stderr


def probe(url):
    r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,sample_rate",
             "-of", "default=noprint_wrappers=1", url], timeout=20)
    return r.stdout, r.returncode, r.stderr


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class HttpFlvTest(unittest.TestCase):
    def setUp(self):
        self.srs = SrsProcess(CONF)
        self.srs.start()
        self.pub = None

    def tearDown(self):
        if self.pub and self.pub.poll() is None:
            self.pub.kill()
        if self.pub:
            self.pub.wait()
            self.pub.stderr.close()
        self.srs.cleanup()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.srs.http, path)

    def test_flv_ts_aac(self):
        self.pub = publish(self.srs, 25)
        # The mounts appear when the stream publishes; a refused or dropped publish fails here.
        self.srs.wait_publishing("s", proc=self.pub)

        out, rc, err = probe(self.url("/live/s.flv"))
        self.assertEqual(0, rc, err)
        self.assertIn("codec_name=h264", out)
        self.assertIn("codec_name=aac", out)
        self.assertIn("width=320", out)

        out, rc, err = probe(self.url("/ts/live/s.ts"))
        self.assertEqual(0, rc, err)
        self.assertIn("codec_name=h264", out)
        self.assertIn("codec_name=aac", out)

        out, rc, err = probe(self.url("/aac/live/s.aac"))
        self.assertEqual(0, rc, err)
        self.assertIn("codec_name=aac", out)
        self.assertIn("sample_rate=44100", out)

        # The FLV player reads 10 s of media (the GOP cache first, then live) while the API
        # lists it as an flv-play client.
        player = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.url("/live/s.flv"), "-t", "12", "-c", "copy",
             "-f", "null", "-", "-progress", "pipe:1", "-nostats"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def flv_client():
            with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/clients/?count=100" % self.srs.api,
                                        timeout=3) as r:
                clients = json.loads(r.read())["clients"]
            return [c for c in clients if c["type"] == "flv-play"]
        self.assertTrue(wait_for(flv_client, 10, 0.3))
        out, err = player.communicate(timeout=40)
        times = [int(v) for v in re.findall(r"out_time_us=(\d+)", out)]
        self.assertEqual(0, player.returncode, err)
        self.assertGreaterEqual(max(times) / 1e6 if times else 0, 10.0, err)
        self.assertEqual("", err.strip())
        # The player left: no flv-play client remains.
        self.assertTrue(wait_for(lambda: not flv_client(), 10, 0.3))


if __name__ == "__main__":
    srs_testlib.main()
