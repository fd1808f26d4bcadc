"""Forward and edge pass an enhanced RTMP HEVC stream through (issue 17). srs_bench publishes an
HEVC+AAC MP4 made by ffmpeg (libx265) as enhanced RTMP (`hvc1` ex-headers) to an origin:

- the origin forwards it to a second server, whose HLS segments ffprobe reads as hevc Main 320x240 +
  aac, decoded without an error, and whose API shows HEVC 320x240;
- an edge pulls it from an origin for its players: ffprobe reads hevc Main 320x240 + aac from the
  edge's HTTP-TS mount and from its HLS segments.

In both, the far server's log shows the connect of the server's own RTMP client (forward, edge)
with the enhanced fourCcList (ending in "*", a relay takes any codec), so an enhanced origin sends
it the enhanced tags, which the far end could only mux to HEVC if it got them."""

import os
import subprocess

import srs_exrtmp
import srs_testlib
from srs_exrtmp import HEVC, HEVC_AAC, decode, hls_segments, http_get, stream_summary
from srs_testlib import wait_for

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

EDGE_VHOST = """
    http_remux {{ enabled on; mount /ts/[app]/[stream].ts; }}
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 60; }}
"""

PUBLISH_SECONDS = 14
RELAY_LIST = "fourCcList=av01,vp09,hvc1,avc1,Opus,mp4a,.mp3,ac-3,ec-3,fLaC,*"


class ExRtmpClusterTest(srs_exrtmp.ExRtmpTestCase):
    TOOLS = ("ffmpeg", "ffprobe", "curl")

    @classmethod
    def make_samples(cls):
        cls.sample("hevc", HEVC)

    def publish(self, srs, stream):
        self.publish_sample(srs, stream, self.samples["hevc"], PUBLISH_SECONDS)

    def assert_hls_hevc(self, srs, stream):
        """A segment after the first one (it starts at a CRA of x265, not at the stream's IDR), read
        alone: hevc Main 320x240 + aac, decoded without an error."""
        path = "/live/%s.m3u8" % stream
        self.assertTrue(wait_for(lambda: len(hls_segments(srs.http, path)) >= 3, PUBLISH_SECONDS + 5),
                        srs.log()[-3000:])
        uri = hls_segments(srs.http, path)[1]
        seg = os.path.join(srs.dir, "seg.ts")
        with open(seg, "wb") as f:
            f.write(http_get(srs.http, uri))
        self.assertEqual(HEVC_AAC, stream_summary(seg), "HLS segment %s" % uri)
        self.assertEqual((0, ""), decode(seg, timeout=60), "ffmpeg decoding HLS segment %s" % uri)

    def test_forward_passes_hevc_through(self):
        far = self.start_server(FAR, "far")
        origin = self.start_server(FORWARDING_ORIGIN.replace("DEST", "127.0.0.1:%d" % far.rtmp), "origin")
        self.publish(origin, "hevc")
        far.wait_publishing("hevc")
        # The forwarder's connect announced the enhanced codecs, as a relay.
        self.assertIn(RELAY_LIST, far.log())
        v = self.wait_api_video(far, "hevc", "codec", "HEVC")
        self.assertEqual(("HEVC", "Main", 320, 240), (v["codec"], v["profile"], v["width"], v["height"]), v)
        self.assert_hls_hevc(far, "hevc")

    def test_edge_passes_hevc_through(self):
        origin = self.start_server(srs_testlib.ORIGIN_CONF, "origin")
        edge = self.start_server(srs_testlib.edge_conf(["127.0.0.1:%d" % origin.rtmp], EDGE_VHOST), "edge")
        self.publish(origin, "hevc")
        url = "http://127.0.0.1:%d/ts/live/hevc.ts" % edge.http
        # A player at the edge starts the pull; it stays on while the edge makes its HLS.
        player = subprocess.Popen(["curl", "-s", "-m", str(PUBLISH_SECONDS), "-o", os.devnull, url],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(player)
        self.assertEqual(HEVC_AAC, stream_summary(url), "the edge's HTTP-TS")
        # The edge's connect to the origin announced the enhanced codecs, so the origin sent the
        # hvc1 tags unchanged (a legacy client would get them too; a client listing fewer codecs
        # would have them left out).
        self.assertIn(RELAY_LIST, origin.log())
        self.assertNotIn("the player announced a fourCcList", origin.log())
        self.assert_hls_hevc(edge, "hevc")


if __name__ == "__main__":
    srs_testlib.main()
