"""security (IP allow/deny) with the real binary: ffmpeg publishers refused by exact IP and by
CIDR on two vhosts while a third allows; RTMP and HTTP-FLV players refused by `deny play all`.
Runtime about 15 s."""

import os
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import srs_testlib as T  # noqa: E402
from srs_rtmp_pyclient import rtmp_status as rtmp_status_at  # noqa: E402

CONF = T.CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    security {{ enabled on; allow publish all; deny publish 127.0.0.1; allow play all; }}
}}
vhost cidr {{
    security {{ enabled on; allow publish all; deny publish 127.0.0.0/8; allow play all; }}
}}
vhost ok {{
    security {{ enabled on; allow publish 127.0.0.0/8; allow play all; }}
    http_remux {{ enabled on; mount /ok/[app]/[stream].flv; }}
}}
vhost noplay {{
    security {{ enabled on; allow publish all; allow play all; deny play all; }}
    http_remux {{ enabled on; mount /noplay/[app]/[stream].flv; }}
}}
vhost hls.noplay {{
    security {{ enabled on; allow publish all; allow play 10.0.0.0/8; }}
    hls {{ enabled on; hls_fragment 1; hls_path {dir}/html; hls_m3u8_file [vhost]/[app]/[stream].m3u8;
          hls_ts_file [vhost]/[app]/[stream]-[seq].ts; }}
    dash {{ enabled on; dash_fragment 1; dash_path {dir}/html; dash_mpd_file [vhost]/[app]/[stream].mpd; }}
}}
vhost ram.noplay {{
    security {{ enabled on; allow publish all; allow play 10.0.0.0/8; }}
    hls {{ enabled on; hls_fragment 1; hls_storage ram; hls_m3u8_file [vhost]/[app]/[stream].m3u8;
          hls_ts_file [vhost]/[app]/[stream]-[seq].ts; hls_keys on; hls_key_file [vhost]/[app]/[stream]-[seq].key; }}
    dash {{ enabled on; dash_fragment 1; dash_storage ram; dash_mpd_file [vhost]/[app]/[stream].mpd; }}
}}
vhost ram.ok {{
    security {{ enabled on; allow publish all; allow play all; }}
    hls {{ enabled on; hls_fragment 1; hls_storage ram; hls_m3u8_file [vhost]/[app]/[stream].m3u8;
          hls_ts_file [vhost]/[app]/[stream]-[seq].ts; hls_keys on; hls_key_file [vhost]/[app]/[stream]-[seq].key; }}
    dash {{ enabled on; dash_fragment 1; dash_storage ram; dash_mpd_file [vhost]/[app]/[stream].mpd; }}
}}
vhost hls.ok {{
    security {{ enabled on; allow publish all; allow play all; }}
    hls {{ enabled on; hls_fragment 1; hls_path {dir}/html; hls_m3u8_file [vhost]/[app]/[stream].m3u8;
          hls_ts_file [vhost]/[app]/[stream]-[seq].ts; }}
    dash {{ enabled on; dash_fragment 1; dash_path {dir}/html; dash_mpd_file [vhost]/[app]/[stream].mpd; }}
}}
"""


def rtmp_status(port, vhost, stream, play):
    return rtmp_status_at(port, "rtmp://127.0.0.1:%d/live?vhost=%s" % (port, vhost), stream, play)


@unittest.skipUnless(T.have("ffmpeg"), "ffmpeg not installed")
class SecurityTest(unittest.TestCase):
    def setUp(self):
        self.srs = T.SrsProcess(CONF).start()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            T.stop_process(p)
        self.srs.cleanup()

    def url(self, vhost, stream):
        return "rtmp://127.0.0.1:%d/live?vhost=%s/%s" % (self.srs.rtmp, vhost, stream)

    def test_publish_denied_by_ip_and_cidr(self):
        t0 = time.time()
        for vhost in ("__defaultVhost__", "cidr"):
            p = T.ffmpeg_publish_small(self.url(vhost, "s"), 5)
            self.procs.append(p)
            p.wait(timeout=10)
            self.assertNotEqual(0, p.returncode, vhost)
        # Refused at once, not after a timeout.
        self.assertLess(time.time() - t0, 6)
        self.assertEqual("NetStream.Publish.Rejected", rtmp_status(self.srs.rtmp, "cidr", "x", False))
        self.assertEqual("NetStream.Publish.Rejected", rtmp_status(self.srs.rtmp, "__defaultVhost__", "x", False))
        log = self.srs.log()
        self.assertIn("deny publish 127.0.0.1", log)
        self.assertIn("deny publish 127.0.0.0/8", log)

        # The other vhost allows the same client.
        p = T.ffmpeg_publish_small(self.url("ok", "s"), 4)
        self.procs.append(p)
        p.wait(timeout=15)
        self.assertEqual(0, p.returncode, p.stderr.read().decode(errors="replace"))
        self.assertEqual("NetStream.Publish.Start", rtmp_status(self.srs.rtmp, "ok", "y", False))

    def test_play_denied(self):
        pub = T.ffmpeg_publish_small(self.url("noplay", "s"), 15)
        self.procs.append(pub)
        flv = "http://127.0.0.1:%d/noplay/live/s.flv" % self.srs.http
        # Publishing is allowed there; the mount appears.
        self.srs.wait_publishing("s", vhost="noplay", proc=pub)
        self.assertIsNone(pub.poll())

        self.assertEqual("NetStream.Play.Rejected", rtmp_status(self.srs.rtmp, "noplay", "s", True))
        r = T.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.url("noplay", "s"), "-t", "1",
                   "-f", "null", "-"], timeout=15)
        self.assertNotEqual(0, r.returncode)

        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(flv, timeout=5)
        self.assertEqual(403, cm.exception.code)
        self.assertIn("refused, 403", self.srs.log())

        # An allowed vhost plays over HTTP-FLV.
        pub2 = T.ffmpeg_publish_small(self.url("ok", "s"), 10)
        self.procs.append(pub2)
        okflv = "http://127.0.0.1:%d/ok/live/s.flv" % self.srs.http

        def plays():
            try:
                with urllib.request.urlopen(okflv, timeout=5) as resp:
                    return resp.status == 200 and resp.read(13)[:3] == b"FLV"
            except (urllib.error.URLError, OSError):
                return False
        self.assertTrue(T.wait_for(plays, 10, 0.5))

    def get(self, vhost, path):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.srs.http, path), headers={"Host": vhost})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def test_hls_denied(self):
        for v in ("hls.noplay", "hls.ok"):
            self.procs.append(T.ffmpeg_publish_small(self.url(v, "h"), 8))
        get = self.get
        # The playlist is written by both; only the allowed vhost serves it.
        self.assertTrue(T.wait_for(lambda: get("hls.ok", "/hls.ok/live/h.m3u8") == 200, 15), self.srs.log()[-2000:])
        self.assertTrue(T.wait_for(lambda: os.path.exists(os.path.join(self.srs.dir, "html/hls.noplay/live/h-0.ts")), 10))
        self.assertEqual(403, get("hls.noplay", "/hls.noplay/live/h.m3u8"))
        self.assertEqual(403, get("hls.noplay", "/hls.noplay/live/h-0.ts"))
        self.assertEqual(200, get("hls.ok", "/hls.ok/live/h-0.ts"))
        # DASH's files on disk are served by the same handler, with the same checks.
        mpd = os.path.join(self.srs.dir, "html/hls.noplay/live/h.mpd")
        self.assertTrue(T.wait_for(lambda: os.path.exists(mpd), 10), self.srs.log()[-2000:])
        self.assertEqual(200, get("hls.ok", "/hls.ok/live/h.mpd"))
        self.assertEqual(403, get("hls.noplay", "/hls.noplay/live/h.mpd"))
        inits = [f for f in os.listdir(os.path.join(self.srs.dir, "html/hls.noplay/live/h")) if f.endswith(".mp4")]
        self.assertTrue(inits)
        self.assertEqual(403, get("hls.noplay", "/hls.noplay/live/h/" + inits[0]))

    def test_ram_files_denied(self):
        # HLS and DASH in RAM, and HLS keys: served from memory with the same checks as files.
        for v in ("ram.noplay", "ram.ok"):
            self.procs.append(T.ffmpeg_publish_small(self.url(v, "r"), 8))
        get = self.get
        for path in ("/%s/live/r.m3u8", "/%s/live/r-0.ts", "/%s/live/r-0.key", "/%s/live/r.mpd"):
            ok, denied = path % "ram.ok", path % "ram.noplay"
            self.assertTrue(T.wait_for(lambda: get("ram.ok", ok) == 200, 15), "%s\n%s" % (ok, self.srs.log()[-2000:]))
            self.assertEqual(403, get("ram.noplay", denied), denied)
        # Nothing of them on disk.
        self.assertFalse(os.path.exists(os.path.join(self.srs.dir, "html/ram.ok")))


if __name__ == "__main__":
    T.main()
