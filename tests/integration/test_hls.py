"""HLS with the real binary: ffmpeg publishes over RTMP, the playlist and segments are checked
on disk and over the HTTP server (TARGETDURATION/EXTINF, ffprobe of every segment, ffmpeg
playing the playlist), old segments are cleaned up and everything goes after hls_dispose; HLS
in RAM plays the same with no file written."""

import glob
import os
import re
import time
import unittest
import urllib.error
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, publish_av, SrsProcess, have, run, wait_for

CONF = CONF_BASE + """
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; crossdomain on; }}
vhost __defaultVhost__ {{
    hls {{
        enabled on;
        hls_fragment 2;
        hls_window 10;
        hls_dispose 4;
        hls_path {dir}/html;
        hls_storage %(storage)s;
    }}
}}
"""


def http_get(port, path, timeout=5):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except OSError:
        return 0, {}, b""


def get_media_playlist(port, path):
    """GET of a playlist as a player does it: a plain URL answers (hls_ctx on, as SRS) a
    one-entry variant playlist, whose URI is followed to the media playlist."""
    status, headers, body = http_get(port, path)
    lines = body.decode(errors="replace").splitlines()
    if status == 200 and len(lines) == 3 and lines[1].startswith("#EXT-X-STREAM-INF:"):
        return http_get(port, lines[2])
    return status, headers, body


def parse_m3u8(text):
    """(target duration, media sequence, [(duration, uri)])."""
    target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))
    seq = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))
    segs = re.findall(r"#EXTINF:([\d.]+),\n(\S+)", text)
    return target, seq, [(float(d), u) for d, u in segs]


def played_seconds(url, seconds, timeout):
    """How much media ffmpeg read from url (stops after `seconds`), and its error output."""
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url, "-t", str(seconds), "-c", "copy",
             "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=timeout)
    times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
    return (max(times) / 1e6 if times else 0), r.returncode, r.stderr


