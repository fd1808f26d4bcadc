"""srs_bench publishes MP4 files made by ffmpeg as enhanced RTMP (issue 17), and real clients read
what the server makes of them. Only what works with today's server is checked here:

- HEVC+AAC (hvc1 ex-headers, legacy AAC): the HLS stream read by ffprobe/ffmpeg over HTTP, the DVR
  MP4 whose HEVC packets must be the source's packets (sizes in order, over the loops) and cover
  at least 80 % of the publish time (not more than real time either), and the API's codec info.
- H.264+AAC from an MP4 (legacy tags): ffprobe plays HTTP-FLV at >= 80 % of real time.

AV1, VP9, Opus and multitrack video are published fine by the tool but the server does not carry
them to HLS/DVR yet (doc/enhanced-rtmp.md, "What the server does with them today")."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

import srs_testlib
from srs_testlib import ROOT, SrsProcess, have, wait_for

CONFIG = srs_testlib.CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 1; hls_window 60; }}
    dvr {{ enabled on; dvr_path {dir}/dvr/[app]/[stream].mp4; dvr_plan session; }}
}}
"""

FPS = 25
SOURCE_SECONDS = 4
PUBLISH_SECONDS = 8


def bench_binary():
    d = os.environ.get("SRS_BUILD_DIR") or os.path.join(ROOT, "build")
    path = os.path.join(d, "srs_bench")
    if not os.path.exists(path):
        raise AssertionError("srs_bench not built: %s" % path)
    return path


def make_mp4(path, video_args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=%d" % FPS,
                    "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", str(SOURCE_SECONDS), *video_args,
                    "-g", str(FPS), "-c:a", "aac", path], check=True, timeout=120)


def probe_json(url, *args):
    r = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, url], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise AssertionError("ffprobe %s: %s" % (url, r.stderr[-2000:]))
    return json.loads(r.stdout)


def video_packets(path):
    """(size, pts - dts in ms) of each video packet, in decode order."""
    d = probe_json(path, "-select_streams", "v:0", "-show_entries", "packet=size,pts_time,dts_time")
    return [(int(p["size"]), round((float(p["pts_time"]) - float(p["dts_time"])) * 1000))
            for p in d.get("packets", [])]


class ExRtmpPublishTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("ffmpeg", "ffprobe"):
            if not have(tool):
                raise unittest.SkipTest("%s not installed" % tool)
        cls.tmp = tempfile.mkdtemp(prefix="srs-exrtmp-")
        cls.hevc = os.path.join(cls.tmp, "hevc_aac.mp4")
        make_mp4(cls.hevc, ["-c:v", "libx265", "-x265-params", "log-level=none"])
        cls.h264 = os.path.join(cls.tmp, "h264_aac.mp4")
        make_mp4(cls.h264, ["-c:v", "libx264", "-bf", "2"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.srs = SrsProcess(CONFIG)
        self.srs.start()
        self.bench = None

    def tearDown(self):
        if self.bench is not None:
            srs_testlib.stop_process(self.bench)
            self.bench.stdout.close()
        self.srs.stop()
        self.srs.assert_no_sanitizer_report()
        self.srs.cleanup()

    def publish(self, stream, mp4, seconds):
        url = "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, stream)
        self.bench = subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u", url, "-i", mp4,
                                       "-d", str(seconds), "-n", "0"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.srs.wait_publishing(stream, proc=self.bench)

    def finish_publish(self, seconds):
        out, err = self.bench.communicate(timeout=seconds + 30)
        self.assertEqual(0, self.bench.returncode, (out + err).decode(errors="replace")[-2000:])
        self.bench = None

    def test_hevc_aac_to_hls_dvr_and_api(self):
        self.publish("hevc", self.hevc, PUBLISH_SECONDS)

        def api_video():
            with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/streams/" % self.srs.api, timeout=5) as r:
                streams = json.loads(r.read())["streams"]
            s = [x for x in streams if x["name"] == "hevc"]
            return s[0].get("video") if s else None
        self.assertTrue(wait_for(lambda: (api_video() or {}).get("codec") == "HEVC", 10), api_video())
        video = api_video()
        self.assertEqual(("Main", 320, 240), (video["profile"], video["width"], video["height"]), video)

        self.finish_publish(PUBLISH_SECONDS)
        dvr = os.path.join(self.srs.dir, "dvr", "live", "hevc.mp4")
        self.assertTrue(wait_for(lambda: os.path.exists(dvr), 10), self.srs.log()[-3000:])

        # The DVR's HEVC packets are the source's, in order, loop after loop, with their
        # composition times: a tag the server misread (a wrong header length, a lost cts, a
        # dropped frame) breaks the sequence.
        src = video_packets(self.hevc)
        self.assertEqual(FPS * SOURCE_SECONDS, len(src))
        self.assertTrue(any(cts != 0 for _, cts in src), "the source has B-frames")
        got = video_packets(dvr)
        expected = FPS * PUBLISH_SECONDS
        self.assertGreaterEqual(len(got), srs_testlib.REALTIME_RATIO * expected,
                                "DVR has %d of %d frames" % (len(got), expected))
        # Real-time speed, not a burst: at most one GOP more than the wall time allows.
        self.assertLessEqual(len(got), expected + FPS, "DVR has %d frames for %d s" % (len(got), PUBLISH_SECONDS))
        want = [src[i % len(src)] for i in range(len(got))]
        self.assertEqual(want, got)
        streams = probe_json(dvr, "-show_entries", "stream=codec_name,width,height")["streams"]
        self.assertEqual([("hevc", 320, 240), ("aac", None, None)],
                         [(s["codec_name"], s.get("width"), s.get("height")) for s in streams])

        # HLS over HTTP, as a player reads it from the first segment: HEVC 320x240 and AAC, every
        # frame decodes. The playlist is live (no ENDLIST: ffmpeg would wait for more), so its
        # segments are fetched as a player does and read back to back.
        host = "http://127.0.0.1:%d" % self.srs.http

        def uris(path):
            with urllib.request.urlopen(urllib.parse.urljoin(host, path), timeout=5) as r:
                text = r.read().decode()
            return text, [urllib.parse.urljoin(path, x) for x in text.splitlines() if x and not x.startswith("#")]
        playlist, segments = uris("/live/hevc.m3u8")
        # The server answers with a variant playlist that names the session's media playlist.
        if len(segments) == 1 and ".m3u8" in segments[0]:
            playlist, segments = uris(segments[0])
        self.assertGreaterEqual(len(segments), PUBLISH_SECONDS // 2, playlist)
        ts = os.path.join(self.srs.dir, "hls.ts")
        with open(ts, "wb") as f:
            for seg in segments:
                with urllib.request.urlopen(urllib.parse.urljoin(host, seg), timeout=5) as r:
                    f.write(r.read())
        d = probe_json(ts, "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets")
        codecs = {s["codec_name"]: s for s in d["streams"]}
        self.assertEqual({"hevc", "aac"}, set(codecs), d)
        self.assertEqual((320, 240), (codecs["hevc"]["width"], codecs["hevc"]["height"]))
        # The listed segments (the last one is still open) hold every frame of their duration.
        listed = sum(float(x.split(":")[1].rstrip(",")) for x in playlist.splitlines() if x.startswith("#EXTINF:"))
        self.assertGreaterEqual(listed, PUBLISH_SECONDS - 3, playlist)
        self.assertGreaterEqual(int(codecs["hevc"]["nb_read_packets"]), 0.9 * listed * FPS, (d, playlist))
        r = subprocess.run(["ffmpeg", "-v", "error", "-i", ts, "-f", "null", "-"], capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(0, r.returncode, r.stderr[-2000:])
        self.assertEqual("", r.stderr.strip(), "ffmpeg decoding the HLS stream")

    def test_h264_aac_from_mp4_plays_over_http_flv_in_real_time(self):
        self.publish("h264", self.h264, PUBLISH_SECONDS + 4)
        url = "http://127.0.0.1:%d/live/h264.flv" % self.srs.http
        # ffprobe prints each packet as it reads it: its arrival time against its timestamp is
        # what a viewer sees.
        p = subprocess.Popen(["ffprobe", "-v", "error", "-show_entries", "packet=codec_type,pts,dts",
                              "-select_streams", "v", "-of", "csv=p=0", url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples = []

        def read():
            for line in p.stdout:
                parts = line.strip().split(",")
                if len(parts) >= 3 and parts[2].lstrip("-").isdigit():
                    samples.append((time.monotonic(), int(parts[2])))
        t = threading.Thread(target=read, daemon=True)
        start = time.monotonic()
        t.start()
        time.sleep(PUBLISH_SECONDS)
        end = time.monotonic()
        srs_testlib.stop_process(p)
        t.join(5)
        p.stdout.close()
        self.assertGreater(len(samples), 0, "ffprobe read no video packet")
        # After the join's GOP-cache burst (one second of media at most).
        srs_testlib.assert_realtime(self, samples, start + 2, end, "ffprobe over HTTP-FLV")


if __name__ == "__main__":
    srs_testlib.main()
