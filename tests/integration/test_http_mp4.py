"""HTTP-MP4 live remux with the real binary: ffmpeg publishes H.264 + AAC in real time over RTMP
to a vhost whose http_remux mount is .mp4 and to one whose mount is .flv; the .mp4 body is read
as a player sees it: Content-Type video/mp4, an init segment (ftyp iso6, moov), then fragments
that keep up with the wall clock (our own box reader times each fragment's arrival); ffprobe
sees h264 320x240 + aac 44100; `ffmpeg -c copy` reads 8 s of it; and its packets (framemd5
hashes) are the same bytes as those of the HTTP-FLV mount of the same stream.

AV1 + Opus and VP9 + Opus: srs_bench publishes an MP4 made by ffmpeg at test time (enhanced RTMP
av01/vp09 and Opus tags, looped); ffprobe sees av1/vp9 320x240 + opus 48000 on the .mp4 mount, and
`ffmpeg -c copy -f framemd5` reads 8 s of it at >= 80 % of real time, whose packets are the
source's, in order from a keyframe on (the loop's wrap included), the audio starting with the
video."""

import json
import os
import re
import shutil
import struct
import subprocess
import threading
import tempfile
import time
import unittest
import urllib.request

import srs_testlib
from srs_testlib import CONF_BASE, SrsProcess, assert_realtime, have, run

CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].mp4; }}
}}
vhost flvv {{
    http_remux {{ enabled on; mount /flv/[app]/[stream].flv; }}
}}
"""


def publish(srs, seconds):
    """One encode (a keyframe every 2 s) sent to both vhosts, so both mounts carry the same packets."""
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
           "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
           "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
           "-c:a", "aac", "-ar", "44100", "-ac", "2", "-b:a", "64k",
           # The tee muxer opens its outputs after the encoders: the sequence headers must be
           # global headers, or FLV gets an empty one.
           "-flags", "+global_header", "-f", "tee", "-map", "0:v", "-map", "1:a",
           "[f=flv]rtmp://127.0.0.1:%d/live/s|[f=flv]rtmp://127.0.0.1:%d/live?vhost=flvv/s" % (srs.rtmp, srs.rtmp)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_exact(r, n):
    buf = b""
    while len(buf) < n:
        chunk = r.read(n - len(buf))
        if not chunk:
            raise EOFError("body ended after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def children(body):
    """(type, payload) of the boxes in body."""
    out, at = [], 0
    while at + 8 <= len(body):
        size, typ = struct.unpack(">I4s", body[at:at + 8])
        if size < 8:
            break
        out.append((typ.decode("latin1"), body[at + 8:at + size]))
        at += size
    return out


def fragment_samples(moof):
    """{track_id: [(dts, duration)]} of a moof (tfdt v1, trun with per-sample durations)."""
    out = {}
    for typ, traf in children(moof):
        if typ != "traf":
            continue
        track, base, durations = None, None, []
        for t, b in children(traf):
            if t == "tfhd":
                track = struct.unpack(">I", b[4:8])[0]
            elif t == "tfdt":
                base = struct.unpack(">Q", b[4:12])[0] if b[0] == 1 else struct.unpack(">I", b[4:8])[0]
            elif t == "trun":
                flags = struct.unpack(">I", b[0:4])[0] & 0xffffff
                count = struct.unpack(">I", b[4:8])[0]
                at = 8 + (4 if flags & 0x1 else 0) + (4 if flags & 0x4 else 0)
                per = sum(4 for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit)
                for i in range(count):
                    durations.append(struct.unpack(">I", b[at:at + 4])[0] if flags & 0x100 else 0)
                    at += per
        dts, samples = base, []
        for d in durations:
            samples.append((dts, d))
            dts += d
        out[track] = samples
    return out


def read_mp4_live(url, seconds):
    """Reads the .mp4 body for `seconds` of wall time. Returns (content type, top-level box types
    in order, the moov, {track: [(arrival, ms)]} of every sample, the timescales by track)."""
    types, moov, arrivals, scales = [], b"", {}, {}
    with urllib.request.urlopen(url, timeout=10) as r:
        ctype = r.headers.get("Content-Type")
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            size, typ = struct.unpack(">I4s", read_exact(r, 8))
            typ = typ.decode("latin1")
            body = read_exact(r, size - 8)
            now = time.monotonic()
            types.append(typ)
            if typ == "moov":
                moov = body
                for t, trak in children(body):
                    if t != "trak":
                        continue
                    tk = dict(children(trak))
                    tid = struct.unpack(">I", tk["tkhd"][12:16])[0]
                    mdhd = dict(children(tk["mdia"]))["mdhd"]
                    scales[tid] = struct.unpack(">I", mdhd[12:16])[0]
            elif typ == "moof":
                for tid, samples in fragment_samples(body).items():
                    scale = scales.get(tid, 1000)
                    arrivals.setdefault(tid, []).extend((now, dts * 1000 // scale) for dts, _ in samples)
    return ctype, types, moov, arrivals, scales


def framemd5(url, seconds, stream, out):
    r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url, "-t", str(seconds), "-map", "0:" + stream,
             "-c", "copy", "-f", "framemd5", "-"], timeout=seconds + 30)
    out[url + stream] = [line.split(",")[-1].strip() for line in r.stdout.splitlines()
                         if line and not line.startswith("#")]


def longest_common_run(a, b):
    """The length of the longest run of consecutive equal items of a and b."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class HttpMp4Test(unittest.TestCase):
    def setUp(self):
        self.srs = SrsProcess(CONF)
        self.srs.start()
        self.pub = publish(self.srs, 60)
        self.srs.wait_publishing("s", proc=self.pub)
        self.srs.wait_publishing("s", vhost="flvv", proc=self.pub)

    def tearDown(self):
        srs_testlib.stop_process(self.pub)
        self.srs.cleanup()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.srs.http, path)

    def test_body_is_init_then_fragments_in_real_time(self):
        ctype, types, moov, arrivals, scales = read_mp4_live(self.url("/live/s.mp4"), 10)
        self.assertEqual("video/mp4", ctype)
        # ftyp, moov once, then moof/mdat pairs.
        self.assertEqual(["ftyp", "moov"], types[:2], types[:10])
        self.assertEqual(1, types.count("moov"))
        self.assertGreaterEqual(types.count("moof"), 6, types)
        self.assertTrue(all(a == "moof" and b == "mdat" for a, b in zip(types[2::2], types[3::2])), types)
        self.assertEqual({1: 90000, 2: 44100}, scales)
        self.assertIn(b"avcC", moov)
        self.assertIn(b"mvex", moov)
        # The video track keeps up with the wall clock after the join's GOP-cache burst, with no
        # stall longer than a viewer would notice; the audio track too.
        for tid, what in ((1, "video"), (2, "audio")):
            samples = arrivals.get(tid, [])
            self.assertTrue(samples, what)
            t0 = samples[0][0] + 2.5
            media, gap = assert_realtime(self, samples, t0, t0 + 6, what="mp4 " + what)
            print("mp4 %s: %.2f s of media in 6 s of wall time, longest gap %.2f s" % (what, media, gap))
            # Decode times never go back or jump.
            steps = [b[1] - a[1] for a, b in zip(samples, samples[1:])]
            self.assertTrue(all(0 <= s <= 100 for s in steps), (what, steps[:50]))

    def test_ffprobe_and_ffmpeg_read_it(self):
        r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,sample_rate",
                 "-of", "default=noprint_wrappers=1", self.url("/live/s.mp4")], timeout=30)
        self.assertEqual(0, r.returncode, r.stderr)
        for want in ("codec_name=h264", "width=320", "height=240", "codec_name=aac", "sample_rate=44100"):
            self.assertIn(want, r.stdout)
        # 8 s of media through ffmpeg's mov demuxer (fragment by fragment), no error, at the pace
        # of the live stream: a stalled body would not reach 8 s before the timeout.
        t = time.monotonic()
        r = run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", self.url("/live/s.mp4"), "-t", "8",
                 "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats"], timeout=40)
        wall = time.monotonic() - t
        times = [int(v) for v in re.findall(r"out_time_us=(\d+)", r.stdout)]
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual("", r.stderr.strip())
        played = max(times) / 1e6 if times else 0
        self.assertGreaterEqual(played, 7.9, r.stdout[-500:])
        # 8 s of media, of which up to a GOP (2 s) came at once from the cache: the rest live.
        self.assertLessEqual(wall, (8 - 2) / srs_testlib.REALTIME_RATIO + 2, "%.1f s of wall time" % wall)
        print("ffmpeg -c copy: %.2f s of media in %.2f s of wall time" % (played, wall))

    def test_packets_equal_http_flv(self):
        out = {}
        mp4, flv = self.url("/live/s.mp4"), self.url("/flv/live/s.flv")
        threads = [threading.Thread(target=framemd5, args=(u, 6, s, out)) for u in (mp4, flv) for s in ("v", "a")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        for s, fps in (("v", 25), ("a", 43)):
            a, b = out.get(mp4 + s, []), out.get(flv + s, [])
            self.assertGreaterEqual(len(a), 4 * fps, (s, len(a)))
            self.assertGreaterEqual(len(b), 4 * fps, (s, len(b)))
            # Both players joined at a GOP-cache keyframe, maybe not the same one: 3 s of packets
            # in a row, byte for byte the same.
            run_len = longest_common_run(a, b)
            print("%s: %d mp4 packets, %d flv packets, %d equal in a row" % (s, len(a), len(b), run_len))
            self.assertGreaterEqual(run_len, 3 * fps, s)

    def test_player_before_publisher_and_unpublish_ends_body(self):
        """A player of a stream not yet published waits for it (the mount's hijacker), gets the
        init segment and fragments, and its body ends when the publisher leaves. The stream is
        video only, where the player expected audio too: it starts without it after 3 s."""
        result = {}

        def reader():
            types = []
            try:
                with urllib.request.urlopen(self.url("/live/late.mp4"), timeout=30) as r:
                    result["ctype"] = r.headers.get("Content-Type")
                    while True:
                        size, typ = struct.unpack(">I4s", read_exact(r, 8))
                        read_exact(r, size - 8)
                        types.append(typ.decode("latin1"))
            except EOFError:
                result["eof"] = True
            except Exception as e:  # noqa: BLE001 - reported by the assertions below
                result["error"] = repr(e)
            result["types"] = types

        th = threading.Thread(target=reader)
        th.start()
        time.sleep(1)
        late = srs_testlib.ffmpeg_publish_small("rtmp://127.0.0.1:%d/live/late" % self.srs.rtmp, 8)
        try:
            self.srs.wait_publishing("late", proc=late)
            late.wait(timeout=30)
        finally:
            srs_testlib.stop_process(late)
        th.join(timeout=20)
        self.assertFalse(th.is_alive(), "the body did not end after the unpublish")
        self.assertEqual("video/mp4", result.get("ctype"), result)
        self.assertTrue(result.get("eof"), result)
        types = result.get("types", [])
        self.assertEqual(["ftyp", "moov"], types[:2], types[:10])
        self.assertGreaterEqual(types.count("moof"), 4, types)


LONG_GOP_CONF = CONF_BASE + """
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].mp4; mp4_fragment 1; }}
}}
"""


@unittest.skipUnless(have("ffmpeg"), "ffmpeg not installed")
class HttpMp4FragmentDurationTest(unittest.TestCase):
    """http_remux.mp4_fragment: with a 10 s GOP, the .mp4 body still gets a fragment per second of
    media (the directive, not the default half second and not one per GOP)."""

    def setUp(self):
        self.srs = SrsProcess(LONG_GOP_CONF)
        self.srs.start()
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
               "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "40",
               "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "250",
               "-c:a", "aac", "-ar", "44100", "-ac", "1", "-b:a", "32k",
               "-f", "flv", "rtmp://127.0.0.1:%d/live/long" % self.srs.rtmp]
        self.pub = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.srs.wait_publishing("long", proc=self.pub)

    def tearDown(self):
        srs_testlib.stop_process(self.pub)
        self.srs.cleanup()

    def test_a_fragment_per_configured_duration(self):
        url = "http://127.0.0.1:%d/live/long.mp4" % self.srs.http
        spans, keys, types = [], 0, []
        seconds = 8
        with urllib.request.urlopen(url, timeout=10) as r:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                size, typ = struct.unpack(">I4s", read_exact(r, 8))
                body = read_exact(r, size - 8)
                types.append(typ.decode("latin1"))
                if typ == b"moof":
                    video = fragment_samples(body).get(1, [])
                    # The video media the fragment spans, in ms (90 kHz track).
                    spans.append(sum(d for _, d in video) * 1000 // 90000)
        print("mp4_fragment 1, 10 s GOP: %d fragments in %d s, video ms each: %s" % (len(spans), seconds, spans))
        self.assertEqual(["ftyp", "moov"], types[:2], types[:10])
        # About one fragment per second of wall time (the default would give two, one per GOP
        # would give at most one in 8 s); the join's GOP-cache burst adds a few.
        self.assertGreaterEqual(len(spans), 5, spans)
        self.assertLessEqual(len(spans), 8 + 10, spans)
        # Each spans about a second of media (never more): a short one only before a keyframe.
        self.assertTrue(all(s <= 1100 for s in spans), spans)
        full = [s for s in spans if s >= 900]
        self.assertGreaterEqual(len(full), len(spans) - 2, spans)


def bench_binary():
    d = os.environ.get("SRS_BUILD_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
    path = os.path.join(d, "srs_bench")
    if not os.path.exists(path):
        raise AssertionError("srs_bench not built: %s" % path)
    return path


def packet_list(url, seconds=None, timeout=60):
    """{stream index: [(dts in s, size, md5)]} of a stream copy through ffmpeg's framemd5."""
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url]
    if seconds:
        cmd += ["-t", str(seconds)]
    r = run(cmd + ["-map", "0", "-c", "copy", "-f", "framemd5", "-"], timeout=timeout)
    if r.returncode != 0:
        raise AssertionError("framemd5 %s: %s" % (url, r.stderr[-2000:]))
    tb, out = {}, {}
    for line in r.stdout.splitlines():
        m = re.match(r"#tb (\d+): (\d+)/(\d+)", line)
        if m:
            tb[int(m.group(1))] = int(m.group(2)) / int(m.group(3))
        if line.startswith("#") or not line.strip():
            continue
        f = [x.strip() for x in line.split(",")]
        i = int(f[0])
        out.setdefault(i, []).append((int(f[1]) * tb[i], int(f[4]), f[5]))
    return out


def keyframe_indexes(path):
    r = run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=flags", "-of", "json", path])
    return [i for i, p in enumerate(json.loads(r.stdout)["packets"]) if "K" in p["flags"]]


SOURCE_SECONDS = 4


@unittest.skipUnless(have("ffmpeg") and have("ffprobe"), "ffmpeg/ffprobe not installed")
class HttpMp4EnhancedTest(unittest.TestCase):
    """AV1/VP9 + Opus and HEVC + AAC from the enhanced RTMP publisher, played on the .mp4 mount."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="srs-http-mp4-")
        cls.samples = {}
        opus = ["-c:a", "libopus", "-b:a", "32k"]
        aac = ["-c:a", "aac", "-b:a", "64k"]
        for name, video, audio in (("av1", ["-c:v", "libsvtav1", "-preset", "12"], opus),
                                   ("vp9", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"], opus),
                                   ("hevc", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                                             "log-level=none:bframes=2"], aac)):
            path = os.path.join(cls.tmp, name + ".mp4")
            run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
                 "-i", "sine=sample_rate=48000", "-t", str(SOURCE_SECONDS), *video, "-g", "25", *audio, path],
                timeout=120, check=True)
            cls.samples[name] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.srs = SrsProcess(CONF)
        self.srs.start()
        self.bench = None

    def tearDown(self):
        if self.bench is not None:
            srs_testlib.stop_process(self.bench)
        self.srs.stop()
        self.srs.assert_no_sanitizer_report()
        self.srs.cleanup()

    def check(self, name, codec, audio="opus", audio_per_s=50):
        src = self.samples[name]
        self.bench = subprocess.Popen([bench_binary(), "-t", "rtmp-publish", "-u",
                                       "rtmp://127.0.0.1:%d/live/%s" % (self.srs.rtmp, name), "-i", src,
                                       "-d", "40", "-n", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.srs.wait_publishing(name, proc=self.bench)
        url = "http://127.0.0.1:%d/live/%s.mp4" % (self.srs.http, name)
        r = run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,sample_rate",
                 "-of", "default=noprint_wrappers=1", url], timeout=30)
        self.assertEqual(0, r.returncode, r.stderr)
        for want in ("codec_name=" + codec, "width=320", "height=240", "codec_name=" + audio, "sample_rate=48000"):
            self.assertIn(want, r.stdout, name)

        # 8 s of media, at the pace of the live stream after the GOP cache's burst (a GOP is 1 s).
        t = time.monotonic()
        got = packet_list(url, 8, timeout=40)
        wall = time.monotonic() - t
        print("%s: %.2f s of wall time for 8 s of media" % (name, wall))
        self.assertLessEqual(wall, (8 - 1) / srs_testlib.REALTIME_RATIO + 2, "%s: %.1f s of wall time" % (name, wall))
        want = packet_list(src)
        self.assertEqual([0, 1], sorted(got), got.keys())
        sv, sa = want[0], want[1]
        gv, ga = got[0], got[1]
        self.assertEqual(25 * SOURCE_SECONDS, len(sv))
        # A player sees >= 80 % of 8 s of packets (the -t cut takes the last ones).
        self.assertGreaterEqual(len(gv), srs_testlib.REALTIME_RATIO * 8 * 25, "%s video packets" % name)
        self.assertGreaterEqual(len(ga), srs_testlib.REALTIME_RATIO * 8 * audio_per_s, "%s audio packets" % name)
        # Video: from one of the source's keyframes on, every packet in order, byte for byte, the
        # loop's wrap included; nothing lost at the start but what comes before that keyframe.
        keys = keyframe_indexes(src)
        starts = [k for k in keys if sv[k][1:] == gv[0][1:]]
        self.assertTrue(starts, "%s: the first video packet is no source keyframe" % name)
        k = starts[0]
        for i, p in enumerate(gv):
            self.assertEqual(sv[(k + i) % len(sv)][1:], p[1:], "%s video packet %d (source %d)" %
                             (name, i, (k + i) % len(sv)))
        # Audio: every packet in order from its first, which comes with the keyframe's decode time
        # (within a packet's 20 ms; Opus's priming packet before the first picture of the file
        # may go; with B-frames the keyframe shows a little after it decodes).
        first = [j for j, p in enumerate(sa) if p[1:] == ga[0][1:]]
        self.assertTrue(first, "%s: the first audio packet is not the source's" % name)
        j = first[0]
        for i, p in enumerate(ga):
            self.assertEqual(sa[(j + i) % len(sa)][1:], p[1:], "%s audio packet %d" % (name, i))
        lead = (sa[j][0] - sv[k][0]) % SOURCE_SECONDS
        lead = lead - SOURCE_SECONDS if lead > SOURCE_SECONDS / 2 else lead
        self.assertLessEqual(abs(lead), 0.03, "%s: audio starts %.3f s from the video" % (name, lead))
        print("%s: %d video packets from source keyframe %d, %d audio packets from %d, all equal" %
              (name, len(gv), k, len(ga), j))

    def test_av1_opus(self):
        self.check("av1", "av1")

    def test_vp9_opus(self):
        self.check("vp9", "vp9")

    def test_hevc_aac(self):
        # AAC at 48 kHz: 1024 samples, 21.3 ms a packet.
        self.check("hevc", "hevc", "aac", 48000 / 1024)


if __name__ == "__main__":
    srs_testlib.main()