def probe_codecs(url):
    r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", url], timeout=20)
    return sorted(set(r.stdout.split())), r.returncode, r.stderr


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class HlsTestCase(unittest.TestCase):
    storage = "disk"

    def setUp(self):
        self.srs = SrsProcess(CONF % {"storage": self.storage})
        self.srs.start()
        self.pub = None

    def tearDown(self):
        if self.pub and self.pub.poll() is None:
            self.pub.kill()
        if self.pub:
            self.pub.wait()
            self.pub.stderr.close()
        self.srs.cleanup()

    def html(self, *parts):
        return os.path.join(self.srs.dir, "html", *parts)

    def start_publish(self, seconds):
        self.pub = publish_av(self.srs, "s", seconds)

        def playlist_ready():
            if self.pub.poll() is not None and self.pub.returncode != 0:
                return True
            status, _, body = get_media_playlist(self.srs.http, "/live/s.m3u8")
            return status == 200 and body.count(b"#EXTINF") >= 3
        wait_for(playlist_ready, 20, 0.2)
        # A refused or dropped publish is the failure under test, not a reason to skip.
        if self.pub.poll() is not None and self.pub.returncode != 0:
            err = self.pub.stderr.read().decode(errors="replace")
            self.fail("publisher failed: %s\n%s" % (err, self.srs.log()[-2000:]))

    def check_live_playlist(self):
        # A plain GET (hls_ctx on, the default) answers 200 with a one-entry variant playlist
        # pointing to the session's URL, as SRS does: not an empty 302 body. It says what the
        # stream is (issue 18): the segments' peak and average bit rates, the codecs (libx264
        # baseline of publish_av's ultrafast/zerolatency at 320x240: level 1.3) and the size.
        status, headers, body = http_get(self.srs.http, "/live/s.m3u8")
        self.assertEqual(200, status, self.srs.log()[-2000:])
        self.assertEqual("application/vnd.apple.mpegurl", headers.get("Content-Type"))
        m = re.match(r"^#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),"
                     r"CODECS=\"avc1\.42c00d,mp4a\.40\.2\",RESOLUTION=320x240\n"
                     r"/live/s\.m3u8\?hls_ctx=[0-9A-Za-z]+\n$", body.decode())
        self.assertTrue(m, body)
        # Peak >= average, and both what a 320x240 test pattern with 64 kbps AAC costs.
        self.assertGreaterEqual(int(m.group(1)), int(m.group(2)))
        self.assertTrue(100000 < int(m.group(2)) < 5000000, body)
        # The same attributes in the multivariant playlist beside it, which names the media
        # playlist (served with the session id, as hls_ctx is on).
        status, _, master = http_get(self.srs.http, "/live/s-master.m3u8")
        self.assertEqual(200, status)
        self.assertIn(b'CODECS="avc1.42c00d,mp4a.40.2",RESOLUTION=320x240\ns.m3u8?hls_ctx=', master)
        # ffprobe follows it to the streams.
        codecs, rc, err = probe_codecs("http://127.0.0.1:%d/live/s.m3u8" % self.srs.http)
        self.assertEqual(0, rc, err)
        self.assertEqual(["aac", "h264"], codecs, err)

        status, headers, body = get_media_playlist(self.srs.http, "/live/s.m3u8")
        self.assertEqual(200, status, self.srs.log()[-2000:])
        self.assertEqual("application/vnd.apple.mpegurl", headers.get("Content-Type"))
        self.assertEqual("*", headers.get("Access-Control-Allow-Origin"))
        target, seq, segs = parse_m3u8(body.decode())
        self.assertGreaterEqual(len(segs), 3, body)
        # hls_fragment 2 and hls_td_ratio 1.5: the target is ceil(3.0); every segment is cut at
        # a keyframe (every 2 s) and never longer than the target (RFC 8216 4.3.3.1).
        self.assertEqual(3, target, body)
        for d, uri in segs:
            self.assertTrue(1.5 <= d <= 3.0, body)
            # With hls_ctx on (the default), the variant led to a session whose id the
            # segment URIs carry.
            self.assertRegex(uri, r"^s-\d+\.ts\?hls_ctx=[0-9A-Za-z]+$")
        # Each segment plays on its own with both codecs.
        for _, uri in segs[:3]:
            url = "http://127.0.0.1:%d/live/%s" % (self.srs.http, uri)
            codecs, rc, err = probe_codecs(url)
            self.assertEqual(0, rc, err)
            self.assertEqual(["aac", "h264"], codecs, err)
            status, headers, _ = http_get(self.srs.http, "/live/" + uri)
            self.assertEqual("video/MP2T", headers.get("Content-Type"))
        return seq, segs

    def test_disk_hls(self):
        self.start_publish(20)
        self.check_live_playlist()
        with open(self.html("live", "s.m3u8")) as f:
            listed = parse_m3u8(f.read())[2]
        for _, uri in listed:
            self.assertTrue(os.path.exists(self.html("live", uri)))

        # A player reads 10 s of media from the live playlist without an error.
        played, rc, err = played_seconds("http://127.0.0.1:%d/live/s.m3u8" % self.srs.http, 10, 40)
        self.assertEqual(0, rc, err)
        self.assertGreaterEqual(played, 9.9, err)
        self.assertEqual("", err.strip())

        self.assertEqual(0, self.pub.wait(timeout=30))
        # The window is 10 s of 2 s segments: the oldest ones are gone from disk.
        with open(self.html("live", "s.m3u8")) as f:
            text = f.read()
        target, seq, segs = parse_m3u8(text)
        self.assertGreater(seq, 0, text)
        self.assertFalse(os.path.exists(self.html("live", "s-0.ts")))
        files = glob.glob(self.html("live", "*.ts"))
        self.assertLessEqual(len(files), len(segs) + 1, files)
        self.assertEqual([], glob.glob(self.html("live", "*.tmp")))

        # Everything goes hls_dispose (4 s) after the unpublish.
        gone = wait_for(lambda: not glob.glob(self.html("live", "*")), 10, 0.25)
        self.assertTrue(gone, glob.glob(self.html("live", "*")))
        status, _, _ = http_get(self.srs.http, "/live/s.m3u8")
        self.assertEqual(404, status)


class HlsRamTestCase(HlsTestCase):
    storage = "ram"

    # Not a test of this class (no file is written in RAM): None keeps unittest from collecting
    # the inherited one, instead of a skip.
    test_disk_hls = None

    def test_ram_hls(self):
        self.start_publish(14)
        self.check_live_playlist()
        played, rc, err = played_seconds("http://127.0.0.1:%d/live/s.m3u8" % self.srs.http, 10, 40)
        self.assertEqual(0, rc, err)
        self.assertGreaterEqual(played, 9.9, err)
        # Served from memory: nothing under hls_path.
        self.assertEqual([], glob.glob(self.html("live", "*")))
        self.assertEqual([], glob.glob(self.html("*.ts")))


if __name__ == "__main__":
    srs_testlib.main()
