"""Forward and edge pass an enhanced RTMP HEVC stream through (issue 17). srs_bench publishes an
HEVC+AAC MP4 made by ffmpeg (libx265) as enhanced RTMP (`hvc1` ex-headers) to an origin:

- the origin forwards it to a second server, whose HLS segments ffprobe reads as hevc Main 320x240 +
  aac, decoded without an error, and whose API shows HEVC 320x240;
- an edge pulls it from an origin for its players: ffprobe reads hevc Main 320x240 + aac from the
  edge's HTTP-TS mount and from its HLS segments.

In both, the far server's log shows the connect of the server's own RTMP client (forward, edge)
with the enhanced fourCcList (ending in "*", a relay takes any codec), so an enhanced origin sends
it the enhanced tags, which the far end could only mux to HEVC if it got them."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import srs_testlib
from srs_testlib import SrsProcess, have, wait_for
from test_exrtmp_publish import bench_binary, make_mp4, probe_json

FAR = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 60; }}
}}
"""

FORWARDING_ORIGIN = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{
    forward {{ enabled on; destination DEST; }}
}}
"""

ORIGIN = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
vhost __defaultVhost__ {{ }}
"""

EDGE = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    cluster {{ mode remote; origin ORIGIN; }}
    http_remux {{ enabled on; mount /ts/[app]/[stream].ts; }}
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 60; }}
}}
"""

PUBLISH_SECONDS = 14
RELAY_LIST = "fourCcList=av01,vp09,hvc1,avc1,Opus,mp4a,.mp3,ac-3,ec-3,fLaC,*"
HEVC_AAC = [("aac", "LC", None, None), ("hevc", "Main", 320, 240)]


def streams_of(url_or_path):
    d = probe_json(url_or_path, "-show_entries", "stream=codec_name,profile,width,height")
    return sorted((s["codec_name"], s.get("profile"), s.get("width"), s.get("height")) for s in d["streams"])


class ExRtmpClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("ffmpeg", "ffprobe", "curl"):
            if not have(tool):
                raise unittest.SkipTest("%s not installed" % tool)
        cls.tmp = tempfile.mkdtemp(prefix="srs-exrtmp-cluster-")
        cls.hevc = os.path.join(cls.tmp, "hevc_aac.mp4")
        make_mp4(cls.hevc, ["-c:v", "libx265", "-x265-params", "log-level=none"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.servers = []
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            srs_testlib.stop_process(p)
            for f in (p.stdout, p.stderr):
                if f:
                    f.close()
        for s in reversed(self.servers):
            s.stop()
            s.assert_no_sanitizer_report()
            s.cleanup()

    def start(self, conf, name):
        s = SrsProcess(conf, name=name)
        self.servers.append(s)
        s.start()
        return s

    def publish(self, srs, stream):
        url = "rtmp://127.0.0.1:%d/live/%s" % (srs.rtmp, stream)
        p = subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u", url, "-i", self.hevc,
                              "-d", str(PUBLISH_SECONDS), "-n", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(p)
        srs.wait_publishing(stream, proc=p)

    def segments(self, srs, stream):
        path = "/live/%s.m3u8" % stream
        host = "http://127.0.0.1:%d" % srs.http
        for _ in range(2):
            try:
                with urllib.request.urlopen(host + path, timeout=5) as r:
                    text = r.read().decode()
            except urllib.error.HTTPError:
                return []
            uris = [urllib.parse.urljoin(path, x) for x in text.splitlines() if x and not x.startswith("#")]
            if len(uris) == 1 and ".m3u8" in uris[0]:
                path = uris[0]
                continue
            return uris
        return []

    def assert_hls_hevc(self, srs, stream):
        """A segment after the first one (it starts at a CRA of x265, not at the stream's IDR), read
        alone: hevc Main 320x240 + aac, decoded without an error."""
        self.assertTrue(wait_for(lambda: len(self.segments(srs, stream)) >= 3, PUBLISH_SECONDS + 5),
                        srs.log()[-3000:])
        uri = self.segments(srs, stream)[1]
        seg = os.path.join(srs.dir, "seg.ts")
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srs.http, uri), timeout=5) as r, open(seg, "wb") as f:
            f.write(r.read())
        self.assertEqual(HEVC_AAC, streams_of(seg), "HLS segment %s" % uri)
        r = subprocess.run(["ffmpeg", "-v", "error", "-i", seg, "-f", "null", "-"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual((0, ""), (r.returncode, r.stderr.strip()), "ffmpeg decoding HLS segment %s" % uri)

    def test_forward_passes_hevc_through(self):
        far = self.start(FAR, "far")
        origin = self.start(FORWARDING_ORIGIN.replace("DEST", "127.0.0.1:%d" % far.rtmp), "origin")
        self.publish(origin, "hevc")
        far.wait_publishing("hevc")
        # The forwarder's connect announced the enhanced codecs, as a relay.
        self.assertIn(RELAY_LIST, far.log())

        def api_video():
            with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/streams/" % far.api, timeout=5) as r:
                s = [x for x in json.loads(r.read())["streams"] if x["name"] == "hevc"]
            return s[0].get("video") if s else None
        self.assertTrue(wait_for(lambda: (api_video() or {}).get("codec") == "HEVC", 10), api_video())
        v = api_video()
        self.assertEqual(("HEVC", "Main", 320, 240), (v["codec"], v["profile"], v["width"], v["height"]), v)
        self.assert_hls_hevc(far, "hevc")

    def test_edge_passes_hevc_through(self):
        origin = self.start(ORIGIN, "origin")
        edge = self.start(EDGE.replace("ORIGIN", "127.0.0.1:%d" % origin.rtmp), "edge")
        self.publish(origin, "hevc")
        url = "http://127.0.0.1:%d/ts/live/hevc.ts" % edge.http
        # A player at the edge starts the pull; it stays on while the edge makes its HLS.
        player = subprocess.Popen(["curl", "-s", "-m", str(PUBLISH_SECONDS), "-o", os.devnull, url],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(player)
        self.assertEqual(HEVC_AAC, streams_of(url), "the edge's HTTP-TS")
        # The edge's connect to the origin announced the enhanced codecs, so the origin sent the
        # hvc1 tags unchanged (a legacy client would get them too; a client listing fewer codecs
        # would have them left out).
        self.assertIn(RELAY_LIST, origin.log())
        self.assertNotIn("the player announced a fourCcList", origin.log())
        self.assert_hls_hevc(edge, "hevc")


if __name__ == "__main__":
    srs_testlib.main()
